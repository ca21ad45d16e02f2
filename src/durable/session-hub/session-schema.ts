/**
 * The session hub's tables, and the columns added to them since the first release: a hub created
 * before a column existed gets it on its next start (`createTables`).
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS session (
	id TEXT PRIMARY KEY,
	created_at TEXT NOT NULL,
	user_id TEXT,
	locale TEXT,
	metadata TEXT,
	status TEXT NOT NULL DEFAULT 'open',
	summary TEXT
	-- added later (addMissingColumns): summary_through_seq, last_activity_at, summary_due_at, erasing
);
CREATE TABLE IF NOT EXISTS messages (
	seq INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL,
	text TEXT NOT NULL,
	created_at TEXT NOT NULL,
	reply_to TEXT,
	citations TEXT,
	status TEXT NOT NULL,
	-- user messages only: the live turn answering it (the attempt's id, turns.id), whether a reply
	-- is committed, and the watchdog's bookkeeping (see watchdog.ts); added later: public_turn
	turn_id TEXT,
	answered INTEGER NOT NULL DEFAULT 0,
	enqueued_at INTEGER NOT NULL DEFAULT 0,
	requeues INTEGER NOT NULL DEFAULT 0,
	delivered_at INTEGER NOT NULL DEFAULT 0,
	redrive_at INTEGER NOT NULL DEFAULT 0
);
-- No index for the waiting messages: memory holds them (session-store.ts), a cold read scans at most
-- the hot table's hundred rows, and the index was two more pages in every turn's commits
-- (docs/benchmarks.md, "Thirteenth round"). Databases from before drop it.
DROP INDEX IF EXISTS messages_waiting;
CREATE TABLE IF NOT EXISTS turns (
	id TEXT PRIMARY KEY,
	state TEXT NOT NULL,
	reply_to TEXT NOT NULL,
	-- the text streamed so far lives in memory (stream-buffers.ts); databases from before keep unused buffer columns
	lease_until INTEGER NOT NULL
	-- added later: public_turn
);
-- Archived runs of messages (history/archive.ts): the R2 segment of [from_seq, to_seq].
CREATE TABLE IF NOT EXISTS segments (
	from_seq INTEGER PRIMARY KEY,
	to_seq INTEGER NOT NULL,
	count INTEGER NOT NULL
);
-- The ids of archived messages, so a resent idempotency key is still recognised.
CREATE TABLE IF NOT EXISTS archived_ids (
	id TEXT PRIMARY KEY,
	seq INTEGER NOT NULL,
	role TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Columns added after the first release, per table: `CREATE TABLE IF NOT EXISTS` leaves older tables without them. */
const ADDED_COLUMNS: Record<string, Record<string, string>> = {
	/**
	 * `public_turn`: the id clients know the turn answering this message by, decided when it is accepted (turns.ts).
	 * Rows from before it read as their own message id, which is what their `queued` frame named.
	 */
	messages: {
		delivered_at: "INTEGER NOT NULL DEFAULT 0",
		redrive_at: "INTEGER NOT NULL DEFAULT 0",
		public_turn: "TEXT",
		author: "TEXT",
		tools: "TEXT",
	},
	/** `public_turn`: the id this attempt's frames carry. Rows from before it read as their own id, which their frames carried. */
	turns: { public_turn: "TEXT" },
	session: {
		summary_through_seq: "INTEGER",
		last_activity_at: "INTEGER NOT NULL DEFAULT 0",
		summary_due_at: "INTEGER",
		erasing: "INTEGER NOT NULL DEFAULT 0",
		// People (CONTRACT §7, handoff.ts): why and since when people answer, who holds it, and what the desk last heard.
		handoff_reason: "TEXT",
		status_since: "INTEGER",
		awaiting_agent_since: "INTEGER",
		assignee_id: "TEXT",
		assignee_name: "TEXT",
		declines_in_row: "INTEGER NOT NULL DEFAULT 0",
		desk_revision: "INTEGER NOT NULL DEFAULT 0",
		desk_pending: "INTEGER NOT NULL DEFAULT 0",
		// The verified user (CONTRACT §2), as JSON; null for an anonymous session.
		identity: "TEXT",
	},
};

/** Creates the tables and adds the columns an older database lacks; idempotent. */
export function createTables(sql: SqlStorage): void {
	sql.exec(SCHEMA);
	addMissingColumns(sql);
}

function addMissingColumns(sql: SqlStorage): void {
	for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
		const have = new Set(
			sql
				.exec<{ name: string }>("SELECT name FROM pragma_table_info(?)", table)
				.toArray()
				.map((c) => c.name),
		);
		for (const [column, type] of Object.entries(columns)) {
			if (!have.has(column)) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
		}
	}
}
