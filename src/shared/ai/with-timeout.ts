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
		async *stream(request: CompletionRequest) {
			const abort = new AbortController();
			const stopWhenCallerStops = () => abort.abort();
			request.signal?.addEventListener("abort", stopWhenCallerStops, { once: true });
			const chunks = provider.stream({ ...request, signal: abort.signal })[Symbol.asyncIterator]();
			const silence = new SilenceDeadline(timeoutMs, provider.name, abort.signal);
			let finished = false;
			try {
				for (;;) {
					const step = await silence.next(chunks);
					if (step.done) {
						finished = true;
						return;
					}
					yield step.value;
				}
			} finally {
				silence.stop();
				request.signal?.removeEventListener("abort", stopWhenCallerStops);
				if (!finished) {
					abort.abort();
					// Not awaited: a provider stuck inside next() would make return() wait for it forever.
					chunks.return?.().catch(() => undefined);
				}
			}
		},
	};
}

/**
 * The silence deadline of one stream. Each wait for a chunk may last `timeoutMs`, counted from
 * when it starts (the caller's time between chunks is not the provider's). One timer serves every
 * wait: when it fires during a later wait than the one that armed it, it is set again for what
 * that wait has left, so each wait still ends exactly at its own deadline. A timer and an abort
 * listener set and cleared per chunk cost a streamed reply more CPU than the rest of this wrapper
 * (bench/overhead.ts).
 */
class SilenceDeadline {
	readonly #timeoutMs: number;
	readonly #name: string;
	readonly #signal: AbortSignal;
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** When the wait in progress started; undefined between waits. */
	#waitingSince: number | undefined;
	/** Ends the wait in progress. */
	#stop: ((reason: unknown) => void) | undefined;

	constructor(timeoutMs: number, name: string, signal: AbortSignal) {
		this.#timeoutMs = timeoutMs;
		this.#name = name;
		this.#signal = signal;
		// A stop while no wait is in progress is seen by the next one, before it waits.
		signal.addEventListener("abort", () => this.#stop?.(signal.reason), { once: true });
	}

	/** The next chunk, unless the deadline passes first or the caller stops (then its abort reason is thrown, at once). */
	async next(chunks: AsyncIterator<string>): Promise<IteratorResult<string>> {
		if (this.#signal.aborted) throw this.#signal.reason;
		const stopped = new Promise<never>((_, reject) => {
			this.#stop = reject;
		});
		this.#waitingSince = Date.now();
		this.#timer ??= setTimeout(() => this.#check(), this.#timeoutMs);
		try {
			return await Promise.race([chunks.next(), stopped]);
		} finally {
			this.#waitingSince = undefined;
			this.#stop = undefined;
		}
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#check(): void {
		this.#timer = undefined;
		// Between waits: the next wait sets the timer again.
		if (this.#waitingSince === undefined) return;
		const left = this.#waitingSince + this.#timeoutMs - Date.now();
		if (left > 0) {
			this.#timer = setTimeout(() => this.#check(), left);
			return;
		}
		this.#stop?.(new TransientError(`AI provider ${this.#name} sent nothing for ${this.#timeoutMs} ms`));
	}
}
