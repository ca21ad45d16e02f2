/**
 * What a session hub reports to the support desk (durable/support-desk): its conversation as
 * agents list it, numbered by the hub's own revision so the newest report wins.
 */
import * as z from "zod/mini";
import { conversationSchema } from "./people";

export const conversationSnapshotSchema = z.object({
	revision: z.int().check(z.positive()),
	/** What "longest waiting first" orders by (ms): `conversation.since`. */
	sinceMs: z.int().check(z.gte(0)),
	conversation: conversationSchema,
});
export type ConversationSnapshot = z.infer<typeof conversationSnapshotSchema>;
