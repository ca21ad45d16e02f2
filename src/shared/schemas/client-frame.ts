/**
 * What a client may send over the socket (CONTRACT §4). Only the hub parses
 * it, so it is classic zod like every other input (see documented.ts); the
 * SDK imports just its type.
 */
import { z } from "zod";
import { documentedRequest } from "./documented";
import { idSchema, messageTextSchema } from "./inputs";

export const clientFrameSchema = documentedRequest(
	z.discriminatedUnion("type", [
		z.object({ type: z.literal("send"), id: idSchema.optional(), text: messageTextSchema }).strict(),
		z.object({ type: z.literal("ping") }).strict(),
	]),
	{
		id: "ClientFrame",
		description: "A WebSocket frame from the client (JSON text).",
		examples: [{ type: "send", id: "m-2", text: "And how do I change my email?" }, { type: "ping" }],
	},
);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
