/**
 * A deadline for every AI provider call: a provider that sends nothing for
 * `timeoutMs` (before its first chunk, or between two) is cut off and
 * reported as a TransientError, so the turn is retried instead of holding
 * its lease until the watchdog notices. Keep `timeoutMs` below the hub's
 * turn lease (30 s), or a slow provider loses its turn before it times out.
 */
import { TransientError } from "../errors";
import type { AiProvider, CompletionRequest } from "./provider";

/**
 * @example withTimeout(selectProvider(config.ai, env.AI), config.aiTimeoutMs)
 */
export function withTimeout(provider: AiProvider, timeoutMs: number): AiProvider {
	return {
		name: provider.name,
		model: provider.model,
		smallModel: provider.smallModel,
		stream: (request: CompletionRequest) => new DeadlineStream(provider, request, timeoutMs),
	};
}

/**
 * One call's stream under its silence deadline. Each wait for a chunk may last `timeoutMs`, counted
 * from when it starts (the caller's time between chunks is not the provider's). One timer serves
 * every wait: when it fires during a later wait than the one that armed it, it is set again for what
 * that wait has left, so each wait still ends exactly at its own deadline. A timer and an abort
 * listener set and cleared per chunk cost a streamed reply more CPU than the rest of this wrapper,
 * and so did an async generator and a `Promise.race` per chunk (bench:overhead, docs/benchmarks.md
 * "Tenth round"): a wait is one promise, settled by the chunk, the deadline or the caller's stop,
 * whichever comes first.
 */
class DeadlineStream implements AsyncIterableIterator<string> {
	readonly #provider: AiProvider;
	readonly #request: CompletionRequest;
	readonly #timeoutMs: number;
	/** Stops the provider's call: the deadline passed, the caller stopped, or the stream ended early. */
	readonly #abort = new AbortController();
	/** Opened at the first `next()`, as an async generator's body would be. */
	#chunks: AsyncIterator<string> | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** When the wait in progress started; undefined between waits. */
	#waitingSince: number | undefined;
	/** Settles the wait in progress; undefined between waits. */
	#wait: { resolve(result: IteratorResult<string>): void; reject(reason: unknown): void } | undefined;
	#closed = false;

	constructor(provider: AiProvider, request: CompletionRequest, timeoutMs: number) {
		this.#provider = provider;
		this.#request = request;
		this.#timeoutMs = timeoutMs;
	}

	[Symbol.asyncIterator](): this {
		return this;
	}

	/** The next chunk, unless the deadline passes first or the caller stops (then its abort reason is thrown, at once). */
	next(): Promise<IteratorResult<string>> {
		if (this.#closed) return Promise.resolve({ done: true, value: undefined });
		const chunks = this.#chunks ?? this.#open();
		if (this.#abort.signal.aborted) {
			this.#close(false);
			return Promise.reject(this.#abort.signal.reason);
		}
		this.#waitingSince = Date.now();
		this.#timer ??= setTimeout(this.#check, this.#timeoutMs);
		const waiting = new Promise<IteratorResult<string>>((resolve, reject) => {
			this.#wait = { resolve, reject };
		});
		chunks.next().then(this.#arrived, this.#stop);
		return waiting;
	}

	async return(): Promise<IteratorResult<string>> {
		this.#close(false);
		return { done: true, value: undefined };
	}

	#open(): AsyncIterator<string> {
		this.#request.signal?.addEventListener("abort", this.#callerStopped, { once: true });
		this.#chunks = this.#provider.stream({ ...this.#request, signal: this.#abort.signal })[Symbol.asyncIterator]();
		return this.#chunks;
	}

	readonly #arrived = (result: IteratorResult<string>): void => {
		const wait = this.#endWait();
		// The wait already ended (the deadline or a stop): this result comes too late for anyone.
		if (!wait) return;
		if (result.done) this.#close(true);
		wait.resolve(result);
	};

	/** Ends the wait in progress, and the stream with it, with `reason`. */
	readonly #stop = (reason: unknown): void => {
		const wait = this.#endWait();
		if (!wait) return;
		this.#close(false);
		wait.reject(reason);
	};

	readonly #callerStopped = (): void => {
		this.#abort.abort();
		// A stop while no wait is in progress is seen by the next one, before it waits.
		this.#stop(this.#abort.signal.reason);
	};

	readonly #check = (): void => {
		this.#timer = undefined;
		// Between waits: the next wait sets the timer again.
		if (this.#waitingSince === undefined) return;
		const left = this.#waitingSince + this.#timeoutMs - Date.now();
		if (left > 0) {
			this.#timer = setTimeout(this.#check, left);
			return;
		}
		this.#stop(new TransientError(`AI provider ${this.#provider.name} sent nothing for ${this.#timeoutMs} ms`));
	};

	#endWait(): { resolve(result: IteratorResult<string>): void; reject(reason: unknown): void } | undefined {
		const wait = this.#wait;
		this.#wait = undefined;
		this.#waitingSince = undefined;
		return wait;
	}

	/** `finished`: the provider's stream ended by itself; otherwise it is stopped (not awaited: a provider stuck inside next() would hold us). */
	#close(finished: boolean): void {
		if (this.#closed) return;
		this.#closed = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#request.signal?.removeEventListener("abort", this.#callerStopped);
		if (finished) return;
		this.#abort.abort();
		this.#chunks?.return?.().catch(() => undefined);
	}
}
