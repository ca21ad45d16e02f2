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
			let finished = false;
			try {
				for (;;) {
					const step = await nextWithin(chunks, timeoutMs, provider.name, abort.signal);
					if (step.done) {
						finished = true;
						return;
					}
					yield step.value;
				}
			} finally {
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

/** The next chunk, unless the deadline passes first or the caller stops (then its abort reason is thrown, at once). */
async function nextWithin(
	chunks: AsyncIterator<string>,
	timeoutMs: number,
	name: string,
	signal: AbortSignal,
): Promise<IteratorResult<string>> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let onAbort: (() => void) | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TransientError(`AI provider ${name} sent nothing for ${timeoutMs} ms`)), timeoutMs);
	});
	const stopped = new Promise<never>((_, reject) => {
		onAbort = () => reject(signal.reason);
		if (signal.aborted) onAbort();
		else signal.addEventListener("abort", onAbort, { once: true });
	});
	try {
		return await Promise.race([chunks.next(), timeout, stopped]);
	} finally {
		clearTimeout(timer);
		if (onAbort) signal.removeEventListener("abort", onAbort);
	}
}
