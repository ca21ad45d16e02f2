/**
 * Server frames as the browser parses them: the contract's `serverFrameSchema`
 * rebuilt with zod/mini, because zod's classic build would make the widget
 * ten times larger. The annotation binds it to the shared `ServerFrame`
 * type, so the two cannot drift apart without a type error.
 */
import * as z from "zod/mini";
import type { ServerFrame } from "../shared/schemas/frames";
import { ERROR_CODES, MESSAGE_STATUSES, ROLES, TURN_STATES } from "../shared/schemas/wire";

const message = z.object({
	type: z.literal("message"),
	seq: z.number(),
	id: z.string(),
	role: z.enum(ROLES),
	text: z.string(),
	createdAt: z.string(),
	replyTo: z.optional(z.array(z.string())),
	citations: z.optional(z.array(z.object({ id: z.string(), title: z.string(), url: z.optional(z.string()) }))),
	status: z.enum(MESSAGE_STATUSES),
});

export const serverFrame: z.ZodMiniType<ServerFrame> = z.discriminatedUnion("type", [
	z.object({ type: z.literal("ready"), sessionId: z.string(), lastSeq: z.number() }),
	message,
	z.object({ type: z.literal("status"), turn: z.string(), state: z.enum(TURN_STATES), replyTo: z.array(z.string()) }),
	z.object({ type: z.literal("delta"), turn: z.string(), offset: z.number(), text: z.string() }),
	z.object({ type: z.literal("error"), code: z.enum(Object.values(ERROR_CODES)), message: z.string() }),
	z.object({ type: z.literal("summary"), text: z.string(), throughSeq: z.number() }),
	z.object({ type: z.literal("pong") }),
]);

/**
 * Any `error` frame, including a code newer than this build (`serverFrame`
 * rejects those). The connection still acts on it, as retryable, because it
 * answers the send in flight; see `ChatConnection`.
 */
export const anyErrorFrame = z.object({ type: z.literal("error"), code: z.string(), message: z.string() });
