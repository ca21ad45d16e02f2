/**
 * The newest hot messages a turn reads as its history are remembered by the
 * hub's store instead of read again on every turn: they match the table as
 * messages are appended past the kept bound, and messages the archive moved
 * out of the hot table are never served from memory.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ArchiveIndex } from "../../src/durable/session-hub/history/archive-index";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import { HISTORY_LIMIT } from "../../src/shared/turn/prompt";
import { createdHub } from "../support/hub";

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
			const index = new ArchiveIndex(
				state.storage.sql,
				(run) => state.storage.transactionSync(run),
				(from, to) => store.after(from - 1, to - from + 1),
				() => store.forgetRecent(),
			);
			index.commitSegment(store.after(0, 6));
			expect(store.recent(HISTORY_LIMIT).map((m) => m.seq)).toEqual([7, 8, 9, 10]);
		});
	});
});
