/**
 * QuestionStats: which first questions users ask most, for automatic cache
 * warming. A bounded top-K (the Space-Saving algorithm): at most CAPACITY
 * questions are tracked; a new question arriving when full replaces the one
 * with the lowest count and inherits that count plus one, so a frequent
 * question can never be lost and memory never grows. One object for the
 * product; hubs record into it off the reply's critical path.
 *
 * Privacy (issue 17): the object is shared by every user, so it must not hold
 * one user's words. Rows are keyed by the SHA-256 of the canonical question,
 * and the text is kept only while at least `WARM_MIN_SESSIONS` sessions are
 * known to have asked it: the guaranteed count, count minus the `error` a
 * newcomer inherits, not Space-Saving's inflated estimate (which ranked
 * one-off questions, the likeliest to hold personal details, among the top).
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { configOf } from "../../shared/config";
import { sha256Hex } from "../../shared/hash";
import { jobIdSchema } from "../../shared/schemas/warm";

/** Warming jobs the dashboard shows. */
const RECENT_JOBS = 5;

/** Questions tracked at once: comfortably above the 100 the hourly cron warms. */
export const CAPACITY = 1000;

// `question_counts` replaces `questions`, whose rows held every first spelling
// as typed (personal text, never expiring): they are dropped, not migrated.
const SCHEMA = `
DROP TABLE IF EXISTS questions;
CREATE TABLE IF NOT EXISTS question_counts (key TEXT PRIMARY KEY, text TEXT, count INTEGER NOT NULL, error INTEGER NOT NULL, last_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS question_counts_by_count ON question_counts(count, last_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const questionSchema = z.object({ question: z.string().min(1).max(2000) });
const topSchema = z.number().int().min(0).max(CAPACITY);

export interface TopQuestion {
	text: string;
	/** Sessions known to have asked it: a lower bound (count minus the error inherited on entry). */
	count: number;
}

export class QuestionStats extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	/** Counts one session's first question (already canonical; the caller sends one per session). */
	async record(input: { question: string }): Promise<void> {
		const { question } = questionSchema.parse(input);
		const key = await sha256Hex(question);
		const now = Date.now();
		// From here on no await: the read, the eviction and the write are one atomic step.
		const bumped = this.#sql.exec("UPDATE question_counts SET count = count + 1, last_at = ? WHERE key = ? RETURNING 1", now, key);
		if (bumped.toArray().length === 0) this.#admit(key, now);
		this.#syncText(key, question);
	}

	/** Undoes one session's `record` (erasure); a question no longer tracked changes nothing. */
	async retract(input: { question: string }): Promise<void> {
		const { question } = questionSchema.parse(input);
		const key = await sha256Hex(question);
		this.#sql.exec("UPDATE question_counts SET count = count - 1, error = MIN(error, count - 1) WHERE key = ? AND count > 0", key);
		// At zero nothing is left to count: the row, hash included, goes.
		this.#sql.exec("DELETE FROM question_counts WHERE key = ? AND count <= 0", key);
		this.#syncText(key, question);
	}

	/** Up to `k` questions at least `WARM_MIN_SESSIONS` sessions asked, most asked first. */
	top(k: number): TopQuestion[] {
		return this.#sql
			.exec<{ text: string; count: number }>(
				`SELECT text, count - error AS count FROM question_counts
				 WHERE count - error >= ? AND text IS NOT NULL
				 ORDER BY count - error DESC, last_at DESC LIMIT ?`,
				this.#minSessions(),
				topSchema.parse(k),
			)
			.toArray();
	}

	size(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM question_counts").one().n;
	}

	/** The job the warming cron started last, for operators and tests. */
	setLastWarmJob(jobId: string): void {
		this.#sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_warm_job', ?)", jobIdSchema.parse(jobId));
	}

	lastWarmJob(): string | null {
		return this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'last_warm_job'").toArray()[0]?.value ?? null;
	}

	/** Remembers a started warming job among the last RECENT_JOBS, for the dashboard. */
	recordJob(jobId: string): void {
		const recent = [jobIdSchema.parse(jobId), ...this.recentJobs().filter((id) => id !== jobId)].slice(0, RECENT_JOBS);
		this.#sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('recent_jobs', ?)", JSON.stringify(recent));
	}

	/** The most recently started warming jobs, newest first. */
	recentJobs(): string[] {
		const raw = this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'recent_jobs'").toArray()[0]?.value;
		const parsed = z.array(jobIdSchema).safeParse(raw ? JSON.parse(raw) : []);
		return parsed.success ? parsed.data : [];
	}

	/** A question not yet tracked: a free slot, or the least counted row's (Space-Saving). */
	#admit(key: string, now: number): void {
		if (this.size() < CAPACITY) {
			this.#sql.exec("INSERT INTO question_counts (key, count, error, last_at) VALUES (?, 1, 0, ?)", key, now);
			return;
		}
		const least = this.#sql
			.exec<{ key: string; count: number }>("SELECT key, count FROM question_counts ORDER BY count, last_at LIMIT 1")
			.one();
		this.#sql.exec("DELETE FROM question_counts WHERE key = ?", least.key);
		// The newcomer may have been asked up to `least.count` times while untracked: that is its error.
		this.#sql.exec("INSERT INTO question_counts (key, count, error, last_at) VALUES (?, ?, ?, ?)", key, least.count + 1, least.count, now);
	}

	/** Keeps the row's text exactly while its guaranteed count reaches the minimum, and never otherwise. */
	#syncText(key: string, question: string): void {
		this.#sql.exec(
			"UPDATE question_counts SET text = CASE WHEN count - error >= ? THEN ? ELSE NULL END WHERE key = ?",
			this.#minSessions(),
			question,
			key,
		);
	}

	#minSessions(): number {
		return configOf(this.env).warmMinSessions;
	}
}
