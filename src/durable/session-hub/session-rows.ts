/**
 * The session hub's rows as its code reads them (session, turns, waiting messages), and how the
 * SQLite rows are decoded into them and into messages. A stored value that does not parse (a row
 * from an older release, a hand edit) reads as a safe default, never as an exception mid-turn.
 */
import { z } from "zod";
import { type Identity, identitySchema } from "../../shared/schemas/identity";
import { type Citation, citationSchema, type Message, type Role, toolUseSchema } from "../../shared/schemas/message";
import type { HandoffReason, SessionStatus } from "../../shared/schemas/wire";
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
