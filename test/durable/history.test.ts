/**
 * Bounded history with the real local R2: a long session keeps at most 100
 * messages hot (each session its own bound, some fewer), archives the rest as
 * gzip JSONL segments, and still serves every message (pages and socket
 * replay) in order with no gaps or duplicates; an idle session shrinks; a
 * resent id is still recognised after its message was archived.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HOT_MESSAGE_LIMIT, hotMessageLimit } from "../../src/durable/session-hub/history/history";
import { decodeSegment, SEGMENT_SIZE, sessionArchivePrefix } from "../../src/durable/session-hub/history/segments";
import { IDLE_SHRINK_MS, type SessionHub } from "../../src/durable/session-hub/session-hub";
import { newId } from "../../src/shared/ids";
import type { Message } from "../../src/shared/schemas/message";
import { sessionHub } from "../../src/shared/stubs";
import { ageSession, seedConversation } from "../support/conversation";
import { connect, createdHub, fireAlarm } from "../support/hub";

async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > deadline) return value;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Every message through the HTTP-shaped pages, `limit` at a time. */
async function pageThrough(hub: DurableObjectStub<SessionHub>, limit: number): Promise<Message[]> {
	const all: Message[] = [];
	let after = 0;
	for (;;) {
		const page = await hub.list({ after, limit });
		if (!page) throw new Error("session vanished");
		all.push(...page.messages);
		if (!page.hasMore) return all;
		after = page.messages.at(-1)?.seq ?? after;
	}
}

function expectGapless(messages: Message[], from: number, to: number): void {
	expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
	expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
}

describe("bounded history", () => {
	it("keeps at most 100 messages hot in a 1,000-message session and serves all of them in order", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 500);
		// One accepted message runs the archiver, as every append does.
		const accepted = await hub.accept({ id: "trigger", text: "One more question about refunds?" });
		expect(accepted).toMatchObject({ ok: true, seq: 1001 });
		const storage = await waitUntil(
			() => hub.storage(),
			(s) => (s?.hotMessages ?? Infinity) <= HOT_MESSAGE_LIMIT,
		);
		expect(storage?.hotMessages).toBeLessThanOrEqual(HOT_MESSAGE_LIMIT);
		expect(storage?.archivedMessages).toBeGreaterThanOrEqual(900);
		expect(storage?.archiveSegments).toBe((storage?.archivedMessages ?? 0) / SEGMENT_SIZE);

		const listed = await env.ARCHIVE.list({ prefix: sessionArchivePrefix(sessionId) });
		expect(listed.objects).toHaveLength(storage?.archiveSegments ?? -1);
		const first = await env.ARCHIVE.get(listed.objects[0]?.key ?? "");
		if (!first) throw new Error("no first segment");
		const segment = await decodeSegment(first.body);
		expectGapless(segment, 1, SEGMENT_SIZE);
		expect(segment[2]).toMatchObject({ id: "u1", role: "user", text: "Question 1?" });

		const lastSeq = (await hub.info())?.lastSeq ?? 0;
		expect(lastSeq).toBeGreaterThanOrEqual(1001);
		expectGapless(await pageThrough(hub, 100), 1, lastSeq);
		expectGapless(await pageThrough(hub, 37), 1, lastSeq);

		const socket = await connect(hub, 0);
		await socket.waitFor((f) => f.type === "message" && f.seq === lastSeq, 10_000);
		const replayed = socket.frames.flatMap((f) => (f.type === "message" ? [f] : []));
		expectGapless(replayed.slice(0, lastSeq), 1, lastSeq);
		socket.ws.close();
	});

	it("replays 600 messages once each in seq order though messages are resent during the archived replay, then the summary", async () => {
		const { hub } = await createdHub();
		await seedConversation(hub, 299);
		await hub.accept({ id: "trigger", text: "One more question about refunds?" });
		// Answered here rather than by the queue's consumer, so the transcript ends at exactly 600.
		await hub.runTurn({ messageIds: ["trigger"], attempt: 1 });
		await waitUntil(
			async () => ({ info: await hub.info(), storage: await hub.storage() }),
			({ info, storage }) => info?.lastSeq === 600 && (storage?.archivedMessages ?? 0) >= 450,
		);
		await hub.storeSummary({ text: "Three hundred questions about refunds.", throughSeq: 598 });

		const socket = await connect(hub, 0);
		// Resends of an archived and of a hot message, while the replay is still reading the archive.
		socket.ws.send(JSON.stringify({ type: "send", id: "u10", text: "Question 10?" }));
		socket.ws.send(JSON.stringify({ type: "send", id: "trigger", text: "One more question about refunds?" }));
		await socket.waitFor((f) => f.type === "message" && f.seq === 600, 10_000);
		await scheduler.wait(200);
		const seqs = socket.frames.flatMap((f) => (f.type === "message" ? [f.seq] : []));
		expect(seqs).toHaveLength(600);
		expect(seqs.every((seq, i) => seq === i + 1)).toBe(true);
		expect(socket.frames.find((f) => f.type === "summary")).toEqual({
			type: "summary",
			text: "Three hundred questions about refunds.",
			throughSeq: 598,
		});
		socket.ws.close();
	});

	it("pages from any `after`, across the archive boundary, and past the end", async () => {
		const { hub } = await createdHub();
		await seedConversation(hub, 100);
		await hub.accept({ id: "trigger", text: "Where is my invoice?" });
		await waitUntil(
			() => hub.storage(),
			(s) => (s?.archivedMessages ?? 0) > 0,
		);
		const lastSeq = (await hub.info())?.lastSeq ?? 0;
		for (const after of [0, 1, 49, 50, 51, 99, 100, 150]) {
			const page = await hub.list({ after, limit: 100 });
			expectGapless(page?.messages ?? [], after + 1, Math.min(after + 100, lastSeq));
		}
		expect(await hub.list({ after: lastSeq, limit: 50 })).toMatchObject({ messages: [], hasMore: false, lastSeq });
		expect(await hub.list({ after: lastSeq + 1000, limit: 50 })).toMatchObject({ messages: [], hasMore: false, lastSeq });

		const socket = await connect(hub, 75);
		await socket.waitFor((f) => f.type === "message" && f.seq === lastSeq, 5000);
		expectGapless(socket.frames.flatMap((f) => (f.type === "message" ? [f] : [])).slice(0, lastSeq - 75), 76, lastSeq);
		socket.ws.close();
	});

	it("archives each session past its own bound: one under 100 is not left to grow to 100", async () => {
		// A session whose bound is well under HOT_MESSAGE_LIMIT, so that one shared bound of 100 would archive nothing here.
		let sessionId = newId("ses");
		while (hotMessageLimit(sessionId) > HOT_MESSAGE_LIMIT - 40) sessionId = newId("ses");
		const limit = hotMessageLimit(sessionId);
		const hub = sessionHub(env, sessionId);
		await hub.create({ sessionId, createdAt: new Date().toISOString() });
		await seedConversation(hub, 40);
		await hub.accept({ id: "trigger", text: "Where is my invoice?" });
		const storage = await waitUntil(
			() => hub.storage(),
			(s) => (s?.archivedMessages ?? 0) > 0,
		);
		// Whole segments move out while the session is over its bound, and no more.
		expect(storage?.archivedMessages).toBe(SEGMENT_SIZE);
		expect(storage?.hotMessages).toBeLessThanOrEqual(limit);
		expect(storage?.hotMessages).toBeGreaterThan(limit - SEGMENT_SIZE);
	});

	it("recognises a resent id whose message is already archived", async () => {
		const { hub } = await createdHub();
		await seedConversation(hub, 100);
		await hub.accept({ id: "trigger", text: "Can I change my plan?" });
		await waitUntil(
			() => hub.storage(),
			(s) => (s?.archivedMessages ?? 0) >= 100,
		);
		expect(await hub.accept({ id: "u0", text: "Question 0?" })).toEqual({ ok: true, messageId: "u0", seq: 1, duplicate: true });
		expect(await hub.accept({ id: "a0", text: "not mine" })).toEqual({ ok: false, reason: "id_conflict" });
	});

	it("shrinks an idle session to its counters and index once its summary covers it all, then goes on from the right seq", async () => {
		const { hub } = await createdHub();
		await seedConversation(hub, 15);
		await hub.storeSummary({ text: "The user asked fifteen questions about their plan.", throughSeq: 30 });
		await ageSession(hub, IDLE_SHRINK_MS + 1000);
		await fireAlarm(hub);
		expect(await hub.storage()).toMatchObject({ hotMessages: 0, archivedMessages: 30, archiveSegments: 1 });
		expect((await hub.info())?.lastSeq).toBe(30);
		expectGapless(await pageThrough(hub, 100), 1, 30);
		expect(await hub.accept({ id: "back", text: "I am back with another question." })).toMatchObject({ ok: true, seq: 31 });
	});

	it("asks for a summary and keeps an idle session's last context hot until one covers it", async () => {
		const { hub } = await createdHub();
		await seedConversation(hub, 15);
		const requested: unknown[] = [];
		await runInDurableObject(hub, (instance: SessionHub) => {
			const queue: Pick<Queue, "send"> = {
				send: async (body) => {
					requested.push(body);
					return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
				},
			};
			Reflect.set(instance, "env", { ...env, SUMMARIZE_QUEUE: queue });
		});
		await ageSession(hub, IDLE_SHRINK_MS + 1000);
		await fireAlarm(hub);
		expect(await hub.storage()).toMatchObject({ hotMessages: 30, archivedMessages: 0 });
		expect(requested).toHaveLength(1);
	});

	it("does not shrink a session that was active recently", async () => {
		const { hub } = await createdHub();
		await seedConversation(hub, 15);
		await ageSession(hub, IDLE_SHRINK_MS - 60_000);
		await fireAlarm(hub);
		expect(await hub.storage()).toMatchObject({ hotMessages: 30, archivedMessages: 0 });
	});
});
