/**
 * Bounded history and summarization against `wrangler dev` with the raised
 * rate limits of a test config: a 300-message session stays within its
 * bounds and replays whole over a socket and through pages; the 5-minute
 * cron, triggered at the local scheduled endpoint, writes a summary that
 * shows in the session and as a `summary` frame; and a crash between an
 * archive segment's R2 write and the SQLite delete loses and duplicates
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionStorageSchema } from "../../src/shared/schemas/responses";
import { type DevServer, startDevServer, writeRaisedLimitsConfig } from "../support/dev-server";
import { strict } from "../support/strict";
import { ADMIN_TOKEN, bearer, createSession, getSession, parseJson, postMessage, request, type Session, sleep } from "./support/api";
import { auditTranscript, fullTranscript, settledTranscript } from "./support/audit";
import { isType, openChat } from "./support/ws-client";

// The admin storage view exactly as the contract lists it: an extra field fails the test.
const storageSchema = strict(sessionStorageSchema);

async function storage(url: string, session: Session) {
	return parseJson(
		storageSchema,
		await request(`${url}/api/admin/sessions/${session.sessionId}/storage`, { headers: bearer(ADMIN_TOKEN) }),
	);
}

/** Posts `count` questions, `concurrency` at a time. */
async function ask(url: string, session: Session, count: number, concurrency = 4): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (let i = next++; i < count; i = next++)
				await postMessage(url, session, { id: `q${i}`, text: `Question ${i}: how do I export my data?` });
		}),
	);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await sleep(250);
		value = await read();
	}
	return value;
}

/** Every message a fresh socket replays with `after`, up to `lastSeq`. */
async function socketReplay(url: string, session: Session, lastSeq: number, after = 0) {
	const client = await openChat(url, session, after);
	await client.waitFor((f) => f.type === "message" && f.seq === lastSeq, 30_000);
	const replayed = client.frames.flatMap((f) => (f.type === "message" ? [f] : []));
	await client.close();
	return replayed.filter((m) => m.seq <= lastSeq);
}

describe("history", () => {
	let server: DevServer;
	beforeAll(async () => {
		server = await startDevServer({ config: writeRaisedLimitsConfig(), vars: { LOCAL_AI_PROFILE: "instant" } });
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	// 300 user messages and their replies are three times the hot bound and half a dozen archive segments (the bench posts 1,000).
	it("keeps a 300-message session within its bounds and replays all of it, in order, from the archive", async () => {
		const session = await createSession(server.url);
		await ask(server.url, session, 300);
		const messages = await settledTranscript(server.url, session, 120_000);
		const audit = auditTranscript(messages);
		expect(audit.problems).toEqual([]);
		expect(audit.userMessages).toBe(300);
		const lastSeq = messages.length;
		expect(lastSeq).toBeGreaterThan(300);

		const bounded = await until(
			() => storage(server.url, session),
			(s) => s.hotMessages <= 100,
			30_000,
		);
		expect(bounded.hotMessages).toBeLessThanOrEqual(100);
		expect(bounded.archivedMessages + bounded.hotMessages).toBe(lastSeq);
		expect(bounded.archiveSegments).toBeGreaterThanOrEqual(Math.floor((lastSeq - 100) / 50));

		const replayed = await socketReplay(server.url, session, lastSeq);
		expect(replayed.map((m) => m.seq)).toEqual(messages.map((m) => m.seq));
		expect(replayed.map((m) => m.id)).toEqual(messages.map((m) => m.id));
		// Paging agrees with the socket, whatever the page size.
		expect((await fullTranscript(server.url, session)).map((m) => m.id)).toEqual(replayed.map((m) => m.id));
		const middle = await socketReplay(server.url, session, lastSeq, 157);
		expect(middle.map((m) => m.seq)).toEqual(messages.slice(157).map((m) => m.seq));
	}, 240_000);

	it("summarizes a session when the 5-minute cron runs: in the session, in storage and as a summary frame", async () => {
		const session = await createSession(server.url);
		await postMessage(server.url, session, { id: "fact", text: "My order number is ORD-55821 and it never arrived." });
		await ask(server.url, session, 24);
		await settledTranscript(server.url, session, 60_000);
		const client = await openChat(server.url, session, 1_000_000);
		const fired = await request(`${server.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
		expect(fired.status).toBe(200);
		const frame = await client.waitFor(isType("summary"), 30_000);
		expect(frame.throughSeq).toBeGreaterThan(20);
		expect(frame.text).toContain("ORD-55821");
		expect((await getSession(server.url, session)).summary).toBe(frame.text);
		expect((await storage(server.url, session)).summaryThroughSeq).toBe(frame.throughSeq);
		await client.close();
	}, 120_000);

	it("erases a session: its sockets close with 1000 and every later request gets 404", async () => {
		const session = await createSession(server.url);
		await postMessage(server.url, session, { text: "Please delete this conversation." });
		const client = await openChat(server.url, session);
		const erased = await request(`${server.url}/api/sessions/${session.sessionId}`, { method: "DELETE", headers: bearer(session.token) });
		expect(erased.status).toBe(204);
		expect(await client.closed).toMatchObject({ code: 1000, reason: "session deleted" });
		const again = await request(`${server.url}/api/sessions/${session.sessionId}`, { headers: bearer(session.token) });
		expect(again.status).toBe(404);
	}, 60_000);
});

describe("a crash between an archive write and the delete", () => {
	let crashing: DevServer;
	let restarted: DevServer | undefined;
	afterAll(async () => {
		await restarted?.stop();
		await crashing?.stop();
	});

	it("loses nothing and duplicates nothing", async () => {
		const config = writeRaisedLimitsConfig();
		crashing = await startDevServer({ config, vars: { LOCAL_AI_PROFILE: "instant", HISTORY_ARCHIVE_PAUSE_MS: "120000" } });
		const session = await createSession(crashing.url);
		await ask(crashing.url, session, 100);
		const paused = await until(
			async () => crashing.output().includes("history_segment_written_pausing"),
			(seen) => seen,
			60_000,
		);
		expect(paused).toBe(true);
		await crashing.kill();

		restarted = await startDevServer({ config, persistTo: crashing.persistTo, port: crashing.port, vars: { LOCAL_AI_PROFILE: "instant" } });
		// The segment is in R2 but its messages are still hot: nothing is archived yet.
		expect((await storage(restarted.url, session)).archivedMessages).toBe(0);
		await postMessage(restarted.url, session, { id: "after-crash", text: "Are you still there?" });
		const messages = await settledTranscript(restarted.url, session, 150_000);
		expect(auditTranscript(messages).problems).toEqual([]);
		const archived = await until(
			() => storage(restarted?.url ?? "", session),
			(s) => s.archivedMessages > 0,
			30_000,
		);
		expect(archived.archivedMessages + archived.hotMessages).toBe(messages.length);
		const replayed = await socketReplay(restarted.url, session, messages.length);
		expect(replayed.map((m) => m.id)).toEqual(messages.map((m) => m.id));
	}, 240_000);
});
