/**
 * The contract's enumerations, free of any schema library so that the
 * browser widget can import them without pulling zod's full build in.
 */

export const ROLES = ["user", "assistant", "agent", "system"] as const;
export type Role = (typeof ROLES)[number];

/** A session's state (CONTRACT §7): the assistant answers (`open`), people answer (`escalated`), or it was resolved (`closed`). */
export const SESSION_STATUSES = ["open", "escalated", "closed"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Why a conversation was handed to people (CONTRACT §7). */
export const HANDOFF_REASONS = ["user_request", "bot_declined", "negative_feedback", "other"] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const MESSAGE_STATUSES = ["complete", "failed", "truncated"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const TURN_STATES = ["queued", "thinking", "streaming", "confirming", "done", "failed", "escalated"] as const;
export type TurnState = (typeof TURN_STATES)[number];

/** How a back-office tool call a reply used ended (CONTRACT §3 `tools`, §8). */
export const TOOL_USE_STATUSES = ["done", "failed", "declined", "cancelled"] as const;
export type ToolUseStatus = (typeof TOOL_USE_STATUSES)[number];

export const ERROR_CODES = { badFrame: "bad_frame", rateLimited: "rate_limited", unavailable: "unavailable" } as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The exact ping text the runtime answers without waking a hibernated hub, and its answer. */
export const PING_TEXT = '{"type":"ping"}';
export const PONG_TEXT = '{"type":"pong"}';
