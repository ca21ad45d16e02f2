/**
 * SummaryRegistry: one shard of the index of sessions that will need a
 * summary. The Durable Object binding cannot list objects, and the cron must
 * never scan every session, so hubs register here (registryShardName) when
 * they have unsummarized messages, with the time they become due. The cron
 * takes the due ones from each shard; a taken session is leased, not removed,
 * so a lost job is offered again, and the hub settles it once a summary
 * covers everything.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { SUMMARY_POLICY } from "../../shared/schemas/summary";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS due (
	session_id TEXT PRIMARY KEY,
	due_at INTEGER NOT NULL,
	dispatches INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS due_by_time ON due(due_at);
`;

const sessionIdSchema = z.string().min(1).max(100);
const registerSchema = z.object({ sessionId: sessionIdSchema, dueAt: z.number().int().min(0) });
const takeSchema = z.object({ now: z.number().int().min(0), limit: z.number().int().min(1).max(10_000) });

export class SummaryRegistry extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	/** Registers a session, or moves its due time; a new due time starts its dispatch count afresh. */
	register(input: { sessionId: string; dueAt: number }): void {
		const { sessionId, dueAt } = registerSchema.parse(input);
		this.#sql.exec(
			"INSERT INTO due (session_id, due_at) VALUES (?, ?) ON CONFLICT(session_id) DO UPDATE SET due_at = excluded.due_at, dispatches = 0",
			sessionId,
			dueAt,
		);
	}

	/**
	 * The sessions due at `now`, oldest first, each leased for
	 * SUMMARY_POLICY.dispatchLeaseMs. Sessions offered maxDispatches times
	 * without ever settling are dropped and logged: a summary that keeps
	 * failing must not be retried forever.
	 */
	take(input: { now: number; limit: number }): string[] {
		const { now, limit } = takeSchema.parse(input);
		const rows = this.#sql
			.exec<{ session_id: string; dispatches: number }>(
				"SELECT session_id, dispatches FROM due WHERE due_at <= ? ORDER BY due_at LIMIT ?",
				now,
				limit,
			)
			.toArray();
		const taken: string[] = [];
		for (const row of rows) {
			if (row.dispatches >= SUMMARY_POLICY.maxDispatches) {
				console.error(JSON.stringify({ event: "summary_abandoned", sessionId: row.session_id, dispatches: row.dispatches }));
				this.#sql.exec("DELETE FROM due WHERE session_id = ?", row.session_id);
				continue;
			}
			this.#sql.exec(
				"UPDATE due SET due_at = ?, dispatches = dispatches + 1 WHERE session_id = ?",
				now + SUMMARY_POLICY.dispatchLeaseMs,
				row.session_id,
			);
			taken.push(row.session_id);
		}
		return taken;
	}

	/** Forgets a session: everything is summarized, or it was erased. */
	remove(sessionId: string): void {
		this.#sql.exec("DELETE FROM due WHERE session_id = ?", sessionIdSchema.parse(sessionId));
	}

	/** The registered due time of a session, if any (operators and tests). */
	dueAt(sessionId: string): number | null {
		const row = this.#sql
			.exec<{ due_at: number }>("SELECT due_at FROM due WHERE session_id = ?", sessionIdSchema.parse(sessionId))
			.toArray()[0];
		return row?.due_at ?? null;
	}

	/** How many sessions this shard holds. */
	size(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM due").one().n;
	}
}
