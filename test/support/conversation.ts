/** Seeds long, settled conversations straight into a hub's storage (no queue, no rate limit). */
import { runInDurableObject } from "cloudflare:test";
import { ArchiveIndex } from "../../src/durable/session-hub/history/archive-index";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";

/**
 * Appends `pairs` answered exchanges (a user message and its reply), the
 * user's text from `ask(i)`, the reply's from `answer(i)`. They are dated an
 * hour ago, a second apart, as a conversation that happened before the test
 * would be: seeded "just now", they would all count against the message
 * limit of the next accept (message-limit.ts).
 */
export async function seedConversation(
	hub: DurableObjectStub<SessionHub>,
	pairs: number,
	ask: (i: number) => string = (i) => `Question ${i}?`,
	answer: (i: number) => string = (i) => `Answer ${i}.`,
): Promise<void> {
	await runInDurableObject(hub, (_instance: SessionHub, state) => {
		const store = new SessionStore(state.storage.sql);
		for (let i = 0; i < pairs; i++) {
			const question = store.append({ id: `u${i}`, role: "user", text: ask(i), status: "complete", enqueuedAt: Date.now() });
			store.markAnswered([question.id]);
			store.append({ id: `a${i}`, role: "assistant", text: answer(i), status: "complete", replyTo: [question.id] });
		}
		const start = Date.now() - 3_600_000;
		for (let i = 0; i < pairs; i++) {
			for (const [k, id] of [`u${i}`, `a${i}`].entries()) {
				state.storage.sql.exec("UPDATE messages SET created_at = ? WHERE id = ?", new Date(start + (2 * i + k) * 1000).toISOString(), id);
			}
		}
		// Written around the store, which remembers the newest messages.
		store.forget();
	});
}

/** Moves a session's last activity back, as if it had been idle for `ms`. */
export async function ageSession(hub: DurableObjectStub<SessionHub>, ms: number): Promise<void> {
	await runInDurableObject(hub, (_instance: SessionHub, state) => {
		// The last activity is the newest message's time (session-rows.ts), or the session row's when none is hot.
		state.storage.sql.exec("UPDATE session SET last_activity_at = last_activity_at - ?", ms);
		state.storage.sql.exec("UPDATE messages SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', julianday(created_at) - ? / 86400000.0)", ms);
		// Written around the hub's store, which remembers the session row.
		new SessionStore(state.storage.sql).forget();
	});
}

/** Moves the first `count` hot messages out of the hot table, as the archive does (its R2 write aside). */
export function archiveFirst(state: DurableObjectState, store: SessionStore, count: number): void {
	const index = new ArchiveIndex(
		state.storage.sql,
		(run) => state.storage.transactionSync(run),
		(from, to) => store.after(from - 1, to - from + 1),
		() => store.forgetRecent(),
	);
	index.commitSegment(store.after(0, count));
}
