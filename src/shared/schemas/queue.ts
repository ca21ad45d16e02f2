/**
 * Queue message bodies. One queue, one schema; every body carries a literal
 * `type` and a version `v`, and wire names never change in place. A chat
 * job is plain JSON text (v2, `enqueuedAt` in ms since the epoch); v1 bodies
 * (superjson text, `enqueuedAt` a Date) are still read, so none in flight
 * during a deploy is lost.
 */
import superjson from "superjson";
import { z } from "zod";
import { newId } from "../ids";
import { bodyText, idSchema, isSuperjsonEnvelope } from "./inputs";

/** Retries of a turn after transient failures before its job is dead-lettered (wrangler.toml's max_retries for chat-turns). */
export const MAX_TURN_RETRIES = 5;

/** The most message ids one job may carry. */
export const MAX_JOB_MESSAGES = 100;

const jobFields = {
	type: z.literal("chat.turn"),
	sessionId: idSchema,
	messageIds: z.array(idSchema).min(1).max(MAX_JOB_MESSAGES),
	traceId: z.string().min(1).max(64),
	/** Why this job exists: a fresh accept, messages that arrived during a turn, the watchdog, or a retry after a transient failure. */
	reason: z.enum(["accepted", "follow_up", "watchdog", "retry"]),
	/** Which attempt at answering these messages this job is (1 for a first try); added in place as optional, so older bodies still parse. */
	attempt: z.number().int().min(1).max(100).default(1),
};

/**
 * v2, plain JSON. A job is strings and numbers only: superjson's walk and a zod parse on the way
 * out cost each accept more CPU than the rest of sending it (bench/overhead.ts, docs/benchmarks.md).
 */
export const chatTurnJobSchema = z.object({ ...jobFields, v: z.literal(2), enqueuedAt: z.number().int().min(0) });
export type ChatTurnJob = z.infer<typeof chatTurnJobSchema>;

/** v1, superjson text: sent by builds before v2, read as v2. */
const chatTurnJobV1Schema = z.object({ ...jobFields, v: z.literal(1), enqueuedAt: z.date() });

/**
 * Jobs for a session's messages, split so that none carries more than MAX_JOB_MESSAGES ids.
 * @example chatTurnJobs({ sessionId, messageIds: ids150, enqueuedAt: Date.now(), reason: "watchdog" }).length // 2
 */
export function chatTurnJobs(
	input: Pick<ChatTurnJob, "sessionId" | "messageIds" | "enqueuedAt" | "reason"> & { attempt?: number },
): ChatTurnJob[] {
	const jobs: ChatTurnJob[] = [];
	for (let i = 0; i < input.messageIds.length; i += MAX_JOB_MESSAGES) {
		jobs.push({
			type: "chat.turn",
			v: 2,
			sessionId: input.sessionId,
			messageIds: input.messageIds.slice(i, i + MAX_JOB_MESSAGES),
			traceId: newId("trace"),
			enqueuedAt: input.enqueuedAt,
			reason: input.reason,
			attempt: input.attempt ?? 1,
		});
	}
	return jobs;
}

/** The queue body: JSON text. Typed on the way out (the hub builds jobs from what it stored); parsed on the way in. */
export function encodeJob(job: ChatTurnJob): string {
	return JSON.stringify(job);
}

/**
 * Parses a queue body, v2 or v1; throws (a permanent failure) when it is malformed.
 * @example decodeJob(message.body).messageIds
 */
export function decodeJob(body: unknown): ChatTurnJob {
	const text = bodyText.parse(body);
	const parsed: unknown = JSON.parse(text);
	if (!isSuperjsonEnvelope(parsed)) return chatTurnJobSchema.parse(parsed);
	const v1 = chatTurnJobV1Schema.parse(superjson.parse<unknown>(text));
	return { ...v1, v: 2, enqueuedAt: v1.enqueuedAt.getTime() };
}
