/**
 * The per-session message limit, counted by the session's hub from the
 * messages it stored (message-limit.ts): exact, with the seconds until the
 * oldest counted message leaves the window.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MESSAGE_WINDOW_MS, retryAfterSeconds } from "../../src/durable/session-hub/message-limit";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import { createdHub, seedUserMessages, sql } from "../support/hub";

/** wrangler.toml's MESSAGES_PER_MINUTE, which these tests run with. */
const LIMIT = 30;

describe("retryAfterSeconds", () => {
	const now = 1_800_000_000_000;
	it("lets a session with fewer messages than the limit send at once", () => {
		expect(retryAfterSeconds(undefined, now)).toBe(0);
	});
	it("lets it send once the limit-th newest message is a window old", () => {
		expect(retryAfterSeconds(now - MESSAGE_WINDOW_MS, now)).toBe(0);
		expect(retryAfterSeconds(now - MESSAGE_WINDOW_MS - 1, now)).toBe(0);
	});
	it("says how many whole seconds are left, rounded up", () => {
		expect(retryAfterSeconds(now - MESSAGE_WINDOW_MS + 1, now)).toBe(1);
		expect(retryAfterSeconds(now - 50_000, now)).toBe(10);
		expect(retryAfterSeconds(now, now)).toBe(60);
	});
});

describe("SessionHub: the per-session message limit", () => {
	const ids = Array.from({ length: LIMIT }, (_, i) => `m${i}`);
	/** A hub whose last LIMIT user messages were just sent, the oldest of them `oldestSecondsAgo`. */
	async function fullWindow(oldestSecondsAgo: number) {
		const { hub } = await createdHub();
		await seedUserMessages(
			hub,
			ids.map((id) => ({ id, text: "Another question" })),
		);
		await sql(hub, "UPDATE messages SET created_at = ? WHERE id = 'm0'", new Date(Date.now() - oldestSecondsAgo * 1000).toISOString());
		return hub;
	}

	it("refuses a message past the limit, and says when the oldest counted one leaves the window", async () => {
		const hub = await fullWindow(50);
		const refused = await hub.accept({ id: "over", text: "One too many" });
		expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
		const wait = refused.ok || refused.reason !== "rate_limited" ? -1 : refused.retryAfterSeconds;
		expect(wait).toBeGreaterThanOrEqual(9);
		expect(wait).toBeLessThanOrEqual(10);
		expect(await sql(hub, "SELECT id FROM messages WHERE id = 'over'")).toEqual([]);
	});

	it("accepts again once a message has left the window, and only one", async () => {
		const hub = await fullWindow(61);
		expect(await hub.accept({ id: "next", text: "And this?" })).toMatchObject({ ok: true, duplicate: false });
		expect(await hub.accept({ id: "after", text: "And that?" })).toMatchObject({ ok: false, reason: "rate_limited" });
	});

	it("counts only the user's messages, not the replies between them", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(
			hub,
			ids.slice(1).map((id) => ({ id, text: "Another question" })),
		);
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const store = new SessionStore(state.storage.sql);
			for (let i = 0; i < 10; i++) store.append({ id: `reply${i}`, role: "assistant", text: "An answer", status: "complete" });
		});
		expect(await hub.accept({ id: "thirtieth", text: "Still within the limit?" })).toMatchObject({ ok: true });
		expect(await hub.accept({ id: "thirty-first", text: "And now?" })).toMatchObject({ ok: false, reason: "rate_limited" });
	});

	it("answers a resend of a stored id as a duplicate even past the limit (retries never become 429s)", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(
			hub,
			ids.map((id) => ({ id, text: "Another question" })),
		);
		expect(await hub.accept({ id: "m5", text: "Another question" })).toMatchObject({ ok: true, duplicate: true });
	});
});
