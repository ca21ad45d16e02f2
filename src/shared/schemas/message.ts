/**
 * The transcript message: the one shape stored by the session hub, returned by
 * `GET /messages`, replayed and pushed over the socket (CONTRACT §3).
 * zod/mini, so the SDK parses with this very schema (see documented.ts).
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";
import { isoTime, nonEmpty, seq } from "./scalars";
import { MESSAGE_STATUSES, ROLES, TOOL_USE_STATUSES } from "./wire";

export { MESSAGE_STATUSES, type MessageStatus, ROLES, type Role, TOOL_USE_STATUSES, type ToolUseStatus } from "./wire";

export const citationSchema = z.object({ id: nonEmpty, title: nonEmpty, url: z.optional(z.string()) });
export type Citation = z.infer<typeof citationSchema>;
export const citationDocs = {
	schema: citationSchema,
	id: "Citation",
	description: "A knowledge-base article an assistant reply used.",
	examples: [{ id: "reset-password", title: "Resetting your password", url: "https://help.example.com/reset-password" }],
} satisfies Documented<typeof citationSchema>;

/** Who wrote an `agent` message: the person, as the admin named them (CONTRACT §7). */
export const authorSchema = z.object({ id: nonEmpty, name: nonEmpty });
export type Author = z.infer<typeof authorSchema>;

/** A back-office tool call an assistant reply used (CONTRACT §8). */
export const toolUseSchema = z.object({ callId: nonEmpty, name: nonEmpty, status: z.enum(TOOL_USE_STATUSES) });
export type ToolUse = z.infer<typeof toolUseSchema>;

/** The Message fields, also spread into the `message` frame. */
export const messageShape = {
	seq,
	id: nonEmpty,
	role: z.enum(ROLES),
	author: z.optional(authorSchema),
	text: z.string(),
	createdAt: isoTime,
	replyTo: z.optional(z.array(z.string())),
	citations: z.optional(z.array(citationSchema)),
	status: z.enum(MESSAGE_STATUSES),
	tools: z.optional(z.array(toolUseSchema)),
};

export const messageSchema = z.object(messageShape);
export type Message = z.infer<typeof messageSchema>;
export const messageDocs = {
	schema: messageSchema,
	id: "Message",
	description:
		"One transcript entry. `seq` increases by one per message, from 1. `role` `agent` is a person answering (CONTRACT §7), named by `author`. `replyTo` (assistant and system only) lists the user message ids a reply answers; `citations` (assistant only) the articles it used; `tools` (assistant only) the back-office calls it made (CONTRACT §8).",
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
} satisfies Documented<typeof messageSchema>;
