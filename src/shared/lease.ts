/**
 * A value read from its single writer and then used, in this isolate, for a
 * fixed time counted from when it was asked. The writer makes this safe by
 * returning from a change only after longer than that: once a change has
 * returned, no isolate still uses a value read before it, while a busy
 * isolate asks once per lease instead of once per use. Used for the
 * knowledge base's version (turn/kb-search-store.ts, kb/version-lease.ts) and
 * the development fault switch (ai/turn-provider.ts).
 */
export class Lease<T> {
	readonly #ms: number;
	readonly #replaces: (read: T, held: T) => boolean;
	#held: { value: T; until: number } | undefined;
	#reading: { promise: Promise<T>; until: number } | undefined;

	/** `replaces`: whether a value read may replace the one held (a slower read may return an older value). */
	constructor(ms: number, replaces: (read: T, held: T) => boolean = () => true) {
		this.#ms = ms;
		this.#replaces = replaces;
	}

	/**
	 * The value, read through `read` at most once per lease. A caller joins a read in flight only
	 * within that read's own lease: one asked longer ago may have been answered before a change
	 * that has returned since.
	 * @example const version = await lease.get(() => kb.version());
	 */
	async get(read: () => Promise<T> | T): Promise<T> {
		const asked = Date.now();
		if (this.#held && asked < this.#held.until) return this.#held.value;
		if (this.#reading && asked < this.#reading.until) return this.#reading.promise;
		const until = asked + this.#ms;
		const promise = (async () => {
			const value = await read();
			if (!this.#held || this.#replaces(value, this.#held.value)) this.#held = { value, until };
			return value;
		})();
		this.#reading = { promise, until };
		try {
			return await promise;
		} finally {
			if (this.#reading?.promise === promise) this.#reading = undefined;
		}
	}
}
