/**
 * Summarization (issue: the scheduled summarization cron): the `summarize`
 * queue's message, the policy that decides when a session needs a summary,
 * and how sessions are spread over the registry's shards.
 */
import superjson from "superjson";
import { z } from "zod";
import { fnv1a } from "../hash";
import { decodeSuperjsonBody } from "./inputs";

export const SUMMARY_POLICY = {
	/** A session needs a summary once more than this many messages follow the last one… */
	messagesSince: 20,
	/** …or once it has been idle this long with any message unsummarized. */
	idleMs: 10 * 60 * 1000,
	/** The most messages one job reads and summarizes; the rest wait for the next job. */
	messagesPerJob: 50,
	/** A dispatched session is offered again after this long without a summary (the job was lost). */
	dispatchLeaseMs: 15 * 60 * 1000,
	/** A session dispatched this many times without a summary is dropped from the registry, loudly. */
	maxDispatches: 5,
} as const;

/** Registry shards: each is one Durable Object, so registrations and the cron's reads spread over them. */
export const REGISTRY_SHARDS = 16;

/**
 * The registry shard a session belongs to (FNV-1a of its id).
 * @example registryShardName("ses_abc") // "summary-registry-7"
 */
export function registryShardName(sessionId: string): string {
	return registryShardNameAt(fnv1a(sessionId) % REGISTRY_SHARDS);
}

export function registryShardNameAt(shard: number): string {
	return `summary-registry-${shard}`;
}

export const summarizeMessageSchema = z.object({
	type: z.literal("session.summarize"),
	v: z.literal(1),
	sessionId: z.string().min(1).max(100),
});
export type SummarizeMessage = z.infer<typeof summarizeMessageSchema>;

export function encodeSummarizeMessage(sessionId: string): string {
	return superjson.stringify(summarizeMessageSchema.parse({ type: "session.summarize", v: 1, sessionId }));
}

/** Throws (a permanent failure) when the body is malformed. */
export function decodeSummarizeMessage(body: unknown): SummarizeMessage {
	return decodeSuperjsonBody(summarizeMessageSchema, body);
}

/**
 * When a session next needs a summary: now once more than `messagesSince`
 * messages are unsummarized, else `idleMs` after its last message; null
 * when everything is summarized.
 * @example summaryDueAt({ lastSeq: 30, summaryThroughSeq: 0, lastActivityAt: t }) // t (due now: 30 > 20)
 */
export function summaryDueAt(state: { lastSeq: number; summaryThroughSeq: number; lastActivityAt: number }): number | null {
	const unsummarized = state.lastSeq - state.summaryThroughSeq;
	if (unsummarized <= 0) return null;
	if (unsummarized > SUMMARY_POLICY.messagesSince) return state.lastActivityAt;
	return state.lastActivityAt + SUMMARY_POLICY.idleMs;
}
