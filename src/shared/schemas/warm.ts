/**
 * Bulk cache warming (CONTRACT §6): the admin request, the `cache-warm`
 * queue's message (one question each, so progress is per question and a
 * redelivery is idempotent per index), and the job's public status.
 */
import superjson from "superjson";
import { z } from "zod";
import { documentedRequest } from "./documented";
import { decodeSuperjsonBody, messageTextSchema } from "./inputs";

export const MAX_WARM_QUESTIONS = 1000;

export const warmRequestSchema = documentedRequest(
	z.object({ questions: z.array(messageTextSchema).min(1).max(MAX_WARM_QUESTIONS) }).strict(),
	{
		id: "WarmRequest",
		description: `1 to ${MAX_WARM_QUESTIONS} questions to answer into the cache ahead of users.`,
		examples: [{ questions: ["How do I reset my password?", "How do I export my data?"] }],
	},
);

export const jobIdSchema = z.string().regex(/^job_[A-Za-z0-9]{1,40}$/, "not a job id");

export const warmMessageSchema = z.object({
	type: z.literal("cache.warm"),
	v: z.literal(1),
	jobId: jobIdSchema,
	index: z
		.number()
		.int()
		.min(0)
		.max(MAX_WARM_QUESTIONS - 1),
	question: messageTextSchema,
});
export type WarmMessage = z.infer<typeof warmMessageSchema>;

export function encodeWarmMessage(message: WarmMessage): string {
	return superjson.stringify(warmMessageSchema.parse(message));
}

/** Throws (a permanent failure) when the body is malformed. */
export function decodeWarmMessage(body: unknown): WarmMessage {
	return decodeSuperjsonBody(warmMessageSchema, body);
}

export const warmOutcomeSchema = z.enum(["warmed", "skipped", "failed"]);
export type WarmOutcome = z.infer<typeof warmOutcomeSchema>;

/** A job's public status (GET /api/admin/jobs/:id): the response schema's type. */
export type { JobStatus } from "./responses";
