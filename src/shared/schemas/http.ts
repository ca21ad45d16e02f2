/** Request bodies and query strings of the public HTTP API (CONTRACT §2, §3, §5). */
import { z } from "zod";
import { idSchema, messageTextSchema } from "./message";

const METADATA_MAX_BYTES = 2048;

export const createSessionSchema = z
	.object({
		userId: z.string().min(1).max(128).optional(),
		locale: z.string().min(2).max(35).optional(),
		metadata: z
			.record(z.string(), z.unknown())
			.refine((value) => new TextEncoder().encode(JSON.stringify(value)).byteLength <= METADATA_MAX_BYTES, {
				message: `must serialize to at most ${METADATA_MAX_BYTES} bytes`,
			})
			.optional(),
	})
	.strict();
export type CreateSession = z.infer<typeof createSessionSchema>;

export const postMessageSchema = z
	.object({
		id: idSchema.optional(),
		text: messageTextSchema,
	})
	.strict();
export type PostMessage = z.infer<typeof postMessageSchema>;

/** Query numbers arrive as strings; reject "1.5", "abc" and "" instead of guessing. */
const queryInt = (min: number, max: number) =>
	z
		.string()
		.regex(/^\d{1,9}$/, "must be a non-negative integer")
		.transform(Number)
		.pipe(z.number().int().min(min).max(max));

export const listMessagesQuerySchema = z.object({
	after: queryInt(0, Number.MAX_SAFE_INTEGER).default(0),
	limit: queryInt(1, 100).default(50),
});

export const wsQuerySchema = z.object({
	after: queryInt(0, Number.MAX_SAFE_INTEGER).default(0),
	token: z.string().min(1).max(512).optional(),
});

export const kbSearchQuerySchema = z.object({
	q: z.string().trim().min(1, "must not be empty").max(500),
	limit: queryInt(1, 20).default(5),
});

export const articleIdSchema = idSchema;

export const articleInputSchema = z
	.object({
		// Lone surrogates would be stored as U+FFFD: refuse them instead of changing what was sent.
		title: z
			.string()
			.trim()
			.min(1)
			.max(200)
			.refine((text) => text.isWellFormed(), "must be well-formed Unicode"),
		body: z
			.string()
			.trim()
			.min(1)
			.max(20_000)
			.refine((text) => text.isWellFormed(), "must be well-formed Unicode"),
		url: z
			.url({ protocol: /^https?$/ })
			.max(2048)
			.optional(),
		tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
	})
	.strict();
export type ArticleInput = z.infer<typeof articleInputSchema>;
