/**
 * The hub's remembered alarm (src/durable/session-hub/alarm-clock.ts): storage
 * is read only when the hub cannot know what it set, and what it answers is
 * always what storage holds.
 */
import { describe, expect, it } from "vitest";
import { AlarmClock, type AlarmStorage, FIRING_MARGIN_MS } from "../../src/durable/session-hub/alarm-clock";

/** Storage's alarm calls, counted; `runtime` stands for the runtime changing the alarm on its own (firing it). */
function fakeStorage(initial: number | null = null) {
	const state = { alarm: initial, reads: 0, writes: 0 };
	const storage: AlarmStorage = {
		getAlarm: async () => {
			state.reads++;
			return state.alarm;
		},
		setAlarm: async (at: number | Date) => {
			state.writes++;
			state.alarm = Number(at);
		},
		deleteAlarm: async () => {
			state.writes++;
			state.alarm = null;
		},
	};
	return { storage, state };
}

describe("AlarmClock", () => {
	it("reads storage once, then answers from what it read and set", async () => {
		const { storage, state } = fakeStorage(50_000);
		const clock = new AlarmClock(storage, () => 0);
		expect(await clock.get()).toBe(50_000);
		expect(await clock.get()).toBe(50_000);
		await clock.set(30_000);
		expect(await clock.get()).toBe(30_000);
		await clock.delete();
		expect(await clock.get()).toBeNull();
		expect(state).toEqual({ alarm: null, reads: 1, writes: 2 });
	});

	it("moves the alarm earlier only", async () => {
		const { storage, state } = fakeStorage(50_000);
		const clock = new AlarmClock(storage, () => 0);
		await clock.setEarlier(60_000);
		expect(state.alarm).toBe(50_000);
		await clock.setEarlier(40_000);
		expect(state.alarm).toBe(40_000);
		expect(state.writes).toBe(1);
	});

	it("reads again once the alarm has run or storage was wiped: the runtime changes it then", async () => {
		const { storage, state } = fakeStorage(50_000);
		const clock = new AlarmClock(storage, () => 0);
		await clock.get();
		// The alarm fires: the runtime clears it, and the handler begins by forgetting.
		state.alarm = null;
		clock.forget();
		expect(await clock.get()).toBeNull();
		expect(state.reads).toBe(2);
	});

	it("reads again when the alarm it remembers is due so soon that it may be firing now", async () => {
		let now = 0;
		const { storage, state } = fakeStorage(10_000);
		const clock = new AlarmClock(storage, () => now);
		await clock.get();
		now = 10_000 - FIRING_MARGIN_MS;
		state.alarm = null;
		expect(await clock.get()).toBeNull();
		expect(state.reads).toBe(2);
	});

	it("keeps a set made while a read was in flight: it is newer than what the read saw", async () => {
		const { storage, state } = fakeStorage(50_000);
		const clock = new AlarmClock(storage, () => 0);
		const reading = clock.get();
		await clock.set(20_000);
		expect(await reading).toBe(50_000);
		expect(await clock.get()).toBe(20_000);
		expect(state.reads).toBe(1);
	});
});
