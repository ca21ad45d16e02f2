/**
 * The transcript message: the one shape stored by the session hub, returned by
 * `GET /messages`, replayed and pushed over the socket (CONTRACT §3).
 */
import { z } from "zod";
import { documented } from "./documented";
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

export const citationSchema = documented(
	z.object({
		id: z.string(),
		title: z.string(),
		url: z.string().optional(),
	}),
	{
		id: "Citation",
		description: "A knowledge-base article an assistant reply used.",
		examples: [{ id: "reset-password", title: "Resetting your password", url: "https://help.example.com/reset-password" }],
	},
);
export type Citation = z.infer<typeof citationSchema>;

export const messageSchema = documented(
	z.object({
		seq: z.number().int().positive(),
		id: z.string(),
		role: z.enum(ROLES),
		text: z.string(),
		createdAt: z.string(),
		replyTo: z.array(z.string()).optional(),
		citations: z.array(citationSchema).optional(),
		status: z.enum(MESSAGE_STATUSES),
	}),
	{
		id: "Message",
		description:
			"One transcript entry. `seq` increases by one per message, from 1. `replyTo` (assistant and system only) lists the user message ids a reply answers; `citations` (assistant only) the articles it used.",
		examples: [
			{
				seq: 2,
				id: "msg_7Hq2",
				role: "assistant",
				text: "Open Settings, then Security, and choose Reset password.",
				createdAt: "2026-11-27T17:30:02.412Z",
				replyTo: ["m-1"],
				citations: [{ id: "reset-password", title: "Resetting your password" }],
				status: "complete",
			},
		],
	},
);
export type Message = z.infer<typeof messageSchema>;
