/**
 * Single flight: while a key's lookup-and-compute is running in this isolate,
 * every other caller for that key waits for it instead of starting another.
 * The map is module-level on purpose, so caches built per request (one per
 * `env`) still share their flights. A flight is forgotten as soon as it
 * settles, so a failure is never cached: the next caller starts afresh.
 */

import type { CacheLevel } from "./stats";

/** What a flight resolves to: the value and where it came from. */
export interface Flight {
	readonly value: string;
	readonly source: CacheLevel | "computed";
}

const inFlight = new Map<string, Promise<Flight>>();

/**
 * Runs `start` unless a flight for `key` is already running; `joined` says
 * which happened.
 * @example const { promise, joined } = singleFlight(key, () => lookupThenCompute());
 */
export function singleFlight(key: string, start: () => Promise<Flight>): { promise: Promise<Flight>; joined: boolean } {
	const running = inFlight.get(key);
	if (running) return { promise: running, joined: true };
	// Registered before the first await, so callers arriving in the same tick already find it.
	const promise = start();
	inFlight.set(key, promise);
	const forget = () => {
		if (inFlight.get(key) === promise) inFlight.delete(key);
	};
	promise.then(forget, forget);
	return { promise, joined: false };
}

/** Flights running now (for tests and diagnostics). */
export function flightsInProgress(): number {
	return inFlight.size;
}
