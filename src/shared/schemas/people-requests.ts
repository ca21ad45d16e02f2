/**
 * What the people routes accept (CONTRACT §7), in classic zod: only the Worker parses input.
 */
import { z } from "zod";
import { documentedRequest } from "./documented";
import { queryInt } from "./http";
import { idSchema, messageTextSchema } from "./inputs";
import { SESSION_STATUSES } from "./wire";

export const handoffRequestSchema = documentedRequest(z.object({ reason: z.string().max(500).optional() }).strict(), {
	id: "HandoffRequest",
	description: "Optional. What the user said about why they want a person.",
	examples: [{ reason: "I was charged twice" }],
});
export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

export const createAgentSchema = documentedRequest(z.object({ name: z.string().trim().min(1).max(64) }).strict(), {
	id: "CreateAgentRequest",
	description: "The agent's name, as users will see it on their messages.",
	examples: [{ name: "Dana" }],
});

export const agentMessageSchema = documentedRequest(z.object({ id: idSchema.optional(), text: messageTextSchema }).strict(), {
	id: "AgentMessageRequest",
	description: "As `PostMessageRequest`: `id` is the idempotency key.",
	examples: [{ id: "a-1", text: "Hi, I'm Dana. Let me look into the double charge." }],
});

export const conversationsQuerySchema = z.object({
	status: z.enum(SESSION_STATUSES).default("escalated").describe("Which conversations: escalated (the default), open or closed."),
	limit: queryInt(1, 100, 50).describe("At most this many (1 to 100)."),
});

export const feedbackSchema = documentedRequest(
	z.union([
		z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }).strict(),
		z.object({ messageId: idSchema, helpful: z.boolean() }).strict(),
	]),
	{
		id: "FeedbackRequest",
		description: "A rating of the conversation (1 to 5, with an optional comment), or whether one assistant answer helped.",
		examples: [
			{ rating: 5, comment: "Quick and clear" },
			{ messageId: "msg_7Hq2", helpful: false },
		],
	},
);
export type Feedback = z.infer<typeof feedbackSchema>;

/** Development only: which sample back-office user the demo signs in as (routes/dev-identity.ts). */
export const demoTokenRequestSchema = z.object({ userId: z.enum(["usr_ada", "usr_grace"]) }).strict();

/** The user's answer to a `confirm` frame, over HTTP (CONTRACT §8). */
export const confirmationRequestSchema = documentedRequest(z.object({ approve: z.boolean() }).strict(), {
	id: "ConfirmationRequest",
	description: "`true` runs the back-office call the assistant proposed (exactly once); `false` declines it.",
	examples: [{ approve: true }],
});
