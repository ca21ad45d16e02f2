/**
 * Reconnect delays: exponential backoff with full jitter (a uniformly random
 * wait between 0 and min(cap, base × 2^attempt)), so that a fleet of clients
 * cut off by one server restart does not come back in lockstep.
 */

export interface BackoffOptions {
	baseMs: number;
	capMs: number;
	/** A connection that stays up this long resets the schedule. */
	stableMs: number;
	random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 30_000, stableMs: 10_000 };

export class Backoff {
	readonly #options: BackoffOptions;
	#attempt = 0;

	constructor(options: BackoffOptions = DEFAULT_BACKOFF) {
		this.#options = options;
	}

	get attempt(): number {
		return this.#attempt;
	}

	/** The ceiling of the next delay, before jitter. */
	ceiling(attempt = this.#attempt): number {
		return Math.min(this.#options.capMs, this.#options.baseMs * 2 ** attempt);
	}

	/**
	 * The wait before the next attempt; each call moves one step up the schedule.
	 * @example new Backoff().next() // somewhere in [0, 250] ms
	 */
	next(): number {
		const random = this.#options.random ?? Math.random;
		const delay = Math.round(random() * this.ceiling());
		this.#attempt++;
		return delay;
	}

	/** Called when a connection has been up for `stableMs`: start again from the base. */
	reset(): void {
		this.#attempt = 0;
	}

	get stableMs(): number {
		return this.#options.stableMs;
	}
}
