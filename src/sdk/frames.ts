/**
 * Server frames as every client parses them (CONTRACT §4): the shared
 * `serverFrameSchema` itself, written in zod/mini so the browser widget can
 * afford it (src/shared/schemas/frames.ts), plus what only a client needs.
 */
import * as z from "zod/mini";
import { type ServerFrame, serverFrameSchema } from "../shared/schemas/frames";

export type { ClientFrame } from "../shared/schemas/client-frame";
export { PING_TEXT, type ServerFrame, serverFrameSchema } from "../shared/schemas/frames";
export type { Message } from "../shared/schemas/message";

export type MessageFrame = Extract<ServerFrame, { type: "message" }>;
export type StatusFrame = Extract<ServerFrame, { type: "status" }>;
export type ConfirmFrame = Extract<ServerFrame, { type: "confirm" }>;
export type DeltaFrame = Extract<ServerFrame, { type: "delta" }>;
export type ErrorFrame = Extract<ServerFrame, { type: "error" }>;
export type SummaryFrame = Extract<ServerFrame, { type: "summary" }>;

/**
 * Anything with zod's `safeParse`: the shared schemas, or a stricter variant
 * a conformance test passes in instead (test/support/strict.ts).
 */
export interface Parser<T> {
	safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/**
 * Any `error` frame, including a code newer than this build (`serverFrameSchema`
 * rejects those). The connection still acts on it, as retryable, because it
 * answers the send in flight; see `ChatConnection`.
 */
export const anyErrorFrameSchema = z.object({ type: z.literal("error"), code: z.string(), message: z.string() });

/** Why a frame was not acted on: not JSON, or JSON outside the contract. */
export interface InvalidFrame {
	data: string;
	reason: string;
}

/**
 * Parses one text frame: the typed frame, or why it is not one. Never throws.
 * @example parseServerFrame('{"type":"pong"}') // { ok: true, frame: { type: "pong" } }
 */
export function parseServerFrame(
	data: string,
	schema: Parser<ServerFrame> = serverFrameSchema,
): { ok: true; frame: ServerFrame } | { ok: false; json: unknown; invalid: InvalidFrame } {
	let json: unknown;
	try {
		json = JSON.parse(data);
	} catch {
		return { ok: false, json: undefined, invalid: { data, reason: "not JSON" } };
	}
	const parsed = schema.safeParse(json);
	if (parsed.success) return { ok: true, frame: parsed.data };
	return { ok: false, json, invalid: { data, reason: parsed.error.message } };
}
