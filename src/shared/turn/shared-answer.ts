/**
 * One computation of an answer, streamed to every identical turn in the
 * isolate. The turn that runs it (the owner) writes the reply into its own
 * deltas and publishes the same text to the flight; a turn that joins it
 * streams what was written so far and then follows it, so its first delta
 * comes when the owner's does, not when the owner has finished.
 *
 * The owner's fate is not its followers': a follower whose owner stops (its
 * session erased), fails (transiently or for good) or falls silent leaves
 * the computation and answers on its own, in the same attempt, without
 * spending a retry. An owner whose own turn is superseded keeps computing for
 * its followers and the cache; only its commit is refused.
 */
import type { FlightProgress } from "../cache";
import { describeError } from "../errors";
import type { CachedAnswer, LiveAnswer } from "./answer-cache";
import type { ReplySink } from "./delta-coalescer";

/**
 * How long followers wait for more of a computation before they leave it: a
 * quarter of the provider's own silence deadline (`AI_TIMEOUT_MS`: 20 s, so
 * 5 s). An owner whose provider goes quiet fails at that deadline anyway, and
 * its failure releases its followers; this catches the owners that will never
 * say anything again (a context cancelled, an object reset) or that are stuck
 * outside the provider. 5 s is several times a healthy model's first token
 * (0.4 s locally with the realistic profile, about 0.5–1.5 s for Llama 3.3
 * 70B) and a hundred times its gaps between chunks, so a live owner is never
 * left; and a dead one costs its followers 5 s, not 20.
 * @example followSilenceMs(20_000) // 5000
 */
export function followSilenceMs(aiTimeoutMs: number): number {
	return Math.max(1, Math.round(aiTimeoutMs / 4));
}

/** Computations a turn follows and loses before it computes on its own instead of joining another. */
export const MAX_FOLLOWED = 2;

/** How following a computation ended for the follower. */
export type Followed =
	| { kind: "answered"; answer: CachedAnswer }
	| { kind: "superseded" }
	/** It ended without an answer for this turn; `shown` characters of it had been pushed. */
	| { kind: "left"; reason: string; shown: number };

/**
 * Streams `live` into `deltas`: what it has written so far, then each piece
 * as it comes, then the rest of its final text. Rejects with `signal`'s
 * reason once that aborts (the follower's session is being erased).
 * @example const followed = await followAnswer(shared.live, deltas, signal);
 */
export async function followAnswer(live: LiveAnswer, deltas: ReplySink, signal?: AbortSignal): Promise<Followed> {
	let shown = 0;
	for (;;) {
		const event = await live.next(shown, signal);
		const text = live.text;
		if (text.length > shown) {
			deltas.add(text.slice(shown));
			shown = text.length;
		}
		if (!deltas.owned) return { kind: "superseded" };
		if (event === "silent") return { kind: "left", reason: "the computation went silent", shown };
		if (event === "settled") break;
	}
	let answer: CachedAnswer;
	try {
		answer = await live.answer();
	} catch (error) {
		return { kind: "left", reason: describeError(error), shown };
	}
	// Published text is always a prefix of the answer (the sanitizer never takes text back); never show anything else.
	if (!answer.text.startsWith(live.text.slice(0, shown))) return { kind: "left", reason: "the answer diverged from its stream", shown };
	if (answer.text.length > shown) deltas.add(answer.text.slice(shown));
	if (!(await deltas.flush())) return { kind: "superseded" };
	return { kind: "answered", answer };
}

/**
 * The owner's sink: its own deltas, and its followers through the flight.
 * It reports itself owned whatever the owner's hub says, so the computation
 * carries on for its followers and the cache once the owner's own turn is
 * superseded (its deltas then stop, and its commit is refused).
 */
export function sharedSink(deltas: ReplySink, progress: FlightProgress): ReplySink {
	return {
		add(text) {
			progress.publish(text);
			deltas.add(text);
		},
		async flush() {
			await deltas.flush();
			return true;
		},
		owned: true,
	};
}
