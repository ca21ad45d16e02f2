/**
 * WarmJob: one Durable Object per cache-warming job, the single writer of its
 * progress. It holds the job's questions, sends one `cache-warm` message per
 * question, and records each question's outcome once: a redelivered
 * question changes nothing, so progress is exact. When the whole job has
 * made no progress for REDRIVE_MS, an alarm sends its unanswered questions
 * again (a queue that lost them, as local queues do when the dev server
 * dies), so a crash mid-job loses nothing. A job that is progressing is only
 * waiting in a backlog: re-sending then would only duplicate work. KV is never used for progress: it allows one write per
 * second per key and is eventually consistent.
 *
 * A finished job (every question has an outcome, or it could not be sent)
 * keeps its counts and status but no question text (issue 17): the texts
 * are only needed to send and redrive, and users' questions must not outlive
 * their use in a store shared by everyone.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { describeError } from "../../shared/errors";
import { encodeWarmMessage, type JobStatus, MAX_WARM_QUESTIONS, type WarmOutcome, warmOutcomeSchema } from "../../shared/schemas/warm";

/** How long a question may go without an outcome before it is sent again. */
export const REDRIVE_MS = 30_000;
/** Queues.sendBatch takes at most 100 messages and 256 KB per call; stay under both. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job (id TEXT PRIMARY KEY, total INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, send_failed INTEGER NOT NULL DEFAULT 0, progress_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS items (idx INTEGER PRIMARY KEY, question TEXT NOT NULL, outcome TEXT, sent_at INTEGER NOT NULL DEFAULT 0);
`;

// Finished items keep their row (outcomes feed `status()`) with the text blanked;
// '' rather than NULL because the column was created NOT NULL in live objects.
const FORGET_QUESTIONS = "UPDATE items SET question = '' WHERE question <> ''";

const startSchema = z.object({ jobId: z.string().min(1), questions: z.array(z.string().min(1)).min(1).max(MAX_WARM_QUESTIONS) });
const reportSchema = z.object({ index: z.number().int().min(0), outcome: warmOutcomeSchema });

export class WarmJob extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
		// Jobs that finished before texts were forgotten on finishing lose theirs the first time they wake.
		if (this.#job()?.finished_at) this.#sql.exec(FORGET_QUESTIONS);
	}

	/** Records the job and queues its questions; idempotent for the same job id. */
	async start(input: { jobId: string; questions: string[] }): Promise<void> {
		const { jobId, questions } = startSchema.parse(input);
		if (this.#job()) return;
		this.ctx.storage.transactionSync(() => {
			this.#sql.exec(
				"INSERT INTO job (id, total, started_at, progress_at) VALUES (?, ?, ?, ?)",
				jobId,
				questions.length,
				new Date().toISOString(),
				Date.now(),
			);
			for (const [index, question] of questions.entries())
				this.#sql.exec("INSERT INTO items (idx, question) VALUES (?, ?)", index, question);
		});
		await this.ctx.storage.setAlarm(Date.now() + REDRIVE_MS);
		try {
			await this.#send(questions.map((question, index) => ({ index, question })));
		} catch (error) {
			// Whatever was queued still runs; the job says it could not all be sent.
			this.#sql.exec("UPDATE job SET send_failed = 1, finished_at = ?", new Date().toISOString());
			// Nothing redrives a failed job, so nothing needs its texts.
			this.#sql.exec(FORGET_QUESTIONS);
			await this.ctx.storage.deleteAlarm();
			throw error;
		}
	}

	/** Records one question's outcome, once; returns whether it was new. */
	report(input: { index: number; outcome: WarmOutcome }): boolean {
		const { index, outcome } = reportSchema.parse(input);
		const updated = this.#sql
			.exec("UPDATE items SET outcome = ? WHERE idx = ? AND outcome IS NULL RETURNING idx", outcome, index)
			.toArray();
		if (updated.length > 0) this.#sql.exec("UPDATE job SET progress_at = ?", Date.now());
		if (updated.length > 0 && this.#pending() === 0) {
			this.#sql.exec("UPDATE job SET finished_at = COALESCE(finished_at, ?)", new Date().toISOString());
			this.#sql.exec(FORGET_QUESTIONS);
		}
		return updated.length > 0;
	}

	override async alarm(): Promise<void> {
		const job = this.#job();
		if (!job || job.send_failed || this.#pending() === 0) return;
		if (Date.now() - job.progress_at < REDRIVE_MS) {
			await this.ctx.storage.setAlarm(job.progress_at + REDRIVE_MS);
			return;
		}
		const stale = this.#sql
			.exec<{ idx: number; question: string }>(
				"SELECT idx, question FROM items WHERE outcome IS NULL AND sent_at < ?",
				Date.now() - REDRIVE_MS,
			)
			.toArray();
		if (stale.length > 0) {
			console.warn(JSON.stringify({ event: "warm_redrive", jobId: job.id, questions: stale.length }));
			await this.#send(stale.map((row) => ({ index: row.idx, question: row.question }))).catch((error: unknown) => {
				console.error(JSON.stringify({ event: "warm_redrive_failed", jobId: job.id, error: describeError(error) }));
			});
		}
		await this.ctx.storage.setAlarm(Date.now() + REDRIVE_MS);
	}

	status(): JobStatus | null {
		const job = this.#job();
		if (!job) return null;
		const counts = Object.fromEntries(
			this.#sql
				.exec<{ outcome: string; n: number }>("SELECT outcome, COUNT(*) AS n FROM items WHERE outcome IS NOT NULL GROUP BY outcome")
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

	async #send(items: { index: number; question: string }[]): Promise<void> {
		const job = this.#job();
		if (!job) return;
		let batch: { index: number; body: string }[] = [];
		let bytes = 0;
		const flush = async () => {
			if (batch.length === 0) return;
			await this.env.CACHE_WARM_QUEUE.sendBatch(batch.map(({ body }) => ({ body, contentType: "json" as const })));
			const now = Date.now();
			for (const { index } of batch) this.#sql.exec("UPDATE items SET sent_at = ? WHERE idx = ?", now, index);
			batch = [];
			bytes = 0;
		};
		for (const { index, question } of items) {
			const body = encodeWarmMessage({ type: "cache.warm", v: 1, jobId: job.id, index, question });
			const size = new TextEncoder().encode(body).byteLength + 100;
			if (batch.length === BATCH_MESSAGES || (batch.length > 0 && bytes + size > BATCH_BYTES)) await flush();
			batch.push({ index, body });
			bytes += size;
		}
		await flush();
	}

	#job() {
		return this.#sql
			.exec<{ id: string; total: number; started_at: string; finished_at: string | null; send_failed: number; progress_at: number }>(
				"SELECT id, total, started_at, finished_at, send_failed, progress_at FROM job LIMIT 1",
			)
			.toArray()[0];
	}

	#pending(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM items WHERE outcome IS NULL").one().n;
	}
}
