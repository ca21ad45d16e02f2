/**
 * The admission line's arithmetic, free of storage and timers so it can be
 * tested with a clock in hand: a sliding window of grants (never more than
 * `limit` in any `windowMs`, which is what the provider's per-minute rate
 * limit counts), a first-come-first-served line of waiting turns, their
 * places and estimated waits, continuations ahead of new turns, and AIMD on the limit when the provider says
 * 429 anyway (another client on the same account, or a smaller quota than
 * configured).
 */

import { type AdmissionPlace, SPARE_MS } from "../../shared/ai/with-admission";

/** A waiting turn, by the ticket its hub chose. */
interface Waiter {
	ticket: string;
	/** When it first reached the gate, by the gate's clock; echoed back by the caller, so its place survives a restart. */
	readyAt: number;
	/** Arrival order among waiters stamped in the same millisecond. */
	arrival: number;
	/** When its hub last asked; a waiter that stops asking has gone away. */
	seenAt: number;
	/**
	 * A turn's second call (a small model's decline handed to the large one,
	 * a call after a 429): served ahead of new turns, so a turn already under
	 * way is not sent to the back, and left out of the places new turns are
	 * told, so theirs only ever fall.
	 */
	continuation: boolean;
}

export type Place = AdmissionPlace;

/** A waiter not heard from for this long is dropped (hubs ask at least every few seconds while they wait). */
export const WAITER_TIMEOUT_MS = 15_000;

export class AdmissionLine {
	readonly #configured: number;
	readonly #windowMs: number;
	/** Grant times, oldest first, within the last window. */
	readonly #grants: number[];
	readonly #waiters = new Map<string, Waiter>();
	#limit: number;
	#lastChange = 0;
	#arrivals = 0;

	constructor(limit: number, windowMs: number, grants: number[] = []) {
		this.#configured = limit;
		this.#limit = limit;
		this.#windowMs = windowMs;
		this.#grants = [...grants].sort((a, b) => a - b);
	}

	get limit(): number {
		return this.#limit;
	}

	/**
	 * Where `ticket` stands now, granting it when its turn has come (the
	 * grant is recorded: the caller must persist it). A new ticket joins the
	 * line now, or at the `readyAt` the gate gave its turn before (a
	 * continuation, or a poll after the gate restarted).
	 */
	ask(ticket: string, readyAt: number | undefined, now: number, continuation = false, want = 1): Place {
		this.#prune(now);
		this.#recover(now);
		const waiter = this.#waiters.get(ticket) ?? { ticket, readyAt: readyAt ?? now, arrival: this.#arrivals++, seenAt: now, continuation };
		waiter.seenAt = now;
		this.#waiters.set(ticket, waiter);
		const place = this.#place(waiter, now);
		if (!place.granted) return place;
		this.#waiters.delete(ticket);
		this.#record(now);
		const spare = this.#spareFor(want);
		if (spare === 0) return place;
		// Counted as made when they expire, so a spare spent at any moment until then stays in the window long enough.
		for (let i = 0; i < spare; i++) this.#record(now + SPARE_MS);
		return { ...place, spare };
	}

	/**
	 * Up to `want` spares for an isolate that is spending its own (with-admission.ts: restocking), on
	 * the same terms as a grant's spares and recorded the same way (the caller must persist them):
	 * none while anyone waits. It never joins the line.
	 */
	stock(now: number, want: number): number {
		this.#prune(now);
		this.#recover(now);
		const spare = this.#spareFor(want + 1);
		for (let i = 0; i < spare; i++) this.#record(now + SPARE_MS);
		return spare;
	}

	/**
	 * Spares only while nobody waits and at least half the window stays free after them (a quarter
	 * of the room at most), so they never take a place someone in line would have had.
	 */
	#spareFor(want: number): number {
		if (want <= 1 || this.#waiters.size > 0) return 0;
		const free = this.#free();
		return Math.max(0, Math.min(want - 1, Math.floor(free / 4), free - Math.ceil(this.#limit / 2)));
	}

	/** Keeps the grants sorted: spares are counted from a later moment than grants made after them. */
	#record(at: number): void {
		let i = this.#grants.length;
		while (i > 0 && (this.#grants[i - 1] ?? 0) > at) i--;
		this.#grants.splice(i, 0, at);
	}

	#place(waiter: Waiter, now: number): Place {
		const order = this.#order();
		const index = order.indexOf(waiter);
		if (index < this.#free()) return { granted: true, readyAt: waiter.readyAt };
		// Continuations ahead are not counted in a new turn's place (they are why its estimate may grow).
		const position = waiter.continuation ? index + 1 : index + 1 - order.filter((w) => w.continuation).length;
		return { granted: false, readyAt: waiter.readyAt, position, etaSeconds: this.#etaSeconds(index + 1, now) };
	}

	leave(ticket: string): void {
		this.#waiters.delete(ticket);
	}

	/** The provider refused for rate: halve the limit (never below 1); it grows back a tenth per quiet window. */
	throttled(now: number): void {
		this.#limit = Math.max(1, Math.floor(this.#limit / 2));
		this.#lastChange = now;
	}

	/** When the next grant can happen, for a timer: the oldest grant's expiry, or undefined when there is room or nobody waits. */
	nextSlotAt(now: number): number | undefined {
		this.#prune(now);
		if (this.#waiters.size === 0) return undefined;
		if (this.#free() > 0) return now;
		const oldest = this.#grants[this.#grants.length - this.#limit];
		return oldest === undefined ? now : oldest + this.#windowMs;
	}

	/** Drops the waiters whose hubs stopped asking; returns how many. */
	dropStale(now: number): number {
		let dropped = 0;
		for (const [ticket, waiter] of this.#waiters) {
			if (now - waiter.seenAt > WAITER_TIMEOUT_MS) {
				this.#waiters.delete(ticket);
				dropped++;
			}
		}
		return dropped;
	}

	#free(): number {
		return Math.max(0, this.#limit - this.#grants.length);
	}

	#order(): Waiter[] {
		return [...this.#waiters.values()].sort(
			(a, b) => Number(b.continuation) - Number(a.continuation) || a.readyAt - b.readyAt || a.arrival - b.arrival,
		);
	}

	/**
	 * When the waiter at `position` (counting every waiter ahead) should be granted: the free slots go first,
	 * then one slot each time a grant leaves the window, in the order they
	 * were made; past those, a full window later, and so on.
	 */
	#etaSeconds(position: number, now: number): number {
		const needed = position - this.#free();
		if (needed <= 0) return 0;
		// The grants that will leave the window to make room, oldest first, as the limit stands now.
		const counted = this.#grants.slice(Math.max(0, this.#grants.length - this.#limit));
		if (counted.length === 0) return Math.ceil(this.#windowMs / 1000);
		const round = Math.floor((needed - 1) / counted.length);
		const at = (counted[(needed - 1) % counted.length] ?? now) + this.#windowMs * (round + 1);
		return Math.max(0, Math.ceil((at - now) / 1000));
	}

	#prune(now: number): void {
		while (this.#grants.length > 0 && (this.#grants[0] ?? now) <= now - this.#windowMs) this.#grants.shift();
	}

	/** Additive increase: a tenth of the configured limit back per quiet window. */
	#recover(now: number): void {
		if (this.#limit >= this.#configured || now - this.#lastChange < this.#windowMs) return;
		this.#limit = Math.min(this.#configured, this.#limit + Math.max(1, Math.round(this.#configured / 10)));
		this.#lastChange = now;
	}
}
