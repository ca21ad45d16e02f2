/**
 * The typed RPC surface between the ingress/consumers and the SessionHub
 * Durable Object. Arguments are parsed with these schemas inside the hub;
 * results are plain data described by the exported types.
 */
import { z } from "zod";
import type { RecordedCall } from "../turn/account-reply";
import type { ToolCallState } from "./accounts";
import type { Identity } from "./identity";
import { identitySchema } from "./identity";
import { idSchema, messageTextSchema } from "./inputs";
import { citationSchema, type Message } from "./message";
import { TOOL_USE_STATUSES } from "./wire";

export const createSessionInputSchema = z.object({
	sessionId: idSchema,
	createdAt: z.string(),
	userId: z.string().optional(),
	/** Set only from a verified user token (CONTRACT §2): a bare `userId` is a label and never lands here. */
	identity: identitySchema.optional(),
	locale: z.string().optional(),
	metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CreateSessionInput = z.infer<typeof createSessionInputSchema>;

export const acceptInputSchema = z.object({
	id: idSchema.optional(),
	text: messageTextSchema,
});
export type AcceptInput = z.infer<typeof acceptInputSchema>;

export type AcceptResult =
	| { ok: true; messageId: string; seq: number; duplicate: boolean }
	| { ok: false; reason: "not_found" | "id_conflict" }
	/** Over the per-session message limit; another message is allowed after `retryAfterSeconds`. */
	| { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** What the hub answers for GET /api/sessions/:id, /messages and the admin storage view: the response schemas' types. */
export type { MessagePage, SessionInfo, SessionStorageInfo } from "./responses";

export const listInputSchema = z.object({
	after: z.number().int().min(0),
	limit: z.number().int().min(1).max(100),
});

export const beginTurnInputSchema = z.object({ messageIds: z.array(idSchema).min(1) });
export type BeginTurnResult =
	/** A turn was opened for every waiting user message; the caller answers it. */
	| {
			kind: "started";
			turnId: string;
			/** The turn's public id (CONTRACT §4 `turn`), the same for every attempt: its tool calls are recorded under it. */
			turn: string;
			replyTo: string[];
			summary: string | null;
			history: Message[];
			locale: string | null;
			/** The verified user of an identified session (CONTRACT §2), whose account the turn may use; null: anonymous. */
			identity: Identity | null;
			/** The tool calls earlier attempts of this turn recorded (CONTRACT §8), oldest first. */
			calls: RecordedCall[];
	  }
	/** Every message of the job already has a committed reply: ack, do nothing. */
	| { kind: "answered" }
	/** Another delivery owns a live turn; `covered` says whether it answers every message of the job. */
	| { kind: "in_progress"; covered: boolean }
	| { kind: "not_found" };

export const runTurnInputSchema = z.object({ messageIds: z.array(idSchema).min(1), attempt: z.number().int().min(1).max(100) });
/** The turn was opened and is now running inside the hub; otherwise, why there was nothing to run. */
export type RunTurnResult = { kind: "started"; turnId: string } | Exclude<BeginTurnResult, { kind: "started" }>;

export const deltaInputSchema = z.object({
	turnId: z.string().min(1),
	text: z.string().min(1),
	/** When the text was released for pushing (ms), for push latency. */
	heldSince: z.number().int().min(0).optional(),
});

export const completeInputSchema = z.object({
	turnId: z.string().min(1),
	text: z.string().min(1),
	status: z.enum(["complete", "truncated"]),
	citations: z.array(citationSchema),
	/** Where the reply came from, for the turn metrics (the model unless said). */
	source: z.enum(["model", "cache"]).optional(),
	/** The reply answers a request for a person: the conversation is handed to people once it is committed. */
	handoff: z.boolean().optional(),
	/** The back-office calls the reply used (CONTRACT §8). */
	tools: z.array(z.object({ callId: z.string().min(1), name: z.string().min(1), status: z.enum(TOOL_USE_STATUSES) })).optional(),
});
export type CompleteTurnInput = z.input<typeof completeInputSchema>;
export type DeltaInput = z.input<typeof deltaInputSchema>;

/** `superseded`: the turn is no longer this caller's (lease lost, failed by the DLQ). */
export type TurnWriteResult = { ok: true } | { ok: false; reason: "superseded" };

export const failInputSchema = z.object({ messageIds: z.array(idSchema).min(1), reason: z.string().max(500) });

export const storeSummaryInputSchema = z.object({
	text: z.string().min(1).max(20_000),
	throughSeq: z.number().int().min(1),
});

/** The user's answer to a `confirm` frame (CONTRACT §8), from the socket or the HTTP route. */
export const confirmInputSchema = z.object({ callId: idSchema, approve: z.boolean() });
export type ConfirmResult = { ok: true; status: ToolCallState } | { ok: false; reason: "not_found" };

/** An agent, as the ingress authenticated them (CONTRACT §7). */
export const agentInputSchema = z.object({ agentId: z.string().min(1).max(128), name: z.string().min(1).max(64) });

/** The header the ingress names an authenticated agent's socket with; clients' own headers never reach the hub. */
export const AGENT_HEADER = "X-Chat-Agent";
