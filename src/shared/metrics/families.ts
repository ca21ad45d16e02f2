/**
 * Every metric family the product exports (CONTRACT §6), with its type,
 * help text and label names: one table, so a recorder cannot invent a name
 * the exposition does not describe, and the exposition cannot drift from
 * what is recorded.
 */

export const COUNTERS = {
	chat_messages_accepted_total: { help: "User messages accepted (duplicates not counted).", labels: [] },
	chat_turns_total: { help: "Turns committed, by outcome and where the reply came from.", labels: ["outcome", "source"] },
	chat_shared_streams_total: {
		help: "Turns that joined an identical turn's answer while it streamed: followed to its end, or fell back to answering on their own.",
		labels: ["result"],
	},
	chat_errors_total: { help: "Errors by category.", labels: ["category"] },
	chat_dlq_messages_total: { help: "Jobs that reached a dead-letter queue.", labels: ["queue"] },
	chat_ai_tokens_estimated_total: { help: "Tokens of committed replies, estimated at four characters per token.", labels: ["source"] },
	chat_ai_tokens_total: {
		help: "Tokens sent to and received from each model, estimated at 3.5 characters per token.",
		labels: ["model", "direction"],
	},
	chat_ai_cost_dollars_total: {
		help: "Estimated model spend in dollars, from the configured price per million tokens.",
		labels: ["model"],
		scale: 1e-9,
	},
	chat_ai_routing_total: {
		help: "Model routing decisions (AI_ROUTING=auto): the model a turn went to and why; reason declined counts escalations.",
		labels: ["model", "reason"],
	},
	chat_replies_capped_total: { help: "Replies cut at the 1000-character cap.", labels: [] },
	cache_requests_total: { help: "Cache lookups by kind, level and result.", labels: ["kind", "level", "result"] },
	cache_warm_questions_total: { help: "Questions processed by warming jobs.", labels: ["result"] },
	summaries_total: { help: "Summarize jobs by result.", labels: ["result"] },
	chat_handoffs_total: { help: "Conversations escalated to people, by reason.", labels: ["reason"] },
	chat_tool_calls_total: { help: "Back-office tool calls (CONTRACT §8), by tool and how they ended.", labels: ["tool", "status"] },
	chat_conversation_outcomes_total: {
		help: "Each conversation counted once, when its outcome is known: who resolved it, and whether the user confirmed it.",
		labels: ["outcome", "basis"],
	},
	chat_feedback_total: {
		help: "Feedback received: conversation ratings (1 to 5) and answers marked helpful or unhelpful.",
		labels: ["kind", "value"],
	},
} as const satisfies Record<string, { help: string; labels: readonly string[]; scale?: number }>;

export const HISTOGRAMS = {
	chat_ai_response_seconds: { help: "Accept of the (last) user message to the final reply committed.", labels: ["source"] },
	chat_ai_first_token_seconds: { help: "Turn opened to first delta pushed.", labels: [] },
	chat_ws_push_seconds: { help: "A delta or final reply handed to the hub until sent to every socket.", labels: [] },
	chat_do_operation_seconds: { help: "Durable Object RPCs, as the caller sees them.", labels: ["op"] },
	chat_queue_wait_seconds: { help: "Enqueued to delivered to a consumer.", labels: ["queue"] },
	chat_summarize_seconds: { help: "One summarize job, from reading the messages to storing the summary.", labels: [] },
	chat_admission_wait_seconds: { help: "A turn's model call ready to admitted by the admission gate.", labels: [] },
	chat_handoff_wait_seconds: { help: "A conversation escalated to people until the first agent message.", labels: [] },
} as const satisfies Record<string, { help: string; labels: readonly string[] }>;

export type CounterName = keyof typeof COUNTERS;
const COUNTER_TABLE: Readonly<Record<string, { help: string; scale?: number }>> = COUNTERS;

/**
 * What one recorded unit of a counter is worth in the unit its name says. Counters are
 * whole numbers, so that sums are exact in any order; money is recorded in nano-dollars
 * and shown in dollars.
 * @example counterScale("chat_ai_cost_dollars_total") // 1e-9
 */
export function counterScale(name: string): number {
	return Object.hasOwn(COUNTER_TABLE, name) ? (COUNTER_TABLE[name]?.scale ?? 1) : 1;
}
export type HistogramName = keyof typeof HISTOGRAMS;

/**
 * Histogram bucket upper bounds, in seconds, shared by every histogram so
 * that any two merge by adding bucket counts. They include each SLO
 * threshold (0.2 s push, 1 s Durable Object operation, 5 s AI response,
 * 300 s wait for a person), so
 * the share of events under a threshold is exact, not interpolated.
 */
export const BUCKET_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600] as const;

/**
 * The index of the bucket an observation falls in (the last index is +Inf).
 * @example bucketIndex(0.2) // 5: `le="0.2"` includes 0.2 itself
 */
export function bucketIndex(seconds: number): number {
	const index = BUCKET_BOUNDS.findIndex((bound) => seconds <= bound);
	return index === -1 ? BUCKET_BOUNDS.length : index;
}
