/**
 * WebSocket frames in both directions (CONTRACT §4). The client frames are
 * parsed; the server frames are built with `satisfies ServerFrame`.
 */
import { z } from "zod";
import type { Message } from "./message";
import { idSchema, messageTextSchema } from "./message";

export const clientFrameSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal("send"), id: idSchema.optional(), text: messageTextSchema }).strict(),
	z.object({ type: z.literal("ping") }).strict(),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const TURN_STATES = ["queued", "thinking", "streaming", "done", "failed", "escalated"] as const;
export type TurnState = (typeof TURN_STATES)[number];

export const ERROR_CODES = { badFrame: "bad_frame", rateLimited: "rate_limited", unavailable: "unavailable" } as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export type ServerFrame =
	| { type: "ready"; sessionId: string; lastSeq: number }
	| ({ type: "message" } & Message)
	| { type: "status"; turn: string; state: TurnState; replyTo: string[] }
	| { type: "delta"; turn: string; offset: number; text: string }
	| { type: "error"; code: ErrorCode; message: string }
	| { type: "pong" };

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

/** The exact ping text the runtime answers without waking a hibernated hub. */
export const PING_TEXT = '{"type":"ping"}';
export const PONG_TEXT = '{"type":"pong"}';
