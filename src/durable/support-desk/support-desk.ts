/**
 * SupportDesk: the people side of the product (CONTRACT §7) in one object: the agents and their
 * tokens, and the list of conversations they work from.
 *
 * Each session's hub stays the authority on its own conversation: its status and assignee are
 * decided there, one event at a time, which is what makes a claim exactly-one-wins. The hub tells
 * the desk each change, numbered by a revision of its own, because no binding can list Durable
 * Objects and an agent's queue spans every session. The desk keeps the newest revision it heard,
 * so a late or repeated report never rolls a conversation back; a report that failed is sent
 * again by the hub's alarm (handoff.ts).
 *
 * One object is enough for a support team: it sees a write per change of hands and per message of
 * a conversation people answer, never per assistant turn.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { base64url } from "../../shared/base64url";
import { newId } from "../../shared/ids";
import type { Assignee, Conversation } from "../../shared/schemas/people";
import { conversationSnapshotSchema } from "../../shared/schemas/people-rpc";
import { SESSION_STATUSES } from "../../shared/schemas/wire";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agents (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS conversations (
	session_id TEXT PRIMARY KEY,
	revision INTEGER NOT NULL,
	status TEXT NOT NULL,
	since_ms INTEGER NOT NULL,
	-- the rest of the Conversation, as the hub reported it
	body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_wait ON conversations(status, since_ms);
`;

const nameSchema = z.string().trim().min(1).max(64);
/** Agent and session ids: ours, so anything longer names nothing here. */
const idSchema = z.string().min(1).max(128);
const tokenSchema = z.string().min(1).max(512);
const listSchema = z.object({ status: z.enum(SESSION_STATUSES), limit: z.number().int().min(1).max(100) });
const storedConversation = conversationSnapshotSchema.shape.conversation;

export class SupportDesk extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	/** A new agent and their token; only a hash of the token is kept, so it is shown this once. */
	async createAgent(input: { name: string }): Promise<{ agentId: string; name: string; token: string }> {
		const name = nameSchema.parse(input.name);
		const agentId = newId("agt");
		const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
		const token = `${agentId}.${secret}`;
		this.#sql.exec(
			"INSERT INTO agents (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
			agentId,
			name,
			await sha256(token),
			new Date().toISOString(),
		);
		return { agentId, name, token };
	}

	/** Revokes an agent's token at once; false when there is no such (unrevoked) agent. */
	revokeAgent(input: { agentId: string }): boolean {
		const parsed = idSchema.safeParse(input.agentId);
		if (!parsed.success) return false;
		const agentId = parsed.data;
		const cursor = this.#sql.exec(
			"UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
			new Date().toISOString(),
			agentId,
		);
		return cursor.rowsWritten > 0;
	}

	/** The agent a token belongs to, unless it is unknown or revoked. */
	async authenticate(input: { token: string }): Promise<Assignee | null> {
		const parsed = tokenSchema.safeParse(input.token);
		if (!parsed.success) return null;
		const row = this.#sql
			.exec<{ id: string; name: string }>(
				"SELECT id, name FROM agents WHERE token_hash = ? AND revoked_at IS NULL",
				await sha256(parsed.data),
			)
			.toArray()[0];
		return row ? { agentId: row.id, name: row.name } : null;
	}

	/** A hub's report of its conversation; an older revision than the one kept changes nothing. */
	record(input: unknown): void {
		const { revision, sinceMs, conversation } = conversationSnapshotSchema.parse(input);
		this.#sql.exec(
			`INSERT INTO conversations (session_id, revision, status, since_ms, body) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT(session_id) DO UPDATE SET revision = excluded.revision, status = excluded.status, since_ms = excluded.since_ms, body = excluded.body
			 WHERE excluded.revision > conversations.revision`,
			conversation.sessionId,
			revision,
			conversation.status,
			sinceMs,
			JSON.stringify(conversation),
		);
	}

	/** Drops an erased session's conversation. */
	forget(input: { sessionId: string }): void {
		this.#sql.exec("DELETE FROM conversations WHERE session_id = ?", idSchema.parse(input.sessionId));
	}

	/** Conversations in `status`, longest waiting first. */
	list(input: { status: Conversation["status"]; limit: number }): Conversation[] {
		const { status, limit } = listSchema.parse(input);
		return this.#sql
			.exec<{ body: string }>("SELECT body FROM conversations WHERE status = ? ORDER BY since_ms, session_id LIMIT ?", status, limit)
			.toArray()
			.flatMap((row) => {
				const parsed = storedConversation.safeParse(JSON.parse(row.body));
				return parsed.success ? [parsed.data] : [];
			});
	}
}

async function sha256(text: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
