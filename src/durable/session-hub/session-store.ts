/**
 * The session hub's SQLite storage: the transcript (gapless `seq`, unique
 * message ids), the turns answering it, and the session's own record.
 * Synchronous, like Durable Object SQLite itself, so that each hub method
 * runs its reads and writes without interleaving with other events. The
 * tables are in session-schema.ts, the rows and their decoding in
 * session-rows.ts.
 */
import type { Identity } from "../../shared/schemas/identity";
import type { Author, Citation, Message, MessageStatus, Role, ToolUse } from "../../shared/schemas/message";
import { HISTORY_LIMIT } from "../../shared/turn/prompt";
import {
	type Handoff,
	type MessageRow,
	readSessionRow,
	readWaitingRows,
	type SessionRow,
	type TurnRow,
	type TurnSqlRow,
	toMessage,
	toRole,
	toTurn,
	type WaitingRow,
} from "./session-rows";
import { createTables } from "./session-schema";

export type { Handoff, SessionRow, TurnRow, TurnRowState, WaitingMessage, WaitingRow } from "./session-rows";

/**
 * What the stores over one database remember of it: the session row as last read, until a store
 * next writes it (every write to that table is in this class, but the archive's, which changes
 * nothing read: archive-index.ts), and the last seq ever assigned
 * (`append` is its only writer). A turn asks for the session a dozen times, and each SELECT cost
 * CPU the first token waited for (bench/overhead.ts). The object is single-threaded and its memory
 * goes with it, so the copy cannot go stale; code that writes these tables other than through a
 * SessionStore (a test seeding one) calls `forget()`.
 */
interface Remembered {
	session?: { row: SessionRow | undefined } | undefined;
	lastSeq?: number | undefined;
	/** The newest hot messages, at most RECENT_KEPT; `whole` when no other message is hot. */
	recent?: { messages: Message[]; whole: boolean } | undefined;
	/** How many messages are hot: asked after every append, to decide whether to archive. */
	hotCount?: number | undefined;
	/**
	 * The user messages waiting for a reply (`waiting()`), kept in step by the writes below, all in
	 * this class: a turn read the line three times and its live turn twice, five SELECTs of some
	 * twenty a turn ran (bench/overhead.ts). A rare write (an abandoned turn) drops it instead.
	 */
	waiting?: WaitingRow[] | undefined;
	/** The live turn, if any (`liveTurn()`), kept in step the same way. */
	live?: { row: TurnRow | undefined } | undefined;
}

/**
 * Hot messages remembered from the end of the transcript: a turn's history (HISTORY_LIMIT) was read
 * and parsed again from SQLite on every turn (bench/overhead.ts). Messages never change once
 * appended (only their turn bookkeeping does, which a Message does not carry); they leave the hot
 * table only through the archive, which calls `forgetRecent()`.
 */
const RECENT_KEPT = HISTORY_LIMIT;
const rememberedBy = new WeakMap<SqlStorage, Remembered>();

export class SessionStore {
	readonly #sql: SqlStorage;
	readonly #memory: Remembered;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
		this.#memory = rememberedBy.get(sql) ?? {};
		rememberedBy.set(sql, this.#memory);
		this.init();
	}

	/** Drops what is remembered of the tables: they were written other than through a SessionStore. */
	forget(): void {
		this.#memory.session = undefined;
		this.#memory.lastSeq = undefined;
		this.#memory.waiting = undefined;
		this.#memory.live = undefined;
		this.forgetRecent();
	}

	/** Drops the remembered newest messages and their count: some left the hot table (archive-index.ts). */
	forgetRecent(): void {
		this.#memory.recent = undefined;
		this.#memory.hotCount = undefined;
		// The archive deletes closed turns too (archive-index.ts).
		this.#memory.live = undefined;
	}

	/** Creates the tables; again after `deleteAll`, so an erased session reads as absent instead of failing. */
	init(): void {
		this.forget();
		createTables(this.#sql);
	}

	/** The session, unless it does not exist or is being erased. */
	session(): SessionRow | undefined {
		this.#memory.session ??= { row: readSessionRow(this.#sql) };
		return this.#memory.session.row;
	}

	/** Keeps the remembered row in step with a write of these columns. */
	#patchSession(change: Partial<SessionRow>): void {
		const row = this.#memory.session?.row;
		if (row) this.#memory.session = { row: { ...row, ...change } };
	}

	/**
	 * Changes who answers the session (CONTRACT §7) and marks the change for the support desk: the
	 * new revision is what the desk is told next (handoff.ts), and stays pending until it has heard.
	 */
	setHandoff(change: Partial<Handoff>): number {
		const current = this.session();
		if (!current) return 0;
		const next = { ...current, ...change };
		const revision = current.deskRevision + 1;
		this.#sql.exec(
			"UPDATE session SET status = ?, handoff_reason = ?, status_since = ?, awaiting_agent_since = ?, assignee_id = ?, assignee_name = ?, declines_in_row = ?, desk_revision = ?, desk_pending = 1",
			next.status,
			next.reason,
			next.statusSince,
			next.awaitingAgentSince,
			next.assignee?.agentId ?? null,
			next.assignee?.name ?? null,
			next.declinesInRow,
			revision,
		);
		this.#patchSession({ ...change, deskRevision: revision, deskPending: true });
		return revision;
	}

	/** Counts the assistant's declines in a row (0 after a real answer); no news for the desk. */
	setDeclinesInRow(count: number): void {
		this.#sql.exec("UPDATE session SET declines_in_row = ?", count);
		this.#patchSession({ declinesInRow: count });
	}

	/** Marks a change for the desk without changing who answers (a message it should list). */
	touchDesk(): number {
		const current = this.session();
		if (!current) return 0;
		const revision = current.deskRevision + 1;
		this.#sql.exec("UPDATE session SET desk_revision = ?, desk_pending = 1", revision);
		this.#patchSession({ deskRevision: revision, deskPending: true });
		return revision;
	}

	/** The desk has heard of `revision`: settled unless something changed since. */
	deskHeard(revision: number): void {
		this.#sql.exec("UPDATE session SET desk_pending = 0 WHERE desk_revision = ?", revision);
		if (this.session()?.deskRevision === revision) this.#patchSession({ deskPending: false });
	}

	/** The session's id, also while it is being erased (to finish erasing it). */
	sessionId(): string | undefined {
		return this.#sql.exec<{ id: string }>("SELECT id FROM session LIMIT 1").toArray()[0]?.id;
	}

	/** The user id the session was created with (verified or a label), also while it is being erased. */
	userIdOfErasing(): string | undefined {
		return this.#sql.exec<{ user_id: string | null }>("SELECT user_id FROM session LIMIT 1").toArray()[0]?.user_id ?? undefined;
	}

	/** Whether an erase has started and not finished. */
	erasing(): boolean {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM session WHERE erasing = 1").one().n > 0;
	}

	/** From now on the session reads as absent (`session()` is undefined) while its traces are erased. */
	markErasing(): void {
		this.#sql.exec("UPDATE session SET erasing = 1");
		this.#memory.session = undefined;
	}

	/** Stores a newer running summary; false (and nothing changes) when `throughSeq` is not newer. */
	storeSummary(text: string, throughSeq: number): boolean {
		const current = this.session()?.summaryThroughSeq ?? 0;
		if (throughSeq <= current) return false;
		this.#sql.exec("UPDATE session SET summary = ?, summary_through_seq = ?", text, throughSeq);
		this.#memory.session = undefined;
		return true;
	}

	/** Records the registry's due time for this session (null: not registered). */
	setSummaryDueAt(at: number | null): void {
		this.#sql.exec("UPDATE session SET summary_due_at = ?", at);
		this.#patchSession({ summaryDueAt: at });
	}

	createSession(input: {
		sessionId: string;
		createdAt: string;
		userId?: string | undefined;
		identity?: Identity | undefined;
		locale?: string | undefined;
		metadata?: unknown;
	}): void {
		this.#memory.session = undefined;
		// Creation counts as activity: retention measures idleness from it until the first message.
		const created = this.#sql.exec(
			"INSERT OR IGNORE INTO session (id, created_at, user_id, identity, locale, metadata, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			input.sessionId,
			input.createdAt,
			input.identity?.id ?? input.userId ?? null,
			input.identity ? JSON.stringify(input.identity) : null,
			input.locale ?? null,
			input.metadata === undefined ? null : JSON.stringify(input.metadata),
			Date.now(),
		);
		if (created.rowsWritten > 0) this.#rememberEmpty();
	}

	/**
	 * A session row just written means an empty transcript: messages are stored only under an existing
	 * session, and an erase wipes the whole database. So the first message's path need not ask SQLite
	 * what it already knows: no seq yet, nothing hot, waiting or running (docs/benchmarks.md,
	 * "Seventh round", for what that saved and what it did not).
	 */
	#rememberEmpty(): void {
		this.#memory.lastSeq = 0;
		this.#memory.hotCount = 0;
		this.#memory.recent = { messages: [], whole: true };
		this.#memory.waiting = [];
		this.#memory.live = { row: undefined };
	}

	/** Messages not yet archived. Counted once, then kept in step by `append` (rows leave only through the archive). */
	hotMessages(): number {
		this.#memory.hotCount ??= this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n;
		return this.#memory.hotCount;
	}

	/**
	 * When the `nth` newest user message was accepted (ms since the epoch), or undefined when the
	 * session has fewer: the per-session message limit's window (message-limit.ts). Walks back from
	 * the newest seq, so it reads about `nth` rows whatever the session's length.
	 */
	userMessageAcceptedAt(nth: number): number | undefined {
		// Fewer messages ever stored than `nth`: fewer user messages too. A conversation's first `nth` messages ask nothing.
		if (this.lastSeq() < nth) return undefined;
		const row = this.#sql
			.exec<{ created_at: string }>("SELECT created_at FROM messages WHERE role = 'user' ORDER BY seq DESC LIMIT 1 OFFSET ?", nth - 1)
			.toArray()[0];
		return row && Date.parse(row.created_at);
	}

	/** The last seq ever assigned, hot or archived. */
	lastSeq(): number {
		this.#memory.lastSeq ??= this.#sql
			.exec<{ seq: number }>(
				"SELECT MAX(COALESCE((SELECT MAX(seq) FROM messages), 0), COALESCE((SELECT MAX(to_seq) FROM segments), 0)) AS seq",
			)
			.one().seq;
		return this.#memory.lastSeq;
	}

	/** The seq and role of a message with this id, hot or archived. */
	idRecord(id: string): { seq: number; role: Role } | undefined {
		// Nothing stored yet, hot or archived: a conversation's first message asks nothing.
		if (this.lastSeq() === 0) return undefined;
		// Every message ever stored is remembered (all hot, all in memory): a short conversation's next message asks nothing either.
		const remembered = this.#rememberedIds();
		if (remembered) {
			const message = remembered.find((m) => m.id === id);
			return message && { seq: message.seq, role: message.role };
		}
		// One statement: every accepted message asks, and a new id is in neither table.
		const row = this.#sql
			.exec<{ seq: number; role: string }>(
				"SELECT seq, role FROM messages WHERE id = ? UNION ALL SELECT seq, role FROM archived_ids WHERE id = ? LIMIT 1",
				id,
				id,
			)
			.toArray()[0];
		if (!row) return undefined;
		return { seq: row.seq, role: toRole(row.role) };
	}

	/**
	 * Every message the session ever stored, when memory holds them all: the remembered newest are
	 * the whole hot table, and the hot table is every seq ever assigned (seqs are contiguous, and
	 * leave it only through the archive), so none was archived. Undefined when it cannot say.
	 */
	#rememberedIds(): readonly Message[] | undefined {
		const { recent, hotCount, lastSeq } = this.#memory;
		return recent?.whole && hotCount !== undefined && hotCount === lastSeq ? recent.messages : undefined;
	}

	/** The hot (not yet archived) message with this id, if any. */
	byId(id: string): Message | undefined {
		// A turn asks for the messages it answers, which are among the newest (messages never change once appended).
		const remembered = this.#memory.recent?.messages.find((message) => message.id === id);
		if (remembered) return remembered;
		const row = this.#sql
			.exec<MessageRow>("SELECT seq, id, role, author, text, created_at, reply_to, citations, status, tools FROM messages WHERE id = ?", id)
			.toArray()[0];
		return row && toMessage(row);
	}

	/** Appends a message with the next seq. */
	append(message: {
		id: string;
		role: Role;
		text: string;
		status: MessageStatus;
		replyTo?: string[];
		citations?: Citation[];
		enqueuedAt?: number;
		redriveAt?: number;
		/** User messages: the turn that will answer it, as clients know it. */
		publicTurn?: string;
		/** Agent messages: the person. */
		author?: Author;
		/** Assistant messages: the back-office calls the reply used. */
		tools?: ToolUse[];
		/** User messages people answer (escalated sessions): stored answered, so no turn or watchdog waits on them. */
		answered?: boolean;
	}): Message {
		const seq = this.lastSeq() + 1;
		const createdAt = new Date().toISOString();
		this.#sql.exec(
			"INSERT INTO messages (seq, id, role, author, text, created_at, reply_to, citations, status, enqueued_at, redrive_at, public_turn, answered, tools) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			seq,
			message.id,
			message.role,
			message.author ? JSON.stringify(message.author) : null,
			message.text,
			createdAt,
			message.replyTo ? JSON.stringify(message.replyTo) : null,
			message.citations?.length ? JSON.stringify(message.citations) : null,
			message.status,
			message.enqueuedAt ?? 0,
			message.redriveAt ?? 0,
			message.publicTurn ?? null,
			message.answered ? 1 : 0,
			message.tools?.length ? JSON.stringify(message.tools) : null,
		);
		this.#memory.lastSeq = seq;
		if (this.#memory.hotCount !== undefined) this.#memory.hotCount += 1;
		if (message.role === "user" && !message.answered) {
			this.#memory.waiting?.push({
				id: message.id,
				turnId: null,
				publicTurn: message.publicTurn ?? message.id,
				acceptedAt: Date.parse(createdAt),
				enqueuedAt: message.enqueuedAt ?? 0,
				deliveredAt: 0,
				redriveAt: message.redriveAt ?? 0,
				requeues: 0,
			});
		}
		// The message is the session's last activity (readSessionRow derives it from the newest message: no write here).
		this.#patchSession({ lastActivityAt: Date.parse(createdAt) });
		const stored = toMessage({
			seq,
			id: message.id,
			role: message.role,
			author: message.author ? JSON.stringify(message.author) : null,
			text: message.text,
			created_at: createdAt,
			reply_to: message.replyTo ? JSON.stringify(message.replyTo) : null,
			citations: message.citations?.length ? JSON.stringify(message.citations) : null,
			status: message.status,
			tools: message.tools?.length ? JSON.stringify(message.tools) : null,
		});
		const recent = this.#memory.recent;
		if (recent) {
			recent.messages.push(stored);
			if (recent.messages.length > RECENT_KEPT) {
				recent.messages.shift();
				recent.whole = false;
			}
		}
		return stored;
	}

	/** Messages with `seq > after`, ascending, at most `limit`. */
	after(after: number, limit = Number.MAX_SAFE_INTEGER): Message[] {
		return this.#sql
			.exec<MessageRow>(
				"SELECT seq, id, role, author, text, created_at, reply_to, citations, status, tools FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
				after,
				limit,
			)
			.toArray()
			.map(toMessage);
	}

	/** The last `count` hot messages, ascending: from memory when the remembered ones cover them. */
	recent(count: number): Message[] {
		if (count <= 0) return [];
		const remembered = this.#memory.recent;
		if (remembered && (remembered.whole || remembered.messages.length >= count)) return remembered.messages.slice(-count);
		const limit = Math.max(count, RECENT_KEPT);
		const messages = this.#sql
			.exec<MessageRow>(
				"SELECT * FROM (SELECT seq, id, role, author, text, created_at, reply_to, citations, status, tools FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq",
				limit,
			)
			.toArray()
			.map(toMessage);
		// Fewer rows than asked for: these are every hot message, and the kept ones are all of them when they fit.
		this.#memory.recent = { messages: messages.slice(-RECENT_KEPT), whole: messages.length < limit && messages.length <= RECENT_KEPT };
		return messages.slice(-count);
	}

	/** User messages that have no committed reply yet, oldest first. */
	waiting(): WaitingRow[] {
		this.#memory.waiting ??= readWaitingRows(this.#sql);
		return this.#memory.waiting.map((row) => ({ ...row }));
	}

	assignTurn(messageIds: string[], turnId: string | null): void {
		for (const id of messageIds) this.#sql.exec("UPDATE messages SET turn_id = ? WHERE id = ? AND answered = 0", turnId, id);
		this.#patchWaiting(messageIds, () => ({ turnId }));
	}

	markAnswered(messageIds: string[]): void {
		for (const id of messageIds) this.#sql.exec("UPDATE messages SET answered = 1, turn_id = NULL WHERE id = ?", id);
		const waiting = this.#memory.waiting;
		if (waiting) this.#memory.waiting = waiting.filter((row) => !messageIds.includes(row.id));
	}

	/** Keeps the remembered line in step with a write to these waiting messages. */
	#patchWaiting(messageIds: readonly string[], change: (row: WaitingRow) => Partial<WaitingRow>): void {
		for (const row of this.#memory.waiting ?? []) if (messageIds.includes(row.id)) Object.assign(row, change(row));
	}

	/**
	 * Records a job sent for these messages (`at`), or a failed send (`at` = 0).
	 * A new job is undelivered until a consumer opens a turn with it.
	 */
	markEnqueued(messageIds: string[], at: number, redriveAt: number, counted: boolean): void {
		for (const id of messageIds) {
			this.#sql.exec(
				"UPDATE messages SET enqueued_at = ?, delivered_at = 0, redrive_at = ?, requeues = requeues + ? WHERE id = ? AND answered = 0",
				at,
				redriveAt,
				counted ? 1 : 0,
				id,
			);
		}
		this.#patchWaiting(messageIds, (row) => ({ enqueuedAt: at, deliveredAt: 0, redriveAt, requeues: row.requeues + (counted ? 1 : 0) }));
	}

	/** A consumer picked up a job for these messages. */
	markDelivered(messageIds: string[], at: number, redriveAt: number): void {
		for (const id of messageIds) {
			this.#sql.exec("UPDATE messages SET delivered_at = ?, redrive_at = ? WHERE id = ? AND answered = 0", at, redriveAt, id);
		}
		this.#patchWaiting(messageIds, () => ({ deliveredAt: at, redriveAt }));
	}

	/**
	 * The turn that starts next and every message it will answer: the user messages waiting with no
	 * live turn. It is the oldest one's turn (a turn opens for every waiting message, under that id).
	 */
	queued(): { turn: string; replyTo: string[] } | undefined {
		const waiting = this.waiting().filter((w) => w.turnId === null);
		const first = waiting[0];
		return first && { turn: first.publicTurn, replyTo: waiting.map((w) => w.id) };
	}

	/** The turn that is thinking, streaming or confirming, if any (there is at most one). */
	liveTurn(): TurnRow | undefined {
		this.#memory.live ??= { row: this.#readLiveTurn() };
		const row = this.#memory.live.row;
		return row && { ...row, replyTo: [...row.replyTo] };
	}

	#readLiveTurn(): TurnRow | undefined {
		const row = this.#sql
			.exec<TurnSqlRow>(
				"SELECT id, COALESCE(public_turn, id) AS public_turn, state, reply_to, lease_until FROM turns WHERE state IN ('thinking', 'streaming', 'confirming') LIMIT 1",
			)
			.toArray()[0];
		return row && toTurn(row);
	}

	/** A turn attempt by its id. */
	turn(id: string): TurnRow | undefined {
		const live = this.#memory.live?.row;
		if (live?.id === id) return { ...live, replyTo: [...live.replyTo] };
		const row = this.#sql
			.exec<TurnSqlRow>("SELECT id, COALESCE(public_turn, id) AS public_turn, state, reply_to, lease_until FROM turns WHERE id = ?", id)
			.toArray()[0];
		return row && toTurn(row);
	}

	/** Opens attempt `id` of the turn clients know as `publicTurn`. */
	openTurn(id: string, publicTurn: string, replyTo: string[], leaseUntil: number): void {
		this.#sql.exec(
			"INSERT INTO turns (id, public_turn, state, reply_to, lease_until) VALUES (?, ?, 'thinking', ?, ?)",
			id,
			publicTurn,
			JSON.stringify(replyTo),
			leaseUntil,
		);
		this.#memory.live = { row: { id, publicTurn, state: "thinking", replyTo: [...replyTo], leaseUntil } };
		this.assignTurn(replyTo, id);
	}

	/** Moves a live turn between `thinking` and `confirming` (CONTRACT §8), with the lease its new state needs. */
	setTurnState(id: string, state: "thinking" | "confirming", leaseUntil: number): void {
		this.#sql.exec(
			"UPDATE turns SET state = ?, lease_until = ? WHERE id = ? AND state IN ('thinking', 'streaming', 'confirming')",
			state,
			leaseUntil,
			id,
		);
		this.#patchLive(id, ["thinking", "streaming", "confirming"], { state, leaseUntil });
	}

	/** Extends a live turn's lease. */
	renewLease(id: string, leaseUntil: number): void {
		this.#sql.exec("UPDATE turns SET lease_until = ? WHERE id = ? AND state IN ('thinking', 'streaming')", leaseUntil, id);
		this.#patchLive(id, ["thinking", "streaming"], { leaseUntil });
	}

	/** Keeps the remembered live turn in step with an update of attempt `id` in one of `states`. */
	#patchLive(id: string, states: readonly TurnRow["state"][], change: Partial<TurnRow>): void {
		const row = this.#memory.live?.row;
		if (row?.id === id && states.includes(row.state)) this.#memory.live = { row: { ...row, ...change } };
	}

	/**
	 * Ends a turn attempt. An abandoned attempt's messages wait for their redelivery until `redriveAt`,
	 * queued again under the turn's id. An attempt opened before public turn ids gives its messages its
	 * own id, the one their clients last saw answering them.
	 */
	closeTurn(id: string, state: "done" | "failed" | "abandoned", redriveAt = 0): void {
		this.#sql.exec("UPDATE turns SET state = ? WHERE id = ?", state, id);
		if (this.#memory.live?.row?.id === id) this.#memory.live = { row: undefined };
		if (state === "abandoned") {
			this.#memory.waiting = undefined;
			this.#sql.exec(
				"UPDATE messages SET turn_id = NULL, redrive_at = ?, public_turn = COALESCE(public_turn, (SELECT id FROM turns WHERE id = ? AND public_turn IS NULL)) WHERE turn_id = ? AND answered = 0",
				redriveAt,
				id,
				id,
			);
		}
	}
}
