/**
 * What a session left in stores it shares with other sessions: the
 * answer-cache entries its turns computed and wrote, and the canonical first
 * question it counted toward warming. Kept in the session's own SQLite (so
 * it is erased with it), and read by the erase to remove each trace from the
 * shared store that holds it. It also makes the question count once per
 * session, whatever retries and re-drives run its first turn again.
 */
import { describeError } from "../../shared/errors";
import { questionStats } from "../../shared/stubs";
import { answerCacheFor } from "../../shared/turn/answer-store";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS shared_traces (
	kind TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (kind, value)
) WITHOUT ROWID;
`;

export const TRACE_KINDS = {
	/** A key of the shared answer cache this session's turn computed and stored. */
	answerKey: "answer-key",
	/** The canonical first question this session counted in QuestionStats. */
	question: "question",
} as const;

export type TraceKind = (typeof TRACE_KINDS)[keyof typeof TRACE_KINDS];

export class SharedTraces {
	readonly #sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
		this.init();
	}

	/** Creates the table; again after `deleteAll`. */
	init(): void {
		this.#sql.exec(SCHEMA);
	}

	/** Records a trace; false when it was already recorded. */
	add(kind: TraceKind, value: string): boolean {
		return this.#sql.exec("INSERT OR IGNORE INTO shared_traces (kind, value) VALUES (?, ?) RETURNING 1", kind, value).toArray().length > 0;
	}

	list(kind: TraceKind): string[] {
		return this.#sql
			.exec<{ value: string }>("SELECT value FROM shared_traces WHERE kind = ?", kind)
			.toArray()
			.map((row) => row.value);
	}

	/**
	 * Removes every recorded trace from the store that holds it: the answer-cache
	 * entries at every level this isolate reaches, and the question's count in
	 * QuestionStats (which drops its text once fewer than k sessions asked it).
	 */
	async eraseFrom(env: Env): Promise<void> {
		const answers = answerCacheFor(env);
		const stats = questionStats(env);
		await Promise.all([
			...this.list(TRACE_KINDS.answerKey).map((key) => answers.delete(key)),
			...this.list(TRACE_KINDS.question).map((question) => stats.retract({ question })),
		]);
	}

	/**
	 * Counts the session's canonical first question in QuestionStats, once
	 * per session: the recording to wait for, or undefined when it was counted.
	 */
	countQuestion(env: Env, question: string): Promise<void> | undefined {
		if (!this.add(TRACE_KINDS.question, question)) return undefined;
		return questionStats(env)
			.record({ question })
			.catch((error: unknown) => console.warn(JSON.stringify({ event: "question_stats_unrecorded", error: describeError(error) })));
	}
}
