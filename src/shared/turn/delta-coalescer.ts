/**
 * Batches streamed text into deltas: the first chunk goes out at once (time
 * to first token is what users feel), later ones about every 50 ms or when
 * 256 characters are waiting. Pushes are chained so they arrive in order.
 */

export const COALESCE_MS = 50;
export const COALESCE_CHARS = 256;

/**
 * Sends one delta; resolves false when the turn is no longer ours.
 * `heldSince` is when its oldest text was released by the sanitizer (ms):
 * the hub measures push latency from there.
 */
export type PushDelta = (text: string, heldSince: number) => Promise<boolean>;

/** Where generated text goes as it is released: a turn's deltas, a shared computation's followers, or nowhere (cache warming). */
export interface ReplySink {
	add(text: string): void;
	/** Sends whatever is waiting; false once the turn is no longer ours. */
	flush(): Promise<boolean>;
	/** False once the hub has refused a delta: stop generating. */
	readonly owned: boolean;
}

export class DeltaCoalescer implements ReplySink {
	readonly #push: PushDelta;
	#pending = "";
	#pendingSince = 0;
	#sentAny = false;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#chain: Promise<boolean> = Promise.resolve(true);
	#owned = true;

	constructor(push: PushDelta) {
		this.#push = push;
	}

	/** False once the hub has refused a delta: stop generating. */
	get owned(): boolean {
		return this.#owned;
	}

	add(text: string): void {
		if (!this.#pending) this.#pendingSince = Date.now();
		this.#pending += text;
		if (!this.#sentAny || this.#pending.length >= COALESCE_CHARS) this.#flushNow();
		else this.#timer ??= setTimeout(() => this.#flushNow(), COALESCE_MS);
	}

	/** Sends whatever is waiting and resolves once every delta is acknowledged. */
	async flush(): Promise<boolean> {
		this.#flushNow();
		return this.#chain;
	}

	#flushNow(): void {
		if (this.#timer !== undefined) clearTimeout(this.#timer);
		this.#timer = undefined;
		if (!this.#pending) return;
		const text = this.#pending;
		const heldSince = this.#pendingSince;
		this.#pending = "";
		this.#sentAny = true;
		this.#chain = this.#chain.then(async (owned) => {
			if (!owned) return false;
			this.#owned = await this.#push(text, heldSince);
			return this.#owned;
		});
		// The failure is reported by flush(); this only keeps it from counting as unhandled meanwhile.
		this.#chain.catch(() => undefined);
	}
}
