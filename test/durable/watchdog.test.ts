import { describe, expect, it } from "vitest";
import {
	enqueueRetryAt,
	LOST_JOB_MS,
	MAX_REQUEUES,
	MAX_WAIT_MS,
	nextWatchdogAt,
	planWatchdog,
	WATCHDOG_MS,
	type WaitingMessage,
} from "../../src/durable/session-hub/watchdog";

const NOW = 1_000_000_000;

function waiting(overrides: Partial<WaitingMessage> & { id: string }): WaitingMessage {
	return {
		turnId: null,
		acceptedAt: NOW - 1000,
		enqueuedAt: NOW - 1000,
		deliveredAt: 0,
		redriveAt: NOW - 1000 + LOST_JOB_MS,
		requeues: 0,
		...overrides,
	};
}

describe("planWatchdog", () => {
	it("leaves a queued, undelivered job alone until LOST_JOB_MS, however many requeues it had", () => {
		const plan = planWatchdog(NOW, [waiting({ id: "a", requeues: MAX_REQUEUES, acceptedAt: NOW - 5 * WATCHDOG_MS })], undefined);
		expect(plan).toEqual({ abandon: undefined, requeue: [], resend: [], fail: [] });
	});

	it("resends an undelivered job after LOST_JOB_MS without counting, and fails it after MAX_WAIT_MS", () => {
		const lost = waiting({ id: "a", requeues: MAX_REQUEUES, redriveAt: NOW });
		expect(planWatchdog(NOW, [lost], undefined).resend).toEqual(["a"]);
		expect(planWatchdog(NOW, [{ ...lost, acceptedAt: NOW - MAX_WAIT_MS }], undefined).fail).toEqual(["a"]);
	});

	it("abandons a turn whose lease expired and re-drives its messages, counted", () => {
		const live = { id: "t", leaseUntil: NOW - 1, replyTo: ["a", "b"] };
		const plan = planWatchdog(
			NOW,
			[waiting({ id: "a", turnId: "t", deliveredAt: NOW - 40_000 }), waiting({ id: "b", turnId: "t", requeues: MAX_REQUEUES })],
			live,
		);
		expect(plan).toEqual({ abandon: "t", requeue: ["a"], resend: [], fail: ["b"] });
	});

	it("lets a live turn finish, and leaves delivered messages waiting behind it to its follow-up", () => {
		const live = { id: "t", leaseUntil: NOW + 5000, replyTo: ["a"] };
		const plan = planWatchdog(
			NOW,
			[waiting({ id: "a", turnId: "t" }), waiting({ id: "b", deliveredAt: NOW - 30_000, redriveAt: NOW - 10_000 })],
			live,
		);
		expect(plan).toEqual({ abandon: undefined, requeue: [], resend: [], fail: [] });
	});

	it("still retries a failed send while another turn streams", () => {
		const live = { id: "t", leaseUntil: NOW + 5000, replyTo: ["a"] };
		const plan = planWatchdog(NOW, [waiting({ id: "a", turnId: "t" }), waiting({ id: "b", enqueuedAt: 0, redriveAt: NOW })], live);
		expect(plan.requeue).toEqual(["b"]);
	});
});

describe("nextWatchdogAt", () => {
	it("is null when nothing waits", () => {
		expect(nextWatchdogAt(NOW, [], undefined)).toBeNull();
	});

	it("is the earliest redrive, or a second after the live lease ends", () => {
		expect(nextWatchdogAt(NOW, [waiting({ id: "a", redriveAt: NOW + 7000 })], undefined)).toBe(NOW + 7000);
		expect(nextWatchdogAt(NOW, [waiting({ id: "a", turnId: "t" })], { id: "t", leaseUntil: NOW + 3000, replyTo: ["a"] })).toBe(NOW + 4000);
	});

	it("never schedules in the past, so an alarm cannot spin", () => {
		expect(nextWatchdogAt(NOW, [waiting({ id: "a", redriveAt: NOW - 5000 })], undefined)).toBe(NOW + 1000);
	});
});

describe("enqueueRetryAt", () => {
	it("backs off 1, 2, 4 s after failed sends", () => {
		expect([0, 1, 2].map((requeues) => enqueueRetryAt(NOW, requeues) - NOW)).toEqual([1000, 2000, 4000]);
	});
});
