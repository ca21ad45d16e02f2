/**
 * Server frames (CONTRACT §4): the hub builds them typed as `ServerFrame`, and
 * every client, the SDK and so the browser widget included, parses them with
 * this very schema (zod/mini, see documented.ts). Client frames are input,
 * in client-frame.ts.
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";
import { messageShape } from "./message";
import { count, nonEmpty, seq } from "./scalars";
import { ERROR_CODES, TURN_STATES } from "./wire";

export type { ClientFrame } from "./client-frame";
export { ERROR_CODES, type ErrorCode, TURN_STATES, type TurnState } from "./wire";

export const serverFrameSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal("ready"), sessionId: nonEmpty, lastSeq: count }),
	z.object({ type: z.literal("message"), ...messageShape }),
	z.object({ type: z.literal("status"), turn: nonEmpty, state: z.enum(TURN_STATES), replyTo: z.array(z.string()) }),
	z.object({ type: z.literal("delta"), turn: nonEmpty, offset: count, text: z.string() }),
	z.object({ type: z.literal("summary"), text: z.string(), throughSeq: seq }),
	z.object({ type: z.literal("error"), code: z.enum(Object.values(ERROR_CODES)), message: z.string() }),
	z.object({ type: z.literal("pong") }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export const serverFrameDocs = {
	schema: serverFrameSchema,
	id: "ServerFrame",
	description: "A WebSocket frame from the server (JSON text); `ready` always comes first.",
	examples: [
		{ type: "ready", sessionId: "ses_8fJ2kQ", lastSeq: 2 },
		{ type: "status", turn: "turn_b71", state: "streaming", replyTo: ["m-2"] },
		{ type: "delta", turn: "turn_b71", offset: 0, text: "Open Settings, " },
		{ type: "error", code: "rate_limited", message: "Too many messages in this session; retry after 60 seconds." },
	],
} satisfies Documented<typeof serverFrameSchema>;

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

/** The exact ping text the runtime answers without waking a hibernated hub. */
export const PING_TEXT = '{"type":"ping"}';
export const PONG_TEXT = '{"type":"pong"}';
