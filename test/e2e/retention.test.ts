/**
 * Retention (SESSION_RETENTION_DAYS) against a real `wrangler dev`: a
 * session idle for the retention period is erased by its own Durable Object
 * alarm, as its owner's DELETE would erase it, while a session that keeps
 * talking outlives that deadline because its activity moves its own. The
 * period is shrunk to 0.0001 days (8.64 s); reading a session is not
 * activity, so the polling here cannot keep one alive.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	ADMIN_TOKEN,
	bearer,
	clientId,
	createSession,
	postMessage,
	REFUND_QUESTION,
	repliesTo,
	request,
	type Session,
	sleep,
	waitForTranscript,
} from "./support/api";
import { openChat, type SocketClient } from "./support/ws-client";

const RETENTION_DAYS = "0.0001";
const RETENTION_MS = Number(RETENTION_DAYS) * 24 * 60 * 60 * 1000;
/** The hub's alarm fires up to about a second late in wrangler dev; the rest is a loaded machine's slack. */
const LATE_SLACK_MS = 5000;
/** The active session asks this often, and this many times. */
const ACTIVE_EVERY_MS = 2500;
const ACTIVE_TURNS = 5;

let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer({ vars: { SESSION_RETENTION_DAYS: RETENTION_DAYS } });
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

async function status(session: Session): Promise<number> {
	return (await request(`${server.url}/api/sessions/${session.sessionId}`, { headers: bearer(session.token) })).status;
}

/** Asks one question and waits for its reply; returns when the question was sent. */
async function askAndWait(session: Session, text: string): Promise<number> {
	const id = clientId("ret");
	const sentAt = Date.now();
	await postMessage(server.url, session, { id, text });
	await waitForTranscript(server.url, session, (p) => repliesTo(p.messages, id).length > 0);
	return sentAt;
}

/** Polls until the session reads 404; returns when that was first seen. */
async function erasedAt(session: Session, deadline: number): Promise<number> {
	for (;;) {
		const code = await status(session);
		if (code === 404) return Date.now();
		expect(code).toBe(200);
		if (Date.now() > deadline)
			throw new Error(`session ${session.sessionId} was still there at the deadline\n${server.output().slice(-3000)}`);
		await sleep(250);
	}
}

async function expectErasedEverywhere(session: Session): Promise<void> {
	const base = `${server.url}/api/sessions/${session.sessionId}`;
	expect((await request(`${base}/messages`, { headers: bearer(session.token) })).status).toBe(404);
	const storage = await request(`${server.url}/api/admin/sessions/${session.sessionId}/storage`, { headers: bearer(ADMIN_TOKEN) });
	expect(storage.status).toBe(404);
}

it("an idle session is erased by its own alarm after SESSION_RETENTION_DAYS", async () => {
	const idle = await createSession(server.url);
	const active = await createSession(server.url);
	const idleSocket = await openChat(server.url, idle);
	sockets.push(idleSocket);

	// The idle session's last activity is its reply, which comes after its question was sent.
	const idleAskedAt = await askAndWait(idle, REFUND_QUESTION);
	const idleRepliedAt = Date.now();
	let activeLastAskedAt = 0;
	let activeLastRepliedAt = 0;
	const talking = (async () => {
		for (let turn = 0; turn < ACTIVE_TURNS; turn++) {
			if (turn > 0) await sleep(ACTIVE_EVERY_MS);
			activeLastAskedAt = await askAndWait(active, `How do I enable two-factor authentication? (${turn + 1})`);
			activeLastRepliedAt = Date.now();
		}
	})();

	const idleGoneAt = await erasedAt(idle, idleRepliedAt + RETENTION_MS + LATE_SLACK_MS);
	// Never before its retention ran out, and not much after.
	expect(idleGoneAt).toBeGreaterThanOrEqual(idleAskedAt + RETENTION_MS);
	expect(idleGoneAt).toBeLessThanOrEqual(idleRepliedAt + RETENTION_MS + LATE_SLACK_MS);
	// Its socket got the close frame (code and reason arrive with the close event, read last: wrangler dev ends the TCP connection seconds later).
	expect(idleSocket.isOpen()).toBe(false);
	await expectErasedEverywhere(idle);

	// The active session was created with the idle one; its activity has moved its deadline past this point.
	await talking;
	expect(Date.now()).toBeGreaterThan(idleGoneAt);
	expect(await status(active)).toBe(200);
	const activeGoneAt = await erasedAt(active, activeLastRepliedAt + RETENTION_MS + LATE_SLACK_MS);
	expect(activeGoneAt).toBeGreaterThanOrEqual(activeLastAskedAt + RETENTION_MS);
	await expectErasedEverywhere(active);
	expect(await idleSocket.closed).toEqual({ code: 1000, reason: "session deleted" });
	console.log(
		`RETENTION-FIGURES ${JSON.stringify({
			retentionMs: RETENTION_MS,
			idleErasedMsAfterReply: idleGoneAt - idleRepliedAt,
			activeErasedMsAfterLastReply: activeGoneAt - activeLastRepliedAt,
			activeOutlivedIdleByMs: activeGoneAt - idleGoneAt,
		})}`,
	);
}, 60_000);
