/**
 * Queue message bodies. One queue, one schema; every body carries a literal
 * `type` and a version `v`, and wire names never change in place. Bodies are
 * serialized with superjson text so that dates survive the trip.
 */
import superjson from "superjson";
import { z } from "zod";
import { newId } from "../ids";
import { decodeSuperjsonBody, idSchema } from "./inputs";

/** Retries of a turn after transient failures before its job is dead-lettered (wrangler.toml's max_retries for chat-turns). */
export const MAX_TURN_RETRIES = 5;

/** The most message ids one job may carry. */
export const MAX_JOB_MESSAGES = 100;

export const chatTurnJobSchema = z.object({
	type: z.literal("chat.turn"),
	v: z.literal(1),
	sessionId: idSchema,
	messageIds: z.array(idSchema).min(1).max(MAX_JOB_MESSAGES),
	traceId: z.string().min(1).max(64),
	enqueuedAt: z.date(),
	/** Why this job exists: a fresh accept, messages that arrived during a turn, the watchdog, or a retry after a transient failure. */
	reason: z.enum(["accepted", "follow_up", "watchdog", "retry"]),
	/** Which attempt at answering these messages this job is (1 for a first try); added in place as optional, so older bodies still parse. */
	attempt: z.number().int().min(1).max(100).default(1),
});
export type ChatTurnJob = z.infer<typeof chatTurnJobSchema>;

/**
 * Jobs for a session's messages, split so that none carries more than MAX_JOB_MESSAGES ids.
 * @example chatTurnJobs({ sessionId, messageIds: ids150, enqueuedAt: new Date(), reason: "watchdog" }).length // 2
 */
export function chatTurnJobs(
	input: Pick<ChatTurnJob, "sessionId" | "messageIds" | "enqueuedAt" | "reason"> & { attempt?: number },
): ChatTurnJob[] {
	const jobs: ChatTurnJob[] = [];
	for (let i = 0; i < input.messageIds.length; i += MAX_JOB_MESSAGES) {
		jobs.push({
			type: "chat.turn",
			v: 1,
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

/** The queue body is superjson text, so that `enqueuedAt` stays a Date. */
export function encodeJob(job: ChatTurnJob): string {
	return superjson.stringify(chatTurnJobSchema.parse(job));
}

/** Parses a queue body; throws (a permanent failure) when it is malformed. */
export function decodeJob(body: unknown): ChatTurnJob {
	return decodeSuperjsonBody(chatTurnJobSchema, body);
}
