/**
 * A value read from its single writer and then used, in this isolate, for a
 * fixed time counted from when it was asked. The writer makes this safe by
 * returning from a change only after longer than that: once a change has
 * returned, no isolate still uses a value read before it, while a busy
 * isolate asks once per lease instead of once per use. Used for the
 * knowledge base's version (turn/kb-search-store.ts, kb/version-lease.ts) and
 * the development fault switch (ai/turn-provider.ts).
 *
 * A busy isolate renews the lease ahead: a caller served in its last quarter
 * starts a read in the background, so no caller waits for the round trip
 * while values keep coming. Without it one turn in 10 (the fault switch's
 * 250 ms at 40 msg/s) and one in 20 (the knowledge base's 500 ms) waited, on
 * the first token's path, for a read that the session hub's output gate also
 * held until the turn's opening write was confirmed: they were the tail
 * (docs/benchmarks.md, "Stage by stage").
 */
export class Lease<T> {
	readonly #ms: number;
	readonly #replaces: (read: T, held: T) => boolean;
	#held: { value: T; until: number } | undefined;
	#reading: { promise: Promise<T>; until: number } | undefined;
	/**
	 * When the background renewal in flight was asked (kept after a failed one, so the rest of the
	 * lease makes no more). Never joined by callers, and a time rather than a flag: a read asked
	 * during an invocation that has since ended may never settle, and must not stop renewals in this
	 * isolate for good.
	 */
	#renewingSince: number | undefined;

	readonly #now: () => number;

	/**
	 * `replaces`: whether a value read may replace the one held (a slower read may return an older
	 * value). `now`: the clock, for tests.
	 */
	constructor(ms: number, replaces: (read: T, held: T) => boolean = () => true, now: () => number = Date.now) {
		this.#ms = ms;
		this.#replaces = replaces;
		this.#now = now;
	}

	/**
	 * The value, read through `read` at most once per lease. A caller joins a read in flight only
	 * within that read's own lease: one asked longer ago may have been answered before a change
	 * that has returned since.
	 * @example const version = await lease.get(() => kb.version());
	 */
	async get(read: () => Promise<T> | T): Promise<T> {
		const asked = this.#now();
		if (this.#held && asked < this.#held.until) {
			if (asked >= this.#held.until - this.#ms / 4) this.#renew(read, asked);
			return this.#held.value;
		}
		if (this.#reading && asked < this.#reading.until) return this.#reading.promise;
		const until = asked + this.#ms;
		const promise = (async () => {
			const value = await read();
			this.#hold(value, until);
			return value;
		})();
		this.#reading = { promise, until };
		try {
			return await promise;
		} finally {
			if (this.#reading?.promise === promise) this.#reading = undefined;
		}
	}

	/** Reads in the background for the callers to come; a failure leaves the held value to run out. */
	#renew(read: () => Promise<T> | T, asked: number): void {
		if (this.#reading && asked < this.#reading.until) return;
		if (this.#renewingSince !== undefined && asked < this.#renewingSince + this.#ms) return;
		this.#renewingSince = asked;
		const until = asked + this.#ms;
		(async () => {
			this.#hold(await read(), until);
			if (this.#renewingSince === asked) this.#renewingSince = undefined;
		})().catch(() => undefined);
	}

	/** A value asked earlier never replaces one asked later, nor one `replaces` refuses. */
	#hold(value: T, until: number): void {
		if (this.#held && (until < this.#held.until || !this.#replaces(value, this.#held.value))) return;
		this.#held = { value, until };
	}
}
