/**
 * A session's feedback (CONTRACT §7): the conversation's rating and whether each assistant answer
 * helped, and the conversation's outcome, counted once in `chat_conversation_outcomes_total`.
 * Stored beside the transcript in the hub's SQLite, so erasing the session erases them too.
 */
import type { MetricsRecorder } from "../../shared/metrics/recorder";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS feedback (
	kind TEXT NOT NULL,
	-- the answer's message id; '' for the conversation's rating
	message_id TEXT NOT NULL,
	value TEXT NOT NULL,
	comment TEXT,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (kind, message_id)
);
CREATE TABLE IF NOT EXISTS outcome (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	outcome TEXT NOT NULL,
	basis TEXT NOT NULL,
	at INTEGER NOT NULL
);
-- When the alarm should look at an assumed outcome next (outcomes.ts).
CREATE TABLE IF NOT EXISTS outcome_check (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	at INTEGER NOT NULL
);
`;

export type Outcome = "bot_resolved" | "agent_resolved" | "abandoned";
export type OutcomeBasis = "confirmed" | "assumed";

export class FeedbackBook {
	readonly #sql: SqlStorage;
	/**
	 * The outcome and the check's time as last read or written (every write is here): every answer
	 * arms the check, and the hub's alarm asks for it, three statements a turn (bench/overhead.ts).
	 */
	#outcome: { row: { outcome: Outcome; basis: OutcomeBasis } | undefined } | undefined;
	#checkAt: { at: number | null } | undefined;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
		this.init();
	}

	/** Creates the tables; again after `deleteAll`. */
	init(): void {
		this.#outcome = undefined;
		this.#checkAt = undefined;
		this.#sql.exec(SCHEMA);
	}

	/** Rates the conversation; a second rating replaces the first. */
	rate(rating: number, comment: string | undefined): "created" | "replaced" {
		return this.#put("rating", "", String(rating), comment ?? null);
	}

	/** Marks one assistant answer helpful or not; marking it again replaces the mark. */
	markAnswer(messageId: string, helpful: boolean): "created" | "replaced" {
		return this.#put("answer", messageId, helpful ? "helpful" : "unhelpful", null);
	}

	/** Whether the user's latest mark on an answer is "unhelpful": asking for a person now is negative feedback. */
	justMarkedUnhelpful(): boolean {
		const latest = this.#sql
			.exec<{ value: string }>("SELECT value FROM feedback WHERE kind = 'answer' ORDER BY created_at DESC, rowid DESC LIMIT 1")
			.toArray()[0];
		return latest?.value === "unhelpful";
	}

	/** Whether the user confirmed the assistant helped: a rating of 4 or 5, or an answer marked helpful. */
	confirmedHelpful(): boolean {
		const rows = this.#sql.exec<{ kind: string; value: string }>("SELECT kind, value FROM feedback").toArray();
		return rows.some((r) => (r.kind === "rating" && Number(r.value) >= 4) || (r.kind === "answer" && r.value === "helpful"));
	}

	/** The conversation's outcome, if it has been counted. */
	outcome(): { outcome: Outcome; basis: OutcomeBasis } | undefined {
		this.#outcome ??= {
			row: this.#sql.exec<{ outcome: Outcome; basis: OutcomeBasis }>("SELECT outcome, basis FROM outcome WHERE id = 1").toArray()[0],
		};
		return this.#outcome.row;
	}

	/** Counts the conversation's outcome, once in its life: later calls change nothing. */
	countOutcome(outcome: Outcome, basis: OutcomeBasis, metrics: MetricsRecorder): boolean {
		const cursor = this.#sql.exec("INSERT OR IGNORE INTO outcome (id, outcome, basis, at) VALUES (1, ?, ?, ?)", outcome, basis, Date.now());
		if (cursor.rowsWritten === 0) {
			this.#outcome = undefined;
			return false;
		}
		this.#outcome = { row: { outcome, basis } };
		this.clearOutcomeCheck();
		metrics.count("chat_conversation_outcomes_total", { outcome, basis });
		return true;
	}

	/** Asks the alarm to look at the outcome at `at` (outcomes.ts), unless it is counted already. */
	checkOutcomeAt(at: number): void {
		if (this.outcome()) return;
		this.#sql.exec("INSERT OR REPLACE INTO outcome_check (id, at) VALUES (1, ?)", at);
		this.#checkAt = { at };
	}

	/**
	 * Asks the alarm to look at the outcome by `at`. A check armed sooner stays: it only looks early,
	 * and the plan then says when to look again (outcomes.ts). Every answer arms the check, and
	 * moving it each time was a write a turn (bench/overhead.ts).
	 */
	armOutcomeCheck(at: number): void {
		const armed = this.outcomeCheckAt();
		if (armed === null || armed > at) this.checkOutcomeAt(at);
	}

	/** When the alarm should look at the outcome, or null. */
	outcomeCheckAt(): number | null {
		this.#checkAt ??= { at: this.#sql.exec<{ at: number }>("SELECT at FROM outcome_check WHERE id = 1").toArray()[0]?.at ?? null };
		return this.#checkAt.at;
	}

	clearOutcomeCheck(): void {
		this.#sql.exec("DELETE FROM outcome_check");
		this.#checkAt = { at: null };
	}

	#put(kind: string, messageId: string, value: string, comment: string | null): "created" | "replaced" {
		const existed =
			this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM feedback WHERE kind = ? AND message_id = ?", kind, messageId).one().n > 0;
		this.#sql.exec(
			"INSERT OR REPLACE INTO feedback (kind, message_id, value, comment, created_at) VALUES (?, ?, ?, ?, ?)",
			kind,
			messageId,
			value,
			comment,
			Date.now(),
		);
		return existed ? "replaced" : "created";
	}
}
