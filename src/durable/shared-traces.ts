/**
 * What a session left in stores it shares with other sessions: the
 * answer-cache entries its turns computed and wrote, and the canonical first
 * question it counted toward warming. Kept in the session's own SQLite (so
 * it is erased with it), and read by the erase to remove each trace from the
 * shared store that holds it. It also makes the question count once per
 * session, whatever retries and re-drives run its first turn again.
 */

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
}
