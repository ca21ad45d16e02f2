/**
 * A session's last activity is its newest message's time: storing a message
 * writes only the message, and the session row is not touched. The time is
 * the same read from memory or from the tables, and it survives the messages
 * leaving the hot table for the archive.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { MESSAGE_TIME_MS_SQL } from "../../src/durable/session-hub/session-rows";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import { archiveFirst } from "../support/conversation";
import { createdHub } from "../support/hub";

describe("a session's last activity", () => {
	it("reads an ISO time in SQL to the same millisecond as Date.parse", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const times = [0, 1, 999, 1_000, 1_700_000_000_123, 1_796_535_688_491, 1_796_535_688_999, 4_102_444_799_999];
			for (const ms of times) {
				const iso = new Date(ms).toISOString();
				const read = state.storage.sql
					.exec<{ ms: number }>(`SELECT ${MESSAGE_TIME_MS_SQL} AS ms FROM (SELECT ? AS created_at)`, iso)
					.one().ms;
				expect(read, iso).toBe(ms);
			}
		});
	});

	it("is the newest message's time, from memory and from the tables, and stays when the messages are archived", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const sql = state.storage.sql;
			const store = new SessionStore(sql);
			const createdActivity = sql.exec<{ at: number }>("SELECT last_activity_at AS at FROM session").one().at;
			const first = store.append({ id: "u1", role: "user", text: "Where is my refund?", status: "complete" });
			const reply = store.append({ id: "a1", role: "assistant", text: "It is on its way.", status: "complete", replyTo: ["u1"] });
			store.markAnswered(["u1"]);

			// The session row was not written: its column still holds the creation time.
			expect(sql.exec<{ at: number }>("SELECT last_activity_at AS at FROM session").one().at).toBe(createdActivity);
			expect(store.session()?.lastActivityAt).toBe(Date.parse(reply.createdAt));
			const fromTables = new SessionStore(sql);
			fromTables.forget();
			expect(fromTables.session()?.lastActivityAt).toBe(Date.parse(reply.createdAt));
			expect(Date.parse(reply.createdAt)).toBeGreaterThanOrEqual(Date.parse(first.createdAt));

			// Every message leaves the hot table: the session row keeps the newest one's time.
			archiveFirst(state, store, 2);
			expect(sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n).toBe(0);
			const afterArchive = new SessionStore(sql);
			afterArchive.forget();
			expect(afterArchive.session()?.lastActivityAt).toBe(Date.parse(reply.createdAt));
		});
	});
});
