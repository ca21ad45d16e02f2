/**
 * The session's back-office tool calls (CONTRACT §8), durable in the hub's
 * SQLite: what each turn asked for, with its arguments and result, and each
 * write's life (pending → approved → done or failed; or declined, or
 * cancelled). A write's approval is written here before the request leaves,
 * and the request carries the call's id as `Idempotency-Key`, so whatever
 * repeats (a retry, a redelivery, a re-drive after a crash) the back office
 * acts on it once. Nothing here is logged: arguments and results are the
 * customer's account data.
 */
import { TOOL_CALL_STATES, type ToolCallRecord, type ToolCallState } from "../../shared/schemas/accounts";
import type { PendingConfirmation } from "../../shared/schemas/responses";
import type { RecordedCall } from "../../shared/turn/account-reply";

/** How long a proposed write waits for the user's answer (CONTRACT §8). */
export const CONFIRM_WITHIN_MS = 10 * 60_000;

type Row = {
	call_id: string;
	turn: string;
	name: string;
	args: string;
	summary: string | null;
	status: string;
	result: string | null;
	attempts: number;
	created_at: number;
	expires_at: number | null;
};

export type AnswerResult = { found: false } | { found: true; status: ToolCallState; turn: string; tool: string; changed: boolean };

export class ToolCallBook {
	readonly #sql: SqlStorage;
	/** Told each call that reached its end (`chat_tool_calls_total`). */
	readonly #ended: (tool: string, status: ToolCallState) => void;

	constructor(sql: SqlStorage, ended: (tool: string, status: ToolCallState) => void) {
		this.#sql = sql;
		this.#ended = ended;
		this.init();
	}

	init(): void {
		this.#sql.exec(`CREATE TABLE IF NOT EXISTS tool_calls (
			call_id TEXT PRIMARY KEY,
			turn TEXT NOT NULL,
			name TEXT NOT NULL,
			args TEXT NOT NULL,
			summary TEXT,
			status TEXT NOT NULL,
			result TEXT,
			attempts INTEGER NOT NULL DEFAULT 0,
			created_at INTEGER NOT NULL,
			expires_at INTEGER,
			answered_at INTEGER
		)`);
		// Tables made before `answered_at` existed (development builds of this issue) get it too.
		const columns = this.#sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('tool_calls')").toArray();
		if (!columns.some((c) => c.name === "answered_at")) this.#sql.exec("ALTER TABLE tool_calls ADD COLUMN answered_at INTEGER");
	}

	/** The calls of turn `turn` (its public id), oldest first. */
	forTurn(turn: string): RecordedCall[] {
		return this.#rows("WHERE turn = ? ORDER BY rowid", turn).map((row) => ({
			callId: row.call_id,
			name: row.name,
			argsJson: row.args,
			status: toState(row.status),
			...(row.result === null ? {} : { resultJson: row.result }),
		}));
	}

	/** A call that ended without the user (a read, or a refused write). */
	record(
		turn: string,
		call: { callId: string; name: string; args: unknown; status: "done" | "failed"; result: unknown; attempts: number },
	): void {
		this.#sql.exec(
			"INSERT OR IGNORE INTO tool_calls (call_id, turn, name, args, status, result, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			call.callId,
			turn,
			call.name,
			JSON.stringify(call.args ?? {}),
			call.status,
			JSON.stringify(call.result ?? null),
			call.attempts,
			Date.now(),
		);
		this.#ended(call.name, call.status);
	}

	/** A write waiting for the user until `expiresAt`. */
	propose(turn: string, call: { callId: string; name: string; args: unknown; summary: string }, expiresAt: number): void {
		this.#sql.exec(
			"INSERT OR IGNORE INTO tool_calls (call_id, turn, name, args, summary, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
			call.callId,
			turn,
			call.name,
			JSON.stringify(call.args ?? {}),
			call.summary,
			Date.now(),
			expiresAt,
		);
	}

	/**
	 * The user's answer: a pending call in time becomes approved or declined; one past its time,
	 * cancelled. Any other state is final for this purpose: a second answer changes nothing.
	 */
	answer(callId: string, approve: boolean, now: number): AnswerResult {
		const row = this.#rows("WHERE call_id = ?", callId)[0];
		if (!row) return { found: false };
		const current = toState(row.status);
		if (current !== "pending") return { found: true, status: current, turn: row.turn, tool: row.name, changed: false };
		const status: ToolCallState = row.expires_at !== null && row.expires_at <= now ? "cancelled" : approve ? "approved" : "declined";
		this.#sql.exec("UPDATE tool_calls SET status = ?, answered_at = ? WHERE call_id = ?", status, Date.now(), callId);
		if (status !== "approved") this.#ended(row.name, status);
		return { found: true, status, turn: row.turn, tool: row.name, changed: true };
	}

	/**
	 * When the user last answered a confirmation of turn `turn` (ms), if ever: the turn's reply
	 * is timed from then, since the time the user took to decide is not the assistant's.
	 */
	answeredAt(turn: string): number | undefined {
		const row = this.#sql.exec<{ at: number | null }>("SELECT MAX(answered_at) AS at FROM tool_calls WHERE turn = ?", turn).one();
		return row.at ?? undefined;
	}

	/** The public id of the turn a call belongs to, if there is such a call. */
	turnOf(callId: string): string | undefined {
		return this.#sql.exec<{ turn: string }>("SELECT turn FROM tool_calls WHERE call_id = ?", callId).toArray()[0]?.turn;
	}

	/** An approved write is about to be sent. */
	sending(callId: string): void {
		this.#sql.exec("UPDATE tool_calls SET attempts = attempts + 1 WHERE call_id = ? AND status = 'approved'", callId);
	}

	/** How an approved or pending write ended; once only. */
	settle(callId: string, status: "done" | "failed" | "cancelled", result: unknown, extraAttempts: number): void {
		const row = this.#rows("WHERE call_id = ? AND status IN ('approved', 'pending')", callId)[0];
		if (!row) return;
		this.#sql.exec(
			"UPDATE tool_calls SET status = ?, result = ?, attempts = attempts + ? WHERE call_id = ?",
			status,
			JSON.stringify(result ?? null),
			extraAttempts,
			callId,
		);
		this.#ended(row.name, status);
	}

	/** Writes waiting for the user's answer, oldest first, with the turn each belongs to. */
	pending(): (PendingConfirmation & { turn: string })[] {
		return this.#rows("WHERE status = 'pending' ORDER BY rowid").map((row) => ({
			callId: row.call_id,
			tool: row.name,
			summary: row.summary ?? "",
			expiresAt: new Date(row.expires_at ?? 0).toISOString(),
			turn: row.turn,
		}));
	}

	/** Every call of the session, for operators (`GET /api/admin/sessions/:id/tool-calls`). */
	list(): ToolCallRecord[] {
		return this.#rows("ORDER BY rowid").map((row) => ({
			callId: row.call_id,
			name: row.name,
			args: recordOf(JSON.parse(row.args)),
			status: toState(row.status),
			attempts: row.attempts,
			createdAt: new Date(row.created_at).toISOString(),
		}));
	}

	#rows(where: string, ...bindings: unknown[]): Row[] {
		return this.#sql.exec<Row>(`SELECT * FROM tool_calls ${where}`, ...bindings).toArray();
	}
}

function toState(status: string): ToolCallState {
	return TOOL_CALL_STATES.find((s) => s === status) ?? "failed";
}

/** A call's arguments as the operators' list shows them: the registry's arguments are flat scalars, so nothing else is there. */
function recordOf(value: unknown): Record<string, string | number | boolean | null> {
	if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
	const flat: Record<string, string | number | boolean | null> = {};
	for (const [key, item] of Object.entries(value)) {
		if (item === null || typeof item === "string" || typeof item === "number" || typeof item === "boolean") flat[key] = item;
	}
	return flat;
}
