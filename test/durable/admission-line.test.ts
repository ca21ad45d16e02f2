/**
 * The admission line's arithmetic (src/durable/admission-gate/admission-line.ts)
 * with a clock in hand: never more grants than the limit in any window,
 * (spare grants included, whenever they are spent), first come first served,
 * estimates that match when the grants really happen, AIMD on 429s, and
 * waiters that go away.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdmissionLine, WAITER_TIMEOUT_MS } from "../../src/durable/admission-gate/admission-line";
import { SPARE_MS, SPARE_WANT } from "../../src/shared/ai/with-admission";

const WINDOW = 60_000;

/** Polls every waiter in line order until it is granted or `until`, like hubs polling; returns grant times by ticket. */
function drain(line: AdmissionLine, tickets: { ticket: string; readyAt: number }[], from: number, until: number, stepMs = 250) {
	const granted = new Map<string, number>();
	for (let now = from; now <= until && granted.size < tickets.length; now += stepMs) {
		for (const { ticket, readyAt } of tickets) {
			if (granted.has(ticket) || readyAt > now) continue;
			if (line.ask(ticket, readyAt, now).granted) granted.set(ticket, now);
		}
	}
	return granted;
}

describe("AdmissionLine", () => {
	it("grants at once while the window has room, then makes the next wait for the oldest grant to leave it", () => {
		const line = new AdmissionLine(3, WINDOW);
		expect(line.ask("a", 0, 0)).toMatchObject({ granted: true });
		expect(line.ask("b", 1000, 1000)).toMatchObject({ granted: true });
		expect(line.ask("c", 2000, 2000)).toMatchObject({ granted: true });
		expect(line.ask("d", 3000, 3000)).toMatchObject({ granted: false, position: 1, etaSeconds: 57 });
		expect(line.ask("e", 3000, 3000)).toMatchObject({ granted: false, position: 2, etaSeconds: 58 });
		expect(line.ask("d", 3000, 59_999)).toMatchObject({ granted: false, position: 1 });
		expect(line.ask("d", 3000, 60_000)).toMatchObject({ granted: true });
		expect(line.ask("e", 3000, 60_500)).toMatchObject({ granted: false, position: 1, etaSeconds: 1 });
	});

	it("estimates a later round a window after the slot it reuses", () => {
		const line = new AdmissionLine(2, WINDOW, [0, 10_000]);
		const places = ["p1", "p2", "p3", "p4", "p5"].map((ticket) => line.ask(ticket, 20_000, 20_000));
		expect(places.map((p) => (p.granted ? 0 : p.etaSeconds))).toEqual([40, 50, 100, 110, 160]);
	});

	it("stamps a first call with the gate's own clock, so arrival at the gate decides the order, ties by arrival", () => {
		const line = new AdmissionLine(1, WINDOW, [0]);
		expect(line.ask("b", undefined, 1000)).toMatchObject({ position: 1, readyAt: 1000 });
		expect(line.ask("a", undefined, 1000)).toMatchObject({ position: 2, readyAt: 1000 });
		expect(line.ask("c", undefined, 1500)).toMatchObject({ position: 3, readyAt: 1500 });
		// A restarted gate rebuilds the order from the stamps its callers echo back, whoever polls first.
		const restarted = new AdmissionLine(1, WINDOW, [0]);
		expect(restarted.ask("c", 1500, 2000)).toMatchObject({ position: 1 });
		expect(restarted.ask("b", 1000, 2000)).toMatchObject({ position: 1 });
		expect(restarted.ask("c", 1500, 2000)).toMatchObject({ position: 2 });
	});

	it("is first come, first served by the stamp a turn first got, whoever polls first", () => {
		const line = new AdmissionLine(1, WINDOW, [0]);
		// The later turn polls first and more often; the earlier one keeps its place.
		expect(line.ask("late", 5000, 5000)).toMatchObject({ position: 1 });
		expect(line.ask("early", 4000, 6000)).toMatchObject({ position: 1 });
		expect(line.ask("late", 5000, 7000)).toMatchObject({ position: 2 });
		expect(line.ask("late", 5000, 60_000)).toMatchObject({ granted: false, position: 2 });
		expect(line.ask("early", 4000, 60_000)).toMatchObject({ granted: true });
	});

	it("never lets more than the limit through in any window, serves in arrival order, and estimates within ±50 % for 90 % (property)", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 12 }),
				fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 60 }),
				// How many grants each ask wants (1: no spares), and when its isolate spends the spares it got.
				fc.constantFrom(1, SPARE_WANT),
				fc.constantFrom(0, SPARE_MS / 2, SPARE_MS),
				(limit, arrivals, want, spentAfter) => {
					const line = new AdmissionLine(limit, WINDOW);
					const tickets = [...arrivals].sort((a, b) => a - b).map((readyAt, i) => ({ ticket: `t${String(i).padStart(3, "0")}`, readyAt }));
					const promised = new Map<string, { at: number; eta: number }>();
					const granted = new Map<string, number>();
					const spent: number[] = [];
					for (let now = 0; granted.size < tickets.length; now += 250) {
						for (const { ticket, readyAt } of tickets) {
							if (granted.has(ticket) || readyAt > now) continue;
							const place = line.ask(ticket, readyAt, now, false, want);
							if (place.granted) {
								granted.set(ticket, now);
								for (let i = 0; i < (place.spare ?? 0); i++) spent.push(now + spentAfter);
							} else if (!promised.has(ticket)) promised.set(ticket, { at: now, eta: place.etaSeconds });
						}
					}
					// Every call the provider sees, spares included, whenever within their time they were spent.
					const times = [...granted.values(), ...spent].sort((a, b) => a - b);
					for (let i = limit; i < times.length; i++) expect((times[i] ?? 0) - (times[i - limit] ?? 0)).toBeGreaterThanOrEqual(WINDOW);
					// Arrival order: a turn that asked first is granted no later.
					for (let i = 1; i < tickets.length; i++) {
						expect(granted.get(tickets[i]?.ticket ?? "") ?? 0).toBeGreaterThanOrEqual(granted.get(tickets[i - 1]?.ticket ?? "") ?? 0);
					}
					// Steady arrivals (no one leaves, the limit holds), so the first estimate should come true, to the poll step.
					const errors = [...promised].map(([ticket, { at, eta }]) => {
						const waited = ((granted.get(ticket) ?? at) - at) / 1000;
						return Math.abs(waited - eta) <= Math.max(1, 0.5 * waited);
					});
					if (errors.length > 0) expect(errors.filter(Boolean).length / errors.length).toBeGreaterThanOrEqual(0.9);
				},
			),
			{ numRuns: 150 },
		);
	});

	it("stocks spares on the same terms without joining the line, and none while anyone waits", () => {
		const line = new AdmissionLine(40, WINDOW);
		// 40 free: a quarter is 10, so the 8 wanted are given, and counted as made at SPARE_MS.
		expect(line.stock(0, SPARE_WANT)).toBe(SPARE_WANT);
		// 32 free: only 12 can go before half the window (20) is reached, and a quarter is 8.
		expect(line.stock(0, SPARE_WANT)).toBe(SPARE_WANT);
		// 24 free: 4 before the half.
		expect(line.stock(0, SPARE_WANT)).toBe(4);
		expect(line.stock(0, SPARE_WANT)).toBe(0);
		// The stocked spares took their slots: 20 grants left in this window, then a wait.
		for (let i = 0; i < 20; i++) expect(line.ask(`t${i}`, 0, 0)).toMatchObject({ granted: true });
		expect(line.ask("late", 0, 0)).toMatchObject({ granted: false, position: 1 });
		// A window later every slot is free, but someone still waits: nothing to spare until it is served.
		const later = WINDOW + SPARE_MS + 1;
		expect(line.stock(later, SPARE_WANT)).toBe(0);
		expect(line.ask("late", 0, later)).toMatchObject({ granted: true });
		expect(line.stock(later, SPARE_WANT)).toBe(SPARE_WANT);
	});

	it("grants spares only while nobody waits and half the window stays free, and counts them from when they expire", () => {
		const line = new AdmissionLine(40, WINDOW);
		// 39 free after this grant: a quarter of that is 9, so the 7 wanted are given.
		expect(line.ask("a", 0, 0, false, SPARE_WANT)).toEqual({ granted: true, readyAt: 0, spare: SPARE_WANT - 1 });
		// 31 free: a quarter is 7.
		expect(line.ask("b", 10, 10, false, SPARE_WANT)).toMatchObject({ spare: SPARE_WANT - 1 });
		// 23 free: only 3 can go before half the window (20) is reached.
		expect(line.ask("c", 20, 20, false, SPARE_WANT)).toMatchObject({ spare: 3 });
		expect(line.ask("d", 30, 30, false, SPARE_WANT)).not.toHaveProperty("spare");

		// A spare given at 0 counts as made at SPARE_MS: a window later, it still takes a slot.
		const small = new AdmissionLine(8, WINDOW);
		expect(small.ask("first", 0, 0, false, SPARE_WANT)).toMatchObject({ spare: 1 });
		for (const ticket of ["b", "c", "d", "e", "f", "g"]) expect(small.ask(ticket, 0, 0)).toMatchObject({ granted: true });
		const later = ["h", "i", "j", "k", "l", "m", "n", "o"].map((ticket) => small.ask(ticket, WINDOW, WINDOW));
		expect(later.filter((p) => p.granted)).toHaveLength(7);
		expect(later.at(-1)).toMatchObject({ granted: false, position: 1, etaSeconds: SPARE_MS / 1000 });

		// Someone waits: a grant comes with no spares, even if it wanted some.
		const full = new AdmissionLine(2, WINDOW);
		full.ask("x", 0, 0);
		full.ask("y", 0, 0);
		expect(full.ask("waiting", 0, 0)).toMatchObject({ granted: false });
		full.ask("behind", 0, 0);
		expect(full.ask("waiting", 0, WINDOW, false, SPARE_WANT)).toEqual({ granted: true, readyAt: 0 });
	});

	it("serves a turn's second call ahead of new turns without raising their places", () => {
		const line = new AdmissionLine(1, WINDOW, [0]);
		expect(line.ask("new1", 1000, 1000)).toMatchObject({ position: 1, etaSeconds: 59 });
		expect(line.ask("new2", 2000, 2000)).toMatchObject({ position: 2 });
		// A turn admitted earlier comes back for its large-model call, later than both arrived.
		expect(line.ask("again", 500, 3000, true)).toMatchObject({ granted: false, position: 1 });
		// The new turns keep their places; their estimates grow by the slot the continuation takes.
		expect(line.ask("new1", 1000, 4000)).toMatchObject({ granted: false, position: 1, etaSeconds: 116 });
		expect(line.ask("new2", 2000, 4000)).toMatchObject({ position: 2 });
		expect(line.ask("new1", 1000, 60_000)).toMatchObject({ granted: false, position: 1 });
		expect(line.ask("again", 500, 60_000, true)).toMatchObject({ granted: true });
	});

	it("halves the limit on a 429 and gives back a tenth of it per quiet window", () => {
		const line = new AdmissionLine(60, WINDOW);
		line.throttled(0);
		expect(line.limit).toBe(30);
		line.throttled(1000);
		expect(line.limit).toBe(15);
		line.ask("x", 1000, 30_000);
		expect(line.limit).toBe(15);
		line.ask("y", 61_000, 61_000);
		expect(line.limit).toBe(21);
		for (let now = 122_000; now < 122_000 + 10 * WINDOW; now += WINDOW) line.ask(`z${now}`, now, now);
		expect(line.limit).toBe(60);
		const floor = new AdmissionLine(1, WINDOW);
		floor.throttled(0);
		expect(floor.limit).toBe(1);
	});

	it("drops a waiter whose hub stopped asking, so the line behind it moves", () => {
		const line = new AdmissionLine(1, WINDOW, [0]);
		line.ask("gone", 1000, 1000);
		line.ask("next", 2000, 2000);
		expect(line.dropStale(1000 + WAITER_TIMEOUT_MS)).toBe(0);
		expect(line.dropStale(1001 + WAITER_TIMEOUT_MS)).toBe(1);
		expect(line.ask("next", 2000, 2000 + WAITER_TIMEOUT_MS)).toMatchObject({ position: 1 });
		const granted = drain(line, [{ ticket: "next", readyAt: 2000 }], 60_000, 61_000);
		expect(granted.get("next")).toBe(60_000);
	});

	it("says when the next slot opens, for the gate's timer", () => {
		const line = new AdmissionLine(2, WINDOW, [1000, 5000]);
		expect(line.nextSlotAt(6000)).toBeUndefined();
		line.ask("w", 6000, 6000);
		expect(line.nextSlotAt(6000)).toBe(61_000);
		line.throttled(6000);
		// Limit 1 with two grants in the window: both must leave before the next.
		expect(line.nextSlotAt(6000)).toBe(65_000);
	});
});
