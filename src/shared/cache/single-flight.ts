/**
 * Single flight: while a key's lookup-and-compute is running in this isolate,
 * every other caller for that key joins it instead of starting another. The
 * map is module-level on purpose, so caches built per request (one per
 * `env`) still share their flights, and so do the Durable Objects that share
 * an isolate (several sessions' hubs do, locally always).
 *
 * A flight can stream: its starter publishes text as it produces it, and a
 * joiner can follow that text (all of it so far, then each piece as it comes)
 * instead of waiting for the end.
 *
 * A flight is forgotten as soon as it settles, so a failure is never cached:
 * the next caller starts afresh. It is also passed over once it has been
 * silent (no text, no sign of life) for its `silenceMs`, or has run for
 * FLIGHT_TIMEOUT_MS: a starter whose context was cancelled (its object reset
 * mid-computation) never settles its promise, and must not leave every later
 * identical caller waiting on it.
 */

import type { CacheLevel } from "./stats";

/** What a flight resolves to: the value and where it came from. */
export interface Flight {
	readonly value: string;
	readonly source: CacheLevel | "computed";
}

/** What a flight's starter can tell the callers that joined it while it runs. */
export interface FlightProgress {
	/** Adds text to what followers see (it must be a prefix of the final value's text, as deltas are). */
	publish(text: string): void;
	/** Says the flight is alive though it has nothing new to show (waiting for model capacity, say). */
	alive(): void;
}

/** What waiting on a flight ended with: more text, its end, or a silence past its deadline. */
export type FlightEvent = "grew" | "settled" | "silent";

/** A silent flight is passed over after this, unless its starter chose otherwise. */
export const DEFAULT_SILENCE_MS = 10_000;

/**
 * No flight is joined once it has run this long, however lively. Far longer
 * than any legitimate computation here (a reply is capped at 1,000
 * characters; the provider's own deadline is 20 s between chunks).
 */
export const FLIGHT_TIMEOUT_MS = 120_000;

/** A flight in progress, as its starter and its joiners share it. */
export class RunningFlight {
	readonly promise: Promise<Flight>;
	readonly startedAt: number;
	readonly silenceMs: number;
	#text = "";
	#heardAt: number;
	#settled = false;
	/**
	 * Resolved, and replaced, whenever the flight publishes, shows a sign of
	 * life or settles. Always created and resolved by the starter, in its own
	 * context: workerd refuses a promise that one Durable Object created being
	 * resolved by another ("Cannot perform I/O on behalf of a different Durable
	 * Object", I/O type RefcountedFulfiller), while awaiting another object's
	 * promise is fine.
	 */
	#changed = Promise.withResolvers<void>();

	constructor(start: (progress: FlightProgress) => Promise<Flight>, silenceMs: number) {
		this.startedAt = Date.now();
		this.#heardAt = this.startedAt;
		this.silenceMs = silenceMs;
		this.promise = start({ publish: (text) => this.#publish(text), alive: () => this.#heard() });
		const settle = () => {
			this.#settled = true;
			this.#wake();
		};
		this.promise.then(settle, settle);
	}

	/** Everything published so far. */
	get text(): string {
		return this.#text;
	}

	get settled(): boolean {
		return this.#settled;
	}

	/** Whether the flight has gone silent past its deadline, or run too long, to be worth joining or waiting on. */
	stale(now = Date.now()): boolean {
		return !this.#settled && (now - this.#heardAt > this.silenceMs || now - this.startedAt > FLIGHT_TIMEOUT_MS);
	}

	/**
	 * Waits until more than `seen` characters are published, the flight
	 * settles, or it goes silent; rejects with `signal`'s reason once it aborts.
	 * @example for (let seen = 0; ; ) { const event = await flight.next(seen); push(flight.text.slice(seen)); seen = flight.text.length; if (event !== "grew") break; }
	 */
	async next(seen: number, signal?: AbortSignal): Promise<FlightEvent> {
		for (;;) {
			signal?.throwIfAborted();
			if (this.#text.length > seen) return "grew";
			if (this.#settled) return "settled";
			const now = Date.now();
			if (this.stale(now)) return "silent";
			await this.#sleep(Math.min(this.#heardAt + this.silenceMs, this.startedAt + FLIGHT_TIMEOUT_MS) - now + 1, signal);
		}
	}

	/** The flight's result, or undefined once it has gone silent; rejects with its failure. */
	async outcome(signal?: AbortSignal): Promise<Flight | undefined> {
		while ((await this.next(this.#text.length, signal)) === "grew");
		return this.#settled ? this.promise : undefined;
	}

	#publish(text: string): void {
		if (!text) return;
		this.#text += text;
		this.#heard();
	}

	#heard(): void {
		this.#heardAt = Date.now();
		this.#wake();
	}

	#wake(): void {
		this.#changed.resolve();
		this.#changed = Promise.withResolvers<void>();
	}

	/** Sleeps until the flight changes, `ms` passes or `signal` aborts; the timer and the listener are the joiner's own. */
	async #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
		const own = Promise.withResolvers<void>();
		const timer = setTimeout(own.resolve, Math.max(1, ms));
		const aborted = () => own.resolve();
		signal?.addEventListener("abort", aborted, { once: true });
		try {
			await Promise.race([this.#changed.promise, own.promise]);
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener("abort", aborted);
		}
	}
}

const inFlight = new Map<string, RunningFlight>();

export interface FlightOptions {
	/** How long the flight may go without publishing before it is passed over; default DEFAULT_SILENCE_MS. */
	silenceMs?: number;
	/** False to start a flight even when one is running (it replaces that one for later callers). */
	join?: boolean;
}

/**
 * Runs `start` unless a live flight for `key` is already running; `joined`
 * says which happened.
 * @example const { flight, joined } = singleFlight(key, (progress) => lookupThenCompute(progress));
 */
export function singleFlight(
	key: string,
	start: (progress: FlightProgress) => Promise<Flight>,
	options: FlightOptions = {},
): { flight: RunningFlight; joined: boolean } {
	const now = Date.now();
	const running = inFlight.get(key);
	if (running && options.join !== false && !running.stale(now)) return { flight: running, joined: true };
	forgetStale(now);
	// Registered before the first await, so callers arriving in the same tick already find it.
	const flight = new RunningFlight(start, options.silenceMs ?? DEFAULT_SILENCE_MS);
	inFlight.set(key, flight);
	const forget = () => {
		if (inFlight.get(key) === flight) inFlight.delete(key);
	};
	flight.promise.then(forget, forget);
	return { flight, joined: false };
}

/** Flights running now (for tests and diagnostics); silent ones are not counted. */
export function flightsInProgress(): number {
	forgetStale(Date.now());
	return inFlight.size;
}

/** Drops flights nobody should join any more: their starters may never settle them. */
function forgetStale(now: number): void {
	for (const [key, flight] of inFlight) if (flight.stale(now)) inFlight.delete(key);
}
