/**
 * The newest hot messages a turn reads as its history are remembered by the
 * hub's store instead of read again on every turn: they match the table as
 * messages are appended past the kept bound, and messages the archive moved
 * out of the hot table are never served from memory. So are the line of
 * waiting messages and the live turn, which match the table after every write
 * a turn's life makes. A session just created knows its transcript is empty:
 * its first message reads nothing back, and while every message it stored
 * is remembered, neither does the duplicate-id check of the next.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import { HISTORY_LIMIT } from "../../src/shared/turn/prompt";
import { archiveFirst } from "../support/conversation";
import { createdHub, freshHub } from "../support/hub";

/** The last `count` hot seqs, straight from the table. */
function tableTail(sql: SqlStorage, count: number): number[] {
	return sql
		.exec<{ seq: number }>("SELECT seq FROM messages ORDER BY seq DESC LIMIT ?", count)
		.toArray()
		.map((r) => r.seq)
		.reverse();
}

function appendUser(store: SessionStore, n: number): void {
	store.append({ id: `u${n}`, role: "user", text: `Question ${n}?`, status: "complete", enqueuedAt: Date.now() });
}

describe("recent messages", () => {
	it("match the hot table as messages are appended past the kept bound, whatever count is asked", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const store = new SessionStore(state.storage.sql);
			const seqs = (count: number) => store.recent(count).map((m) => m.seq);
			for (let n = 0; n < 3; n++) appendUser(store, n);
			expect(seqs(HISTORY_LIMIT)).toEqual(tableTail(state.storage.sql, HISTORY_LIMIT));
			for (let n = 3; n < HISTORY_LIMIT + 7; n++) {
				appendUser(store, n);
				for (const count of [1, 2, HISTORY_LIMIT]) expect(seqs(count)).toEqual(tableTail(state.storage.sql, count));
			}
			expect(seqs(HISTORY_LIMIT + 5)).toEqual(tableTail(state.storage.sql, HISTORY_LIMIT + 5));
			expect(seqs(0)).toEqual([]);
			expect(store.recent(1)[0]).toMatchObject({ id: `u${HISTORY_LIMIT + 6}`, role: "user", text: `Question ${HISTORY_LIMIT + 6}?` });
		});
	});

	it("never include messages the archive moved out of the hot table", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const store = new SessionStore(state.storage.sql);
			for (let n = 0; n < 10; n++) appendUser(store, n);
			for (let seq = 1; seq <= 10; seq++) store.markAnswered([`u${seq - 1}`]);
			expect(store.recent(HISTORY_LIMIT)).toHaveLength(10);
			archiveFirst(state, store, 6);
			expect(store.recent(HISTORY_LIMIT).map((m) => m.seq)).toEqual([7, 8, 9, 10]);
		});
	});
});

/** The waiting line and the live turn, straight from the tables. */
function tableLine(sql: SqlStorage) {
	const waiting = sql
		.exec<{ id: string; turn_id: string | null; enqueued_at: number; delivered_at: number; redrive_at: number; requeues: number }>(
			"SELECT id, turn_id, enqueued_at, delivered_at, redrive_at, requeues FROM messages WHERE role = 'user' AND answered = 0 ORDER BY seq",
		)
		.toArray()
		.map((r) => ({
			id: r.id,
			turnId: r.turn_id,
			enqueuedAt: r.enqueued_at,
			deliveredAt: r.delivered_at,
			redriveAt: r.redrive_at,
			requeues: r.requeues,
		}));
	const live = sql
		.exec<{ id: string; state: string; lease_until: number }>(
			"SELECT id, state, lease_until FROM turns WHERE state IN ('thinking', 'streaming', 'confirming')",
		)
		.toArray()
		.map((r) => ({ id: r.id, state: r.state, leaseUntil: r.lease_until }));
	return { waiting, live };
}

function rememberedLine(store: SessionStore) {
	const live = store.liveTurn();
	return {
		waiting: store.waiting().map(({ id, turnId, enqueuedAt, deliveredAt, redriveAt, requeues }) => ({
			id,
			turnId,
			enqueuedAt,
			deliveredAt,
			redriveAt,
			requeues,
		})),
		live: live ? [{ id: live.id, state: live.state, leaseUntil: live.leaseUntil }] : [],
	};
}

describe("the waiting line and the live turn", () => {
	it("match the tables after every write of a turn's life, an abandoned attempt and a confirmation included", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const store = new SessionStore(state.storage.sql);
			const steps: [string, () => void][] = [
				[
					"two questions",
					() => {
						appendUser(store, 1);
						appendUser(store, 2);
					},
				],
				["one people answer", () => store.append({ id: "p", role: "user", text: "Hi?", status: "complete", answered: true })],
				["a turn opens", () => store.openTurn("t1", "pub1", ["u1", "u2"], 1_000)],
				["delivered", () => store.markDelivered(["u1", "u2"], 5, 6)],
				["lease renewed", () => store.renewLease("t1", 2_000)],
				["confirming", () => store.setTurnState("t1", "confirming", 9_000)],
				["a renewal leaves a confirming lease alone", () => store.renewLease("t1", 3_000)],
				["thinking again", () => store.setTurnState("t1", "thinking", 4_000)],
				["a third question", () => appendUser(store, 3)],
				["a job sent again", () => store.markEnqueued(["u3"], 7, 8, true)],
				["the attempt abandoned", () => store.closeTurn("t1", "abandoned", 10)],
				["another attempt", () => store.openTurn("t2", "pub1", ["u1", "u2", "u3"], 5_000)],
				["answered", () => store.markAnswered(["u1", "u2", "u3"])],
				["done", () => store.closeTurn("t2", "done")],
				["a fourth question", () => appendUser(store, 4)],
			];
			expect(rememberedLine(store)).toEqual(tableLine(state.storage.sql));
			for (const [step, run] of steps) {
				run();
				expect(rememberedLine(store), step).toEqual(tableLine(state.storage.sql));
				expect(store.turn("t1")?.state, step).toBe(
					state.storage.sql.exec<{ state: string }>("SELECT state FROM turns WHERE id = 't1'").toArray()[0]?.state,
				);
			}
		});
	});
});

/** The statements run through this database, by their first word. */
function countedSql(sql: SqlStorage): { sql: SqlStorage; statements: string[] } {
	const statements: string[] = [];
	const counted = new Proxy(sql, {
		get(target, key) {
			if (key !== "exec") return Reflect.get(target, key, target);
			return (query: string, ...bindings: SqlStorageValue[]) => {
				statements.push(query.trim().split(/\s/)[0]?.toUpperCase() ?? "");
				return target.exec(query, ...bindings);
			};
		},
	});
	return { sql: counted, statements };
}

describe("a session just created", () => {
	it("stores its first message without reading the tables back, and remembers what the tables say", async () => {
		const { sessionId, hub } = freshHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const { sql, statements } = countedSql(state.storage.sql);
			const store = new SessionStore(sql);
			store.createSession({ sessionId, createdAt: new Date().toISOString() });
			expect(store.session()?.id).toBe(sessionId);
			statements.length = 0;

			// What a first message's accept and its turn's opening ask.
			expect(store.idRecord("u1")).toBeUndefined();
			expect(store.userMessageAcceptedAt(30)).toBeUndefined();
			appendUser(store, 1);
			expect(store.recent(1).map((m) => m.id)).toEqual(["u1"]);
			expect(store.waiting().map((w) => w.id)).toEqual(["u1"]);
			expect(store.hotMessages()).toBe(1);
			expect(store.liveTurn()).toBeUndefined();
			expect(store.lastSeq()).toBe(1);
			// The message alone: the session's last activity is read from it, not written beside it.
			expect(statements).toEqual(["INSERT"]);

			// The same answers from the tables themselves.
			const fromTables = new SessionStore(state.storage.sql);
			fromTables.forget();
			expect(fromTables.idRecord("u1")).toEqual({ seq: 1, role: "user" });
			expect(fromTables.recent(5)).toEqual(store.recent(5));
			expect(fromTables.waiting()).toEqual(store.waiting());
			expect(fromTables.hotMessages()).toBe(1);
			expect(fromTables.liveTurn()).toBeUndefined();
		});
	});

	it("remembers nothing as empty when the session was already there", async () => {
		const { sessionId, hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const seeded = new SessionStore(state.storage.sql);
			appendUser(seeded, 1);
			const { sql, statements } = countedSql(state.storage.sql);
			const store = new SessionStore(sql);
			// A second create of the same session (a retried request) writes no row and must not claim an empty transcript.
			store.createSession({ sessionId, createdAt: new Date().toISOString() });
			statements.length = 0;
			expect(store.idRecord("u1")).toEqual({ seq: 1, role: "user" });
			expect(store.hotMessages()).toBe(1);
			expect(store.recent(1).map((m) => m.id)).toEqual(["u1"]);
			expect(statements.every((s) => s === "SELECT")).toBe(true);
		});
	});
});

describe("the duplicate-id check", () => {
	it("answers from memory while every message is remembered, and from the tables once the memory cannot say", async () => {
		const { sessionId, hub } = freshHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const { sql, statements } = countedSql(state.storage.sql);
			const store = new SessionStore(sql);
			store.createSession({ sessionId, createdAt: new Date().toISOString() });
			for (let n = 0; n < 4; n++) appendUser(store, n);
			store.append({ id: "a1", role: "assistant", text: "An answer.", status: "complete" });
			store.hotMessages();
			statements.length = 0;

			// A conversation shorter than what is remembered: a follow-up's check asks nothing, and still finds every stored id.
			expect(store.idRecord("u9")).toBeUndefined();
			expect(store.idRecord("u2")).toEqual({ seq: 3, role: "user" });
			expect(store.idRecord("a1")).toEqual({ seq: 5, role: "assistant" });
			expect(statements).toEqual([]);

			// Past what is kept, some hot messages are not in memory: the tables answer.
			for (let n = 4; n < HISTORY_LIMIT + 2; n++) appendUser(store, n);
			statements.length = 0;
			expect(store.idRecord("u0")).toEqual({ seq: 1, role: "user" });
			expect(statements).toEqual(["SELECT"]);
		});
	});

	it("asks the tables for archived ids, which memory no longer holds", async () => {
		const { sessionId, hub } = freshHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const store = new SessionStore(state.storage.sql);
			store.createSession({ sessionId, createdAt: new Date().toISOString() });
			for (let n = 0; n < 8; n++) appendUser(store, n);
			for (let n = 0; n < 8; n++) store.markAnswered([`u${n}`]);
			archiveFirst(state, store, 4);
			// Memory refills from the hot table (seqs 5 to 8): whole again, but no longer every message ever stored.
			expect(store.recent(HISTORY_LIMIT).map((m) => m.seq)).toEqual([5, 6, 7, 8]);
			store.hotMessages();
			expect(store.idRecord("u1")).toEqual({ seq: 2, role: "user" });
			expect(store.idRecord("u6")).toEqual({ seq: 7, role: "user" });
			expect(store.idRecord("u8")).toBeUndefined();
		});
	});
});
