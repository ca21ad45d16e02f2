/**
 * WebSocket frames in both directions (CONTRACT §4). The hub parses client
 * frames and builds server frames typed as `ServerFrame`; the browser client
 * parses server frames with a zod/mini copy bound to this type
 * (src/sdk/frames.ts), which keeps the widget small.
 */
import { z } from "zod";
import { documented } from "./documented";
import { idSchema, messageSchema, messageTextSchema } from "./message";

export const clientFrameSchema = documented(
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

import { ERROR_CODES, TURN_STATES } from "./wire";

export { ERROR_CODES, type ErrorCode, TURN_STATES, type TurnState } from "./wire";

export const serverFrameSchema = documented(
	z.discriminatedUnion("type", [
		z.object({ type: z.literal("ready"), sessionId: z.string(), lastSeq: z.number().int().min(0) }),
		messageSchema.extend({ type: z.literal("message") }),
		z.object({ type: z.literal("status"), turn: z.string(), state: z.enum(TURN_STATES), replyTo: z.array(z.string()) }),
		z.object({ type: z.literal("delta"), turn: z.string(), offset: z.number().int().min(0), text: z.string() }),
		z.object({ type: z.literal("summary"), text: z.string(), throughSeq: z.number().int().min(1) }),
		z.object({ type: z.literal("error"), code: z.enum(Object.values(ERROR_CODES)), message: z.string() }),
		z.object({ type: z.literal("pong") }),
	]),
	{
		id: "ServerFrame",
		description: "A WebSocket frame from the server (JSON text); `ready` always comes first.",
		examples: [
			{ type: "ready", sessionId: "ses_8fJ2kQ", lastSeq: 2 },
			{ type: "status", turn: "turn_b71", state: "streaming", replyTo: ["m-2"] },
			{ type: "delta", turn: "turn_b71", offset: 0, text: "Open Settings, " },
			{ type: "error", code: "rate_limited", message: "Too many messages in this session; retry after 60 seconds." },
		],
	},
);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

/** The exact ping text the runtime answers without waking a hibernated hub. */
export const PING_TEXT = '{"type":"ping"}';
export const PONG_TEXT = '{"type":"pong"}';
