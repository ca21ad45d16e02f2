/**
 * The metric events of a session's turns, as its hub sees them: accepts,
 * time to first token, push latency, committed replies and failures. Kept
 * beside the hub rather than in it, so the hub reads as the protocol it is.
 */
import type { MetricsRecorder } from "../../shared/metrics/recorder";

export class TurnMetrics {
	readonly #recorder: MetricsRecorder;
	/** When each live turn opened (ms), for time to first token. */
	readonly #openedAt = new Map<string, number>();

	constructor(recorder: MetricsRecorder) {
		this.#recorder = recorder;
	}

	accepted(): void {
		this.#recorder.count("chat_messages_accepted_total", {});
	}

	opened(turnId: string, at: number): void {
		this.#openedAt.set(turnId, at);
	}

	firstDelta(turnId: string, at: number): void {
		const opened = this.#openedAt.get(turnId);
		if (opened !== undefined) this.#recorder.observe("chat_ai_first_token_seconds", {}, (at - opened) / 1000);
	}

	/** A delta reached every socket; `heldSince` is when its text was released for pushing. */
	pushed(heldSince: number | undefined): void {
		if (heldSince !== undefined) this.#recorder.observe("chat_ws_push_seconds", {}, (Date.now() - heldSince) / 1000);
	}

	/** A model call was admitted by the admission gate after waiting `waitedMs` (0 for most). */
	admitted(waitedMs: number): void {
		this.#recorder.observe("chat_admission_wait_seconds", {}, waitedMs / 1000);
	}

	closed(turnId: string): void {
		this.#openedAt.delete(turnId);
	}

	/** A reply was committed; `askedAt` is when the last message it answers was accepted. */
	answered(reply: { source: "model" | "cache"; askedAt: number | undefined; text: string; status: "complete" | "truncated" }): void {
		const { source } = reply;
		this.#recorder.count("chat_turns_total", { outcome: "answered", source });
		if (reply.askedAt !== undefined) this.#recorder.observe("chat_ai_response_seconds", { source }, (Date.now() - reply.askedAt) / 1000);
		this.#recorder.count("chat_ai_tokens_estimated_total", { source }, Math.ceil(reply.text.length / 4));
		if (reply.status === "truncated") this.#recorder.count("chat_replies_capped_total", {});
	}

	failed(): void {
		this.#recorder.count("chat_turns_total", { outcome: "failed", source: "model" });
	}
}
