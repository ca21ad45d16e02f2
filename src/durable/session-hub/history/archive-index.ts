/**
 * The SQLite side of the archive: which ranges of the transcript live in R2
 * (`segments`), the ids they held (`archived_ids`), and the one transaction
 * that moves a range out of the hot `messages` table once its segment is
 * safely in R2. Tables are created by SessionStore, which owns the schema.
 */
import type { Message } from "../../../shared/schemas/message";
import { MESSAGE_TIME_MS_SQL } from "../session-rows";

/** An archived range of the transcript. */
export interface Segment {
	fromSeq: number;
	toSeq: number;
	count: number;
}

/** Closed turns kept after archiving: enough for any late, fenced write to find its turn done. */
const KEPT_CLOSED_TURNS = 20;

export class ArchiveIndex {
	readonly #sql: SqlStorage;
	readonly #transaction: (run: () => void) => void;
	/** Hot messages with from ≤ seq ≤ to, through SessionStore's row mapping. */
	readonly #read: (from: number, to: number) => Message[];
	/** After messages left the hot table: SessionStore forgets the newest ones it remembers. */
	readonly #removed: () => void;

	constructor(sql: SqlStorage, transaction: (run: () => void) => void, read: (from: number, to: number) => Message[], removed: () => void) {
		this.#sql = sql;
		this.#transaction = transaction;
		this.#read = read;
		this.#removed = removed;
	}

	/** Every seq up to this one is archived (0: nothing is). */
	archivedThrough(): number {
		return this.#sql.exec<{ seq: number | null }>("SELECT MAX(to_seq) AS seq FROM segments").one().seq ?? 0;
	}

	/** The segment holding the first message after `after`, if that message is archived. */
	segmentAfter(after: number): Segment | undefined {
		const row = this.#sql
			.exec<{ from_seq: number; to_seq: number; count: number }>(
				"SELECT from_seq, to_seq, count FROM segments WHERE to_seq > ? ORDER BY from_seq LIMIT 1",
				after,
			)
			.toArray()[0];
		return row && { fromSeq: row.from_seq, toSeq: row.to_seq, count: row.count };
	}

	/** Messages not yet archived, counted: the operators' view and the idle check (appends ask SessionStore, which keeps the count). */
	hotMessages(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n;
	}

	/** Hot and archived counts, for the operators' storage view. */
	counts(): { hotMessages: number; archivedMessages: number; archiveSegments: number } {
		const hot = this.hotMessages();
		const archived = this.#sql
			.exec<{ segments: number; messages: number | null }>("SELECT COUNT(*) AS segments, SUM(count) AS messages FROM segments")
			.one();
		return { hotMessages: hot, archivedMessages: archived.messages ?? 0, archiveSegments: archived.segments };
	}

	/**
	 * The oldest `size` hot messages, when none of them still waits for an
	 * answer (a waiting message stays hot: the watchdog reads it there).
	 */
	settledHead(size: number): Message[] | undefined {
		const from = this.archivedThrough() + 1;
		const to = from + size - 1;
		const waiting = this.#sql
			.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE seq BETWEEN ? AND ? AND role = 'user' AND answered = 0", from, to)
			.one().n;
		return waiting > 0 ? undefined : this.#read(from, to);
	}

	/**
	 * Moves `messages` (already written to R2 as one segment) out of the hot
	 * table, in one transaction: the segment's row, its ids, the deletion, and
	 * the closed turns nothing will ask about again. A crash before this
	 * leaves the messages hot and the segment written; the next attempt writes
	 * the same key again, so nothing is lost and nothing is duplicated.
	 */
	commitSegment(messages: Message[]): Segment {
		const first = messages[0];
		const last = messages.at(-1);
		if (!first || !last) throw new Error("an empty segment cannot be committed");
		const segment = { fromSeq: first.seq, toSeq: last.seq, count: messages.length };
		this.#transaction(() => {
			this.#sql.exec("INSERT INTO segments (from_seq, to_seq, count) VALUES (?, ?, ?)", segment.fromSeq, segment.toSeq, segment.count);
			// The session's last activity is its newest message (session-rows.ts): the session row keeps the newest one leaving.
			// It changes no session's activity as read, so the row SessionStore remembers stays right.
			this.#sql.exec(
				`UPDATE session SET last_activity_at = MAX(last_activity_at, COALESCE((SELECT ${MESSAGE_TIME_MS_SQL} FROM messages WHERE seq = ?), 0))`,
				segment.toSeq,
			);
			// One statement for the segment's ids, not one per message: they are the rows about to be deleted.
			this.#sql.exec(
				"INSERT OR IGNORE INTO archived_ids (id, seq, role) SELECT id, seq, role FROM messages WHERE seq BETWEEN ? AND ?",
				segment.fromSeq,
				segment.toSeq,
			);
			this.#sql.exec("DELETE FROM messages WHERE seq BETWEEN ? AND ?", segment.fromSeq, segment.toSeq);
			this.#sql.exec(
				`DELETE FROM turns WHERE state NOT IN ('thinking', 'streaming')
				 AND rowid NOT IN (SELECT rowid FROM turns ORDER BY rowid DESC LIMIT ?)`,
				KEPT_CLOSED_TURNS,
			);
		});
		this.#removed();
		return segment;
	}
}
