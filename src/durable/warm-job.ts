/**
 * WarmJob: one Durable Object per cache-warming job, the single writer of its
 * progress. Each question reports its outcome once: a redelivered question
 * changes nothing, so progress is exact and a crash mid-job loses nothing
 * (the queue redelivers what was not acked). KV is never used for progress:
 * it allows one write per second per key and is eventually consistent.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { type JobStatus, type WarmOutcome, warmOutcomeSchema } from "../shared/schemas/warm";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job (id TEXT PRIMARY KEY, total INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, send_failed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS outcomes (idx INTEGER PRIMARY KEY, outcome TEXT NOT NULL);
`;

const createSchema = z.object({ jobId: z.string().min(1), total: z.number().int().min(1).max(1000) });
const reportSchema = z.object({ index: z.number().int().min(0), outcome: warmOutcomeSchema });

export class WarmJob extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	create(input: { jobId: string; total: number }): void {
		const { jobId, total } = createSchema.parse(input);
		this.#sql.exec("INSERT OR IGNORE INTO job (id, total, started_at) VALUES (?, ?, ?)", jobId, total, new Date().toISOString());
	}

	/** The questions could not all be queued: the job ends as failed, with what it did. */
	sendFailed(): void {
		this.#sql.exec("UPDATE job SET send_failed = 1, finished_at = COALESCE(finished_at, ?)", new Date().toISOString());
	}

	/** Records one question's outcome, once; returns whether it was new. */
	report(input: { index: number; outcome: WarmOutcome }): boolean {
		const { index, outcome } = reportSchema.parse(input);
		const job = this.#job();
		if (!job || index >= job.total) return false;
		const added = this.#sql.exec("INSERT OR IGNORE INTO outcomes (idx, outcome) VALUES (?, ?) RETURNING idx", index, outcome).toArray();
		if (added.length > 0 && this.#count() === job.total) {
			this.#sql.exec("UPDATE job SET finished_at = COALESCE(finished_at, ?)", new Date().toISOString());
		}
		return added.length > 0;
	}

	status(): JobStatus | null {
		const job = this.#job();
		if (!job) return null;
		const counts = Object.fromEntries(
			this.#sql
				.exec<{ outcome: string; n: number }>("SELECT outcome, COUNT(*) AS n FROM outcomes GROUP BY outcome")
				.toArray()
				.map((r) => [r.outcome, r.n]),
		);
		const warmed = counts.warmed ?? 0;
		const skipped = counts.skipped ?? 0;
		const failed = counts.failed ?? 0;
		const reported = warmed + skipped + failed;
		const state = job.send_failed ? "failed" : reported === job.total ? "done" : reported > 0 ? "running" : "queued";
		const status: JobStatus = {
			jobId: job.id,
			kind: "cache-warm",
			state,
			total: job.total,
			done: warmed + skipped,
			failed,
			skipped,
			startedAt: job.started_at,
		};
		if (job.finished_at) status.finishedAt = job.finished_at;
		return status;
	}

	#job() {
		return this.#sql
			.exec<{ id: string; total: number; started_at: string; finished_at: string | null; send_failed: number }>(
				"SELECT id, total, started_at, finished_at, send_failed FROM job LIMIT 1",
			)
			.toArray()[0];
	}

	#count(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outcomes").one().n;
	}
}
