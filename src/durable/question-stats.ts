/**
 * QuestionStats: which first questions users ask most, for automatic cache
 * warming. A bounded top-K (the Space-Saving algorithm): at most CAPACITY
 * questions are tracked; a new question arriving when full replaces the one
 * with the lowest count and inherits that count plus one, so a frequent
 * question can never be lost and memory never grows. One object for the
 * product; hubs record into it off the reply's critical path.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { jobIdSchema } from "../shared/schemas/warm";

/** Warming jobs the dashboard shows. */
const RECENT_JOBS = 5;

/** Questions tracked at once: comfortably above the 100 the hourly cron warms. */
export const CAPACITY = 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS questions (normalized TEXT PRIMARY KEY, text TEXT NOT NULL, count INTEGER NOT NULL, last_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS questions_by_count ON questions(count);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const recordSchema = z.object({ normalized: z.string().min(1).max(4000), text: z.string().min(1).max(2000) });

export interface TopQuestion {
	text: string;
	count: number;
}

export class QuestionStats extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	record(input: { normalized: string; text: string }): void {
		const { normalized, text } = recordSchema.parse(input);
		const now = Date.now();
		const bumped = this.#sql.exec("UPDATE questions SET count = count + 1, last_at = ? WHERE normalized = ? RETURNING 1", now, normalized);
		if (bumped.toArray().length > 0) return;
		const size = this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM questions").one().n;
		if (size < CAPACITY) {
			this.#sql.exec("INSERT INTO questions (normalized, text, count, last_at) VALUES (?, ?, 1, ?)", normalized, text, now);
			return;
		}
		const least = this.#sql
			.exec<{ normalized: string; count: number }>("SELECT normalized, count FROM questions ORDER BY count, last_at LIMIT 1")
			.one();
		this.#sql.exec("DELETE FROM questions WHERE normalized = ?", least.normalized);
		this.#sql.exec("INSERT INTO questions (normalized, text, count, last_at) VALUES (?, ?, ?, ?)", normalized, text, least.count + 1, now);
	}

	/** The `k` most asked questions, most asked first. */
	top(k: number): TopQuestion[] {
		return this.#sql
			.exec<{ text: string; count: number }>("SELECT text, count FROM questions ORDER BY count DESC, last_at DESC LIMIT ?", Math.max(0, k))
			.toArray();
	}

	size(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM questions").one().n;
	}

	/** The job the warming cron started last, for operators and tests. */
	setLastWarmJob(jobId: string): void {
		this.#sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_warm_job', ?)", jobId);
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
}
