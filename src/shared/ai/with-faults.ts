/**
 * Development fault injection around any AI provider: delays the first
 * chunk and fails a share of calls, transiently or permanently, as the
 * fault switch says (CONTRACT §6). Fault tests, the load suite and alert
 * tests drive it through `POST /api/admin/faults`; production never reads
 * the switch, so there this wrapper is never applied.
 */
import { PermanentError, TransientError } from "../errors";
import { type FaultEffect, type Faults, faultsActive } from "../schemas/faults";
import { NO_CHUNKS, openedStream } from "./opened-stream";
import type { AiProvider, CompletionRequest } from "./provider";

/**
 * How long an isolate uses the faults it read (ai/turn-provider.ts), and how long a change waits
 * before it returns (FaultSwitch.set and clear): longer than the lease, so a change that has
 * returned applies to the next model call anywhere, while a busy isolate asks the switch a few
 * times a second instead of on every call (issue 19: it was 2.6 % of the isolate's samples).
 */
export const FAULT_LEASE_MS = 250;
export const FAULT_SETTLE_MS = FAULT_LEASE_MS + 50;

export interface FaultOptions {
	/** The faults in force; read once per call, so a switch flipped mid-run applies to the next call. */
	faults: () => Promise<Faults>;
	/** Told what each call under faults did, for the switch's counters. */
	record?: (effects: FaultEffect[]) => void;
	random?: () => number;
}

/**
 * @example withFaults(provider, { faults: () => faultSwitch.faults() })
 */
export function withFaults(provider: AiProvider, options: FaultOptions): AiProvider {
	const random = options.random ?? Math.random;
	return {
		name: provider.name,
		model: provider.model,
		smallModel: provider.smallModel,
		stream: (request: CompletionRequest) =>
			openedStream(async () => {
				const faults = await options.faults();
				const chunks = () => ({ chunks: provider.stream(request)[Symbol.asyncIterator]() });
				if (!faultsActive(faults)) return chunks();
				const effects: FaultEffect[] = [];
				const fails = random() < faults.aiFailureRate;
				if (faults.aiDelayMs > 0) effects.push("delayed");
				if (fails) effects.push(faults.aiFailureKind === "permanent" ? "failed_permanent" : "failed_transient");
				options.record?.(effects);
				if (faults.aiDelayMs > 0) await delay(faults.aiDelayMs, request.signal);
				if (request.signal?.aborted) return { chunks: NO_CHUNKS };
				if (fails) {
					if (faults.aiFailureKind === "permanent") throw new PermanentError("injected fault: the AI provider refused the request");
					throw new TransientError("injected fault: the AI provider is unavailable");
				}
				return chunks();
			}),
	};
}

/** Waits, but gives up as soon as the caller aborts (a timeout must not leave a timer behind). */
function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		signal?.addEventListener("abort", done, { once: true });
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener("abort", done);
			resolve();
		}
	});
}
