/**
 * What the server sends about the people behind the assistant (CONTRACT §7): the conversations
 * agents work from, claims, agents and handoffs. zod/mini, like every wire schema (documented.ts).
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";
import { messageSchema } from "./message";
import { isoTime, nonEmpty } from "./scalars";
import { HANDOFF_REASONS, SESSION_STATUSES } from "./wire";

export const assigneeSchema = z.object({ agentId: nonEmpty, name: nonEmpty });
export type Assignee = z.infer<typeof assigneeSchema>;
export const assigneeDocs = {
	schema: assigneeSchema,
	id: "Assignee",
	description: "The agent holding a conversation.",
	examples: [{ agentId: "agt_4Kq", name: "Dana" }],
} satisfies Documented<typeof assigneeSchema>;

export const conversationUserSchema = z.object({ id: nonEmpty, name: z.optional(z.string()) });
export type ConversationUser = z.infer<typeof conversationUserSchema>;

export const conversationSchema = z.object({
	sessionId: nonEmpty,
	status: z.enum(SESSION_STATUSES),
	reason: z.nullable(z.enum(HANDOFF_REASONS)),
	since: isoTime,
	assignee: z.nullable(assigneeSchema),
	lastMessage: z.nullable(messageSchema),
	summary: z.nullable(z.string()),
	user: z.nullable(conversationUserSchema),
});
export type Conversation = z.infer<typeof conversationSchema>;
export const conversationDocs = {
	schema: conversationSchema,
	id: "Conversation",
	description: "A conversation as agents see it in their queue.",
	examples: [
		{
			sessionId: "ses_8fJ2kQ",
			status: "escalated",
			reason: "user_request",
			since: "2026-12-04T09:12:00.000Z",
			assignee: null,
			lastMessage: null,
			summary: null,
			user: null,
		},
	],
	fields: {
		reason: "Why it was handed to people; null while it never was.",
		since: "Escalated: when it was escalated. Open: when it started. Closed: when it was resolved.",
		user: "The identified user (CONTRACT §2), else null.",
	},
} satisfies Documented<typeof conversationSchema>;

export const conversationListSchema = z.object({ conversations: z.array(conversationSchema) });
export type ConversationList = z.infer<typeof conversationListSchema>;
export const conversationListDocs = {
	schema: conversationListSchema,
	id: "ConversationList",
	description: "Conversations, longest waiting first.",
	examples: [{ conversations: [] }],
} satisfies Documented<typeof conversationListSchema>;

export const claimedSchema = z.object({ assignee: assigneeSchema });
export type Claimed = z.infer<typeof claimedSchema>;
export const claimedDocs = {
	schema: claimedSchema,
	id: "Claimed",
	description: "The conversation is yours.",
	examples: [{ assignee: { agentId: "agt_4Kq", name: "Dana" } }],
} satisfies Documented<typeof claimedSchema>;

export const agentCreatedSchema = z.object({ agentId: nonEmpty, name: nonEmpty, token: nonEmpty });
export type AgentCreated = z.infer<typeof agentCreatedSchema>;
export const agentCreatedDocs = {
	schema: agentCreatedSchema,
	id: "AgentCreated",
	description: "A new agent and their token, shown only this once.",
	examples: [{ agentId: "agt_4Kq", name: "Dana", token: "agt_4Kq.9fJ2kQxw" }],
} satisfies Documented<typeof agentCreatedSchema>;

export const handoffResultSchema = z.object({ status: z.literal("escalated") });
export type HandoffResult = z.infer<typeof handoffResultSchema>;
export const handoffResultDocs = {
	schema: handoffResultSchema,
	id: "HandoffResult",
	description: "People answer this conversation now.",
	examples: [{ status: "escalated" }],
} satisfies Documented<typeof handoffResultSchema>;

export const sessionStatusSchema = z.object({ status: z.enum(SESSION_STATUSES) });
export type SessionStatusResult = z.infer<typeof sessionStatusSchema>;
export const sessionStatusDocs = {
	schema: sessionStatusSchema,
	id: "SessionStatus",
	description: "The conversation's status after the change.",
	examples: [{ status: "closed" }],
} satisfies Documented<typeof sessionStatusSchema>;
