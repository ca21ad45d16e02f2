/**
 * Server frames as every client parses them (CONTRACT §4): the shared
 * `serverFrameSchema` rebuilt with zod/mini, because zod's classic build would
 * make the browser widget ten times larger. The annotation binds it to the
 * shared `ServerFrame` type, so the two cannot drift apart without a type error.
 */
import * as z from "zod/mini";
import type { ServerFrame } from "../shared/schemas/frames";
import { ERROR_CODES, MESSAGE_STATUSES, ROLES, TURN_STATES } from "../shared/schemas/wire";

export type { ClientFrame, ServerFrame } from "../shared/schemas/frames";
export type { Message } from "../shared/schemas/message";

export type MessageFrame = Extract<ServerFrame, { type: "message" }>;
export type StatusFrame = Extract<ServerFrame, { type: "status" }>;
export type DeltaFrame = Extract<ServerFrame, { type: "delta" }>;
export type ErrorFrame = Extract<ServerFrame, { type: "error" }>;
export type SummaryFrame = Extract<ServerFrame, { type: "summary" }>;

/**
 * Anything with zod's `safeParse`: the SDK's own zod/mini schemas, or a
 * stricter classic-zod schema a conformance test passes in instead.
 */
export interface Parser<T> {
	safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

const seq = z.int().check(z.positive());
const count = z.int().check(z.gte(0));

export const citationSchema = z.object({ id: z.string(), title: z.string(), url: z.optional(z.string()) });

/** The contract's Message fields, shared by the `message` frame and `GET /messages`. */
export const messageShape = {
	seq,
	id: z.string(),
	role: z.enum(ROLES),
	text: z.string(),
	createdAt: z.string(),
	replyTo: z.optional(z.array(z.string())),
	citations: z.optional(z.array(citationSchema)),
	status: z.enum(MESSAGE_STATUSES),
};

export const serverFrameSchema: z.ZodMiniType<ServerFrame> = z.discriminatedUnion("type", [
	z.object({ type: z.literal("ready"), sessionId: z.string(), lastSeq: count }),
	z.object({ type: z.literal("message"), ...messageShape }),
	z.object({ type: z.literal("status"), turn: z.string(), state: z.enum(TURN_STATES), replyTo: z.array(z.string()) }),
	z.object({ type: z.literal("delta"), turn: z.string(), offset: count, text: z.string() }),
	z.object({ type: z.literal("error"), code: z.enum(Object.values(ERROR_CODES)), message: z.string() }),
	z.object({ type: z.literal("summary"), text: z.string(), throughSeq: seq }),
	z.object({ type: z.literal("pong") }),
]);

/**
 * Any `error` frame, including a code newer than this build (`serverFrameSchema`
 * rejects those). The connection still acts on it, as retryable, because it
 * answers the send in flight; see `ChatConnection`.
 */
export const anyErrorFrameSchema = z.object({ type: z.literal("error"), code: z.string(), message: z.string() });

/** The exact text the runtime answers with `{"type":"pong"}` without waking a hibernated hub. */
export const PING_TEXT = '{"type":"ping"}';

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
