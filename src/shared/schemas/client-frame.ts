/**
 * What a client may send over the socket (CONTRACT §4). Only the hub parses
 * it, so it is classic zod like every other input (see documented.ts); the
 * SDK imports just its type.
 */
import { z } from "zod";
import { documentedRequest } from "./documented";
import { idSchema, messageTextSchema } from "./inputs";
import { PING_TEXT, PONG_TEXT } from "./wire";

export const clientFrameSchema = documentedRequest(
	z.discriminatedUnion("type", [
		z.object({ type: z.literal("send"), id: idSchema.optional(), text: messageTextSchema }).strict(),
		z.object({ type: z.literal("ping") }).strict(),
		z.object({ type: z.literal("confirm"), callId: idSchema, approve: z.boolean() }).strict(),
	]),
	{
		id: "ClientFrame",
		description: "A WebSocket frame from the client (JSON text).",
		examples: [
			{ type: "send", id: "m-2", text: "And how do I change my email?" },
			{ type: "ping" },
			{ type: "confirm", callId: "call_4kR9", approve: true },
		],
	},
);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** What each client frame means, for the protocol's description (see SERVER_FRAME_MEANINGS). */
export const CLIENT_FRAME_MEANINGS: Record<ClientFrame["type"], string> = {
	send: "A user message, with the same semantics and idempotency as `POST /messages`; the sender receives its own `message` frame with the assigned `seq`.",
	confirm: "The user's answer to a `confirm` frame: `approve` runs the call (once), `false` declines it; a second answer changes nothing.",
	ping: `Heartbeat: send exactly \`${PING_TEXT}\` and expect \`${PONG_TEXT}\`.`,
};
