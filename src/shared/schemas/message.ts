/**
 * The transcript message: the one shape stored by the session hub, returned by
 * `GET /messages`, replayed and pushed over the socket (CONTRACT §3).
 */
import { z } from "zod";
import { MESSAGE_STATUSES, ROLES } from "./wire";

export { MESSAGE_STATUSES, type MessageStatus, ROLES, type Role } from "./wire";

/** Client-generated idempotency keys and every other opaque id we accept. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must match ^[A-Za-z0-9_-]{1,64}$");

/**
 * 1..2000 characters once trimmed; the trimmed text is what gets stored.
 * A lone UTF-16 surrogate is not a character and has no UTF-8 form: SQLite
 * would store U+FFFD in its place, and the transcript would differ from the
 * text that was accepted and echoed (found by test/fuzz).
 */
export const messageTextSchema = z
	.string()
	.trim()
	.min(1, "must not be empty")
	.max(2000, "must be at most 2000 characters")
	.refine((text) => text.isWellFormed(), "must be well-formed Unicode (no lone surrogates)");

export const citationSchema = z.object({
	id: z.string(),
	title: z.string(),
	url: z.string().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

export const messageSchema = z.object({
	seq: z.number().int().positive(),
	id: z.string(),
	role: z.enum(ROLES),
	text: z.string(),
	createdAt: z.string(),
	replyTo: z.array(z.string()).optional(),
	citations: z.array(citationSchema).optional(),
	status: z.enum(MESSAGE_STATUSES),
});
export type Message = z.infer<typeof messageSchema>;
