/**
 * What the SessionHub does when a job goes missing: the watchdog re-drives
 * only what is really lost, in jobs of at most 100 ids, counts failed sends,
 * and never fails a message that is only waiting in a backlog; a turn's end
 * always sends the messages that arrived during it.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { LOST_JOB_MS, MAX_REQUEUES, WATCHDOG_MS } from "../../src/durable/session-hub/watchdog";
import { connect, createdHub, fireAlarm, seedUserMessages, sql, withBinding } from "../support/hub";

describe("SessionHub watchdog: re-driving lost messages", () => {
	it("re-drives 150 lost messages in jobs of at most 100 ids, and they are answered", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		const ids = Array.from({ length: 150 }, (_, i) => `lost${i}`);
		await seedUserMessages(
			hub,
			ids.map((id) => ({ id, text: "How do I reset my password?" })),
		);
		await sql(hub, "UPDATE messages SET enqueued_at = 0, redrive_at = 0");
		await fireAlarm(hub);
		expect(await sql(hub, "SELECT DISTINCT requeues FROM messages")).toEqual([{ requeues: 1 }]);
		const reply = await socket.waitFor((f) => f.type === "message" && f.role !== "user", 10_000);
		expect(reply.type === "message" && reply.replyTo?.length).toBe(150);
	});

	it("counts a failed send toward MAX_REQUEUES and then fails the message visibly", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hello?" }]);
		const broken = {
			send: () => Promise.reject(new Error("queue unavailable")),
			sendBatch: () => Promise.reject(new Error("queue unavailable")),
		};
		await withBinding(hub, "CHAT_QUEUE", broken);
		await sql(hub, "UPDATE messages SET enqueued_at = 0, redrive_at = 0");
		for (let round = 1; round <= MAX_REQUEUES; round++) {
			await fireAlarm(hub);
			const [row] = await sql<{ requeues: number; redrive_at: number }>(hub, "SELECT requeues, redrive_at FROM messages");
			expect(row?.requeues).toBe(round);
			// Retried with backoff, not at once.
			expect(row?.redrive_at).toBeGreaterThan(Date.now());
			await sql(hub, "UPDATE messages SET redrive_at = 0");
		}
		await fireAlarm(hub);
		const page = await hub.list({ after: 0, limit: 10 });
		expect(page?.messages.at(-1)).toMatchObject({ role: "system", status: "failed", replyTo: ["q"] });
	});

	it("never fails or duplicates a message whose job is only waiting in a backlog", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "queued", text: "hello?" }]);
		// Queued 25 s ago and not yet delivered: older than WATCHDOG_MS, younger than LOST_JOB_MS.
		const queuedAt = Date.now() - WATCHDOG_MS - 5000;
		await sql(hub, "UPDATE messages SET enqueued_at = ?, redrive_at = ?, requeues = ?", queuedAt, queuedAt + LOST_JOB_MS, MAX_REQUEUES);
		await fireAlarm(hub);
		expect(await sql(hub, "SELECT requeues, enqueued_at FROM messages")).toEqual([{ requeues: MAX_REQUEUES, enqueued_at: queuedAt }]);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages).toHaveLength(1);
	});

	it("sends a job that was never delivered again after LOST_JOB_MS, without counting it", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "vanished", text: "hello?" }]);
		const queuedAt = Date.now() - LOST_JOB_MS - 1000;
		await sql(hub, "UPDATE messages SET enqueued_at = ?, redrive_at = ?, requeues = ?", queuedAt, queuedAt + LOST_JOB_MS, MAX_REQUEUES);
		await fireAlarm(hub);
		const [row] = await sql<{ requeues: number; enqueued_at: number }>(hub, "SELECT requeues, enqueued_at FROM messages");
		expect(row?.requeues).toBe(MAX_REQUEUES);
		expect(row?.enqueued_at).toBeGreaterThan(queuedAt);
	});

	it("re-drives, counted, a delivered message that no turn is answering", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "dropped", text: "hello?" }]);
		const deliveredAt = Date.now() - WATCHDOG_MS - 1000;
		await sql(hub, "UPDATE messages SET delivered_at = ?, redrive_at = ?", deliveredAt, deliveredAt + WATCHDOG_MS);
		await fireAlarm(hub);
		expect(await sql(hub, "SELECT requeues, delivered_at FROM messages")).toEqual([{ requeues: 1, delivered_at: 0 }]);
	});
});

describe("SessionHub: follow-ups and ordering", () => {
	it("sends the messages that arrived during a turn when that turn is abandoned", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		await seedUserMessages(hub, [{ id: "first", text: "How do I reset my password?" }]);
		const begun = await hub.beginTurn({ messageIds: ["first"] });
		if (begun.kind !== "started") throw new Error("turn did not start");
		await seedUserMessages(hub, [{ id: "second", text: "And how do I enable two-factor authentication?" }]);
		// The second message's own delivery finds the first turn in progress and is acked.
		expect(await hub.beginTurn({ messageIds: ["second"] })).toEqual({ kind: "in_progress", covered: false });
		await hub.abandonTurn(begun.turnId);
		// Nothing else would send "second" again before the watchdog; the abandon must.
		const reply = await socket.waitFor((f) => f.type === "message" && f.role === "assistant", 5000);
		expect(reply.type === "message" && reply.replyTo).toContain("second");
	});

	it("stores two quick sends in the order they arrived", async () => {
		const { hub } = await createdHub();
		const [first, second] = await Promise.all([hub.accept({ id: "first", text: "one" }), hub.accept({ id: "second", text: "two" })]);
		expect(first).toMatchObject({ ok: true, seq: 1 });
		expect(second).toMatchObject({ ok: true, seq: 2 });
	});

	it("re-arms the watchdog when a message stored without its alarm is resent, instead of short-circuiting as a duplicate", async () => {
		const { hub } = await createdHub();
		// What a crash between two storage commits used to leave: the message, and no alarm behind it.
		await seedUserMessages(hub, [{ id: "orphan", text: "Is anyone there?" }]);
		await runInDurableObject(hub, (_instance: SessionHub, state) => state.storage.deleteAlarm());
		expect(await hub.accept({ id: "orphan", text: "Is anyone there?" })).toMatchObject({ ok: true, duplicate: true });
		const alarm = await runInDurableObject(hub, (_instance: SessionHub, state) => state.storage.getAlarm());
		expect(alarm).not.toBeNull();
		expect(alarm ?? Infinity).toBeLessThanOrEqual(Date.now() + LOST_JOB_MS);
	});

	it("commits a message and its watchdog alarm together: no await between them", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => state.storage.deleteAlarm());
		expect(await hub.accept({ id: "q", text: "Where is my invoice?" })).toMatchObject({ ok: true, seq: 1 });
		expect(await runInDurableObject(hub, (_instance: SessionHub, state) => state.storage.getAlarm())).not.toBeNull();
	});
});
