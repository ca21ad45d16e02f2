/**
 * UserDirectory: one Durable Object per user id, listing that user's
 * sessions, so `DELETE /api/admin/users/:userId` (CONTRACT §8) can erase
 * every one of them. A session is listed before it is created (a failed
 * creation leaves a name that erases nothing, never a session nobody can
 * find) and forgotten when it is erased. Both identified sessions (a
 * verified token's `sub`) and sessions labelled with a bare `userId` are
 * listed: an erasure request covers whatever carries the person's id.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";

const sessionIdSchema = z.string().min(1).max(128);

/** Far above any real user's sessions; a runaway client cannot grow one object without bound. */
const MAX_SESSIONS = 10_000;

export class UserDirectory extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, added_at INTEGER NOT NULL)");
	}

	/** Lists a session; the oldest are dropped past MAX_SESSIONS (they expire long before). */
	add(sessionId: string): void {
		this.#sql.exec("INSERT OR IGNORE INTO sessions (id, added_at) VALUES (?, ?)", sessionIdSchema.parse(sessionId), Date.now());
		this.#sql.exec("DELETE FROM sessions WHERE id NOT IN (SELECT id FROM sessions ORDER BY added_at DESC LIMIT ?)", MAX_SESSIONS);
	}

	forget(sessionId: string): void {
		this.#sql.exec("DELETE FROM sessions WHERE id = ?", sessionIdSchema.parse(sessionId));
	}

	sessions(): string[] {
		return this.#sql
			.exec<{ id: string }>("SELECT id FROM sessions ORDER BY added_at")
			.toArray()
			.map((row) => row.id);
	}

	/** Forgets everything, once the sessions are erased. */
	clear(): void {
		this.#sql.exec("DELETE FROM sessions");
	}
}
