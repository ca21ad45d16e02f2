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
import { ERROR_CODES, type ErrorCode, PING_TEXT, TURN_STATES } from "./wire";

export type { ClientFrame } from "./client-frame";
export { ERROR_CODES, type ErrorCode, PING_TEXT, PONG_TEXT, TURN_STATES, type TurnState } from "./wire";

export const serverFrameSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal("ready"), sessionId: nonEmpty, lastSeq: count }),
	z.object({ type: z.literal("message"), ...messageShape }),
	z.object({
		type: z.literal("status"),
		turn: nonEmpty,
		state: z.enum(TURN_STATES),
		replyTo: z.array(z.string()),
		// Only on `queued` while the turn waits for model capacity (the admission gate): its place, 1 = next, and an estimate.
		position: z.optional(seq),
		etaSeconds: z.optional(count),
	}),
	z.object({ type: z.literal("confirm"), turn: nonEmpty, callId: nonEmpty, tool: nonEmpty, summary: z.string() }),
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

/**
 * What each server frame means, for the protocol's description in the OpenAPI
 * document (src/ingress/openapi/websocket-protocol.ts). Beside the schema, so
 * that a new frame type fails the typecheck here until it is explained.
 */
export const SERVER_FRAME_MEANINGS: Record<ServerFrame["type"], string> = {
	ready: "Always the first frame.",
	message:
		"A committed message (replay, then live: user messages, echoed to the sender's other tabs, and final replies). The final `message` of a reply is authoritative.",
	status:
		"Progress of a turn. `turn` is the turn's id: assigned when the first message it answers is accepted, it is the same in the turn's `queued` frame and in every later `status` and `delta` frame of it, until one terminal state (`done`, `failed` or `escalated`). `replyTo` lists the messages the turn answers; a message accepted while others wait joins their turn. A turn given back after a failure is `queued` again under its id: drop its partial text. A turn whose messages another turn's `status` lists has been merged into it, and ends, under its own id, when that one does. While a turn waits for model capacity (the admission gate ahead of the provider's rate limit), `queued` frames carry its `position` in line (1 = next) and `etaSeconds`, re-sent as they change; `thinking` follows once it is admitted. `confirming`: the turn waits for the user to answer a `confirm` frame.",
	confirm:
		"The assistant wants to run a back-office tool with an effect (CONTRACT §8) and waits for the user: `summary` says in plain words what will happen. Answer with a `confirm` frame (or `POST /api/sessions/:id/confirmations/:callId`). The turn is `confirming` meanwhile; a socket that connects while it waits gets this frame again after the replay. No answer within 10 minutes cancels the call.",
	delta: "A chunk of the reply in progress; `offset` is the index of its first character in the reply text.",
	summary: "The running summary changed; it covers messages up to `throughSeq`.",
	error: "A problem with the client's last frame (codes below); the socket stays open.",
	pong: `The answer to exactly \`${PING_TEXT}\`, given without waking a hibernated session object.`,
};

/** What each `error` frame code means, likewise. */
export const ERROR_CODE_MEANINGS: Record<ErrorCode, string> = {
	bad_frame: "the frame is not valid JSON or not a valid client frame",
	rate_limited: "sending too fast (the per-session message limit, shared with POST)",
	unavailable: "not accepted now: resend the same id later",
};

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
