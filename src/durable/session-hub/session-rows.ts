/**
 * The session hub's rows as its code reads them (session, turns, waiting messages), how the
 * SQLite rows are decoded into them and into messages, and the reads of the session row and the
 * waiting line, which the store (session-store.ts) makes once and then remembers. A stored value that does not parse (a row
 * from an older release, a hand edit) reads as a safe default, never as an exception mid-turn.
 */
import { z } from "zod";
import { type Identity, identitySchema } from "../../shared/schemas/identity";
import { type Citation, citationSchema, type Message, type Role, toolUseSchema } from "../../shared/schemas/message";
import { HANDOFF_REASONS, type HandoffReason, type SessionStatus } from "../../shared/schemas/wire";
import type { WaitingMessage } from "./watchdog";

export type { WaitingMessage } from "./watchdog";

/** `confirming`: live, waiting for the user to answer a tool call's confirmation (CONTRACT §8). */
export type TurnRowState = "thinking" | "streaming" | "confirming" | "done" | "failed" | "abandoned";

export interface TurnRow {
	/** This attempt's id: the fencing token its writes carry, new for every opening of the turn. */
	id: string;
	/** The id clients know the turn by (`turn` in frames), the same for every attempt. */
	publicTurn: string;
	state: TurnRowState;
	replyTo: string[];
	leaseUntil: number;
}

/** Who holds an escalated conversation, and why and since when it waits for people (CONTRACT §7). */
export interface Handoff {
	status: SessionStatus;
	reason: HandoffReason | null;
	/** When the status last changed (ms); null while it never has (open since creation). */
	statusSince: number | null;
	/** Escalated and no agent has written yet: since when (ms). */
	awaitingAgentSince: number | null;
	assignee: { agentId: string; name: string } | null;
	/** The assistant's declines since its last real answer. */
	declinesInRow: number;
}

export interface SessionRow extends Handoff {
	id: string;
	createdAt: string;
	userId: string | null;
	/** The user a verified token identified (CONTRACT §2); null for an anonymous session. */
	identity: Identity | null;
	summary: string | null;
	locale: string | null;
	/** The last seq the summary covers; null before the first summary. */
	summaryThroughSeq: number | null;
	/** When a message was last appended (ms). */
	lastActivityAt: number;
	/** When the summary registry expects this session to need a summary; null when not registered. */
	summaryDueAt: number | null;
	/** Bumped by every change the support desk should hear of; `deskPending` until it has. */
	deskRevision: number;
	deskPending: boolean;
}

/** A waiting user message as the hub reads it: the watchdog's view plus the turn clients know it by. */
export interface WaitingRow extends WaitingMessage {
	publicTurn: string;
}

/** A message as SQLite returns it. */
export type MessageRow = {
	seq: number;
	id: string;
	role: string;
	author: string | null;
	text: string;
	created_at: string;
	reply_to: string | null;
	citations: string | null;
	status: string;
	tools: string | null;
};

/** A turn as SQLite returns it, its public id already defaulted to its own. */
export type TurnSqlRow = { id: string; public_turn: string; state: string; reply_to: string; lease_until: number };

export function toTurn(row: TurnSqlRow): TurnRow {
	const state =
		(["thinking", "streaming", "confirming", "done", "failed", "abandoned"] as const).find((s) => s === row.state) ?? "abandoned";
	return { id: row.id, publicTurn: row.public_turn, state, replyTo: parseStrings(row.reply_to), leaseUntil: row.lease_until };
}

/**
 * Built once: zod constructs a schema's internals when it is created, and creating these per row
 * read (a turn reads its history) was a measurable share of a turn's CPU (bench/overhead.ts).
 */
const stringsSchema = z.array(z.string()).catch([]);
const citationsSchema = z.array(citationSchema).catch([]);
const toolUsesSchema = z.array(toolUseSchema).catch([]);
export const storedIdentitySchema = identitySchema.nullable().catch(null);
const storedAuthorSchema = z
	.object({ id: z.string().min(1), name: z.string().min(1) })
	.optional()
	.catch(undefined);

/** What this store wrote (an array of ids) is taken as it is; anything else goes through the schema. */
function parseStrings(json: string | null): string[] {
	if (!json) return [];
	const value: unknown = JSON.parse(json);
	return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : stringsSchema.parse(value);
}

export function toRole(role: string): Role {
	return role === "assistant" || role === "system" || role === "agent" ? role : "user";
}

export function toMessage(row: MessageRow): Message {
	const role = toRole(row.role);
	const status = row.status === "failed" || row.status === "truncated" ? row.status : "complete";
	const message: Message = { seq: row.seq, id: row.id, role, text: row.text, createdAt: row.created_at, status };
	if (role === "agent") {
		const author = row.author ? storedAuthorSchema.parse(JSON.parse(row.author)) : undefined;
		if (author) message.author = author;
	}
	if (role === "assistant" || role === "system") message.replyTo = parseStrings(row.reply_to);
	if (row.citations) message.citations = parseCitations(row.citations);
	if (row.tools && role === "assistant") message.tools = toolUsesSchema.parse(JSON.parse(row.tools));
	return message;
}

function parseCitations(json: string): Citation[] {
	return citationsSchema.parse(JSON.parse(json));
}

/** A message's `created_at` (ISO 8601, UTC, to the millisecond) as ms since the epoch, exactly as Date.parse reads it. */
export const MESSAGE_TIME_MS_SQL = "CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER)";

/**
 * The session's last activity: its newest message, or what the session row holds (its creation, or
 * the newest message the archive took out of the hot table). An append does not write the session
 * row: that was a second page of every commit that stores a message (docs/benchmarks.md,
 * "Thirteenth round").
 */
const LAST_ACTIVITY_SQL = `MAX(last_activity_at, COALESCE((SELECT ${MESSAGE_TIME_MS_SQL} FROM messages ORDER BY seq DESC LIMIT 1), 0))`;

/** The session's row, unless there is none or it is being erased. */
export function readSessionRow(sql: SqlStorage): SessionRow | undefined {
	const row = sql
		.exec<{
			id: string;
			created_at: string;
			status: string;
			summary: string | null;
			locale: string | null;
			summary_through_seq: number | null;
			last_activity_at: number;
			summary_due_at: number | null;
			user_id: string | null;
			handoff_reason: string | null;
			status_since: number | null;
			awaiting_agent_since: number | null;
			assignee_id: string | null;
			assignee_name: string | null;
			declines_in_row: number;
			desk_revision: number;
			desk_pending: number;
			identity: string | null;
		}>(
			`SELECT id, created_at, status, summary, locale, summary_through_seq, ${LAST_ACTIVITY_SQL} AS last_activity_at, summary_due_at, user_id, handoff_reason, status_since, awaiting_agent_since, assignee_id, assignee_name, declines_in_row, desk_revision, desk_pending, identity FROM session WHERE erasing = 0 LIMIT 1`,
		)
		.toArray()[0];
	if (!row) return undefined;
	const status = row.status === "escalated" || row.status === "closed" ? row.status : "open";
	return {
		id: row.id,
		createdAt: row.created_at,
		status,
		summary: row.summary,
		locale: row.locale,
		summaryThroughSeq: row.summary_through_seq,
		lastActivityAt: row.last_activity_at,
		summaryDueAt: row.summary_due_at,
		userId: row.user_id,
		identity: row.identity ? storedIdentitySchema.parse(JSON.parse(row.identity)) : null,
		reason: HANDOFF_REASONS.find((r) => r === row.handoff_reason) ?? null,
		statusSince: row.status_since,
		awaitingAgentSince: row.awaiting_agent_since,
		assignee: row.assignee_id && row.assignee_name ? { agentId: row.assignee_id, name: row.assignee_name } : null,
		declinesInRow: row.declines_in_row,
		deskRevision: row.desk_revision,
		deskPending: row.desk_pending === 1,
	};
}

/** The user messages that have no committed reply yet, oldest first. */
export function readWaitingRows(sql: SqlStorage): WaitingRow[] {
	return sql
		.exec<{
			id: string;
			turn_id: string | null;
			public_turn: string;
			created_at: string;
			enqueued_at: number;
			delivered_at: number;
			redrive_at: number;
			requeues: number;
		}>(
			"SELECT id, turn_id, COALESCE(public_turn, id) AS public_turn, created_at, enqueued_at, delivered_at, redrive_at, requeues FROM messages WHERE role = 'user' AND answered = 0 ORDER BY seq",
		)
		.toArray()
		.map((r) => ({
			id: r.id,
			turnId: r.turn_id,
			publicTurn: r.public_turn,
			acceptedAt: Date.parse(r.created_at),
			enqueuedAt: r.enqueued_at,
			deliveredAt: r.delivered_at,
			redriveAt: r.redrive_at,
			requeues: r.requeues,
		}));
}
