/**
 * Erasing a session (CONTRACT §2 `DELETE /api/sessions/:id`, §6
 * `DELETE /api/admin/sessions/:id`) against a real `wrangler dev` whose
 * model is a paced OpenAI-compatible server the test watches: a DELETE
 * stops a streaming turn at once (its provider call is hung up on, none
 * starts after, nothing it computed is cached), a message racing a DELETE
 * is refused or erased with it, and an admin erases a session its owner's
 * expired token no longer reaches.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	ADMIN_TOKEN,
	bearer,
	clientId,
	createSession,
	type HttpResult,
	mintToken,
	postMessage,
	postMessageRaw,
	REFUND_QUESTION,
	REPLY_TIMEOUT_MS,
	repliesTo,
	request,
	type Session,
	sleep,
	waitForTranscript,
} from "./support/api";
import { type PacedOpenAi, type ProviderCall, providerVars, startPacedOpenAi } from "./support/paced-openai";
import { chatProtocols, isType, openChat, refusedHandshake, type SocketClient, socketUrl } from "./support/ws-client";

/** A reply that streams for ten seconds: long enough that a DELETE always lands mid-stream. */
const SLOW = { chunkMs: 200, chunks: 50 };
const FAST = { chunkMs: 5, chunks: 20 };
/** How long after the 204 a stopped provider call may take to be hung up on. */
const HANG_UP_SLACK_MS = 2000;
/** How long after the 204 the server's close frame may take to reach a client. */
const CLOSE_FRAME_SLACK_MS = 2000;

let provider: PacedOpenAi;
let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	provider = await startPacedOpenAi(SLOW);
	server = await startDevServer({ vars: providerVars(provider.url) });
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
	await provider?.stop();
});

/** Prints a figure for the closing note, in one greppable line. */
function report(name: string, figures: Record<string, unknown>): void {
	console.log(`ERASURE-FIGURES ${name} ${JSON.stringify(figures)}`);
}

function erase(session: Session): Promise<HttpResult> {
	return request(`${server.url}/api/sessions/${session.sessionId}`, { method: "DELETE", headers: bearer(session.token) });
}

function adminErase(sessionId: string, token: string = ADMIN_TOKEN): Promise<HttpResult> {
	return request(`${server.url}/api/admin/sessions/${sessionId}`, { method: "DELETE", headers: bearer(token) });
}

/** GET session, GET messages, the admin's storage view and the socket handshake: every door to an erased session is 404. */
async function expectGone(session: Session): Promise<void> {
	const base = `${server.url}/api/sessions/${session.sessionId}`;
	expect((await request(base, { headers: bearer(session.token) })).status).toBe(404);
	expect((await request(`${base}/messages`, { headers: bearer(session.token) })).status).toBe(404);
	const storage = await request(`${server.url}/api/admin/sessions/${session.sessionId}/storage`, { headers: bearer(ADMIN_TOKEN) });
	expect(storage.status).toBe(404);
	expect((await refusedHandshake(socketUrl(server.url, session.sessionId), chatProtocols(session.token))).status).toBe(404);
}

/**
 * Waits until the server's close frame has reached `chat` (the socket leaves
 * OPEN; the test never closes it itself). Its code and reason come with the
 * socket's `close` event, which fires only once the server also ends the TCP
 * connection: under `wrangler dev` that comes about 10 s after an erase
 * (a close sent from a socket handler ends it at once), so the tests read
 * them last, and the first test reports both delays.
 */
async function closingFrameWithin(chat: SocketClient, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (chat.isOpen()) {
		if (Date.now() > deadline)
			throw new Error(`the socket was still open ${timeoutMs} ms after the erase; frames: ${JSON.stringify(chat.frames)}`);
		await sleep(20);
	}
}

function callsAsking(word: string): ProviderCall[] {
	return provider.calls.filter((call) => call.prompt.toLowerCase().includes(word));
}

/** Asks `question` in a new session and waits for the complete reply; returns how many model calls that took. */
async function askInNewSession(question: string): Promise<{ session: Session; modelCalls: number }> {
	const callsBefore = provider.calls.length;
	const session = await createSession(server.url);
	const id = clientId("ask");
	await postMessage(server.url, session, { id, text: question });
	const page = await waitForTranscript(server.url, session, (p) => repliesTo(p.messages, id).length > 0);
	expect(repliesTo(page.messages, id)).toMatchObject([{ role: "assistant", status: "complete" }]);
	return { session, modelCalls: provider.calls.length - callsBefore };
}

it("a DELETE mid-stream stops the model: no model call and no cache write after the 204", async () => {
	provider.pace = SLOW;
	const session = await createSession(server.url);
	const chat = await openChat(server.url, session);
	sockets.push(chat);
	const callsBefore = provider.calls.length;
	const askedAt = Date.now();
	await postMessage(server.url, session, { id: clientId("erased"), text: REFUND_QUESTION });
	const firstDelta = await chat.waitFor(isType("delta"), REPLY_TIMEOUT_MS);
	const firstDeltaMs = Date.now() - askedAt;
	expect(firstDelta.text.length).toBeGreaterThan(0);

	const deleteSentAt = Date.now();
	const deleted = await erase(session);
	const answeredAt = Date.now();
	expect(deleted.status).toBe(204);
	await closingFrameWithin(chat, CLOSE_FRAME_SLACK_MS);
	const closeFrameMs = Date.now() - answeredAt;
	let closeEventMs: number | undefined;
	void chat.closed.then(() => {
		closeEventMs = Date.now() - answeredAt;
	});
	await sleep(3000);

	const calls = provider.calls.slice(callsBefore);
	expect(calls).toHaveLength(1);
	const [streaming] = calls;
	if (!streaming) throw new Error("the provider was never called");
	// Hung up on mid-stream, within moments of the 204 (before it, when the erase awaits the abort).
	expect(streaming.abortedByClient).toBe(true);
	expect(streaming.chunksSent).toBeLessThan(SLOW.chunks);
	expect(streaming.endedAt).toBeDefined();
	expect(streaming.endedAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(answeredAt + HANG_UP_SLACK_MS);
	// No model call started once the DELETE was sent.
	expect(provider.calls.filter((call) => call.startedAt > deleteSentAt)).toEqual([]);
	await expectGone(session);

	// The same question in a new session reaches the model: the erased turn left no cached answer behind.
	provider.pace = FAST;
	expect((await askInNewSession(REFUND_QUESTION)).modelCalls).toBe(1);
	// Control: the answer that session completed IS shared, so a cached answer would have been seen above.
	expect((await askInNewSession(REFUND_QUESTION)).modelCalls).toBe(0);
	expect(await chat.closed).toEqual({ code: 1000, reason: "session deleted" });

	report("delete-mid-stream", {
		firstDeltaMs,
		msFromDeleteSentTo204: answeredAt - deleteSentAt,
		msFrom204ToProviderHangUp: (streaming.endedAt ?? 0) - answeredAt,
		chunksStreamedOfPlanned: `${streaming.chunksSent}/${SLOW.chunks}`,
		msFrom204ToCloseFrameSeen: closeFrameMs,
		msFrom204ToSocketCloseEvent: closeEventMs ?? Date.now() - answeredAt,
	});
}, 60_000);

it("a message sent concurrently with a DELETE is refused or erased, never kept", async () => {
	provider.pace = SLOW;
	const rounds: { marker: string; session: Session; deletedAt: number }[] = [];
	const outcomes: string[] = [];
	/** 202s whose answer arrived after the 204 (sent before it): allowed only because the session, and so the message, is gone. */
	let acceptedAfter204 = 0;
	for (let round = 0; round < 10; round++) {
		const session = await createSession(server.url);
		// A word of its own in every question, so the provider's calls for this session can be told apart.
		const marker = `racemark${round}x${crypto.randomUUID().slice(0, 6)}`;
		const post = async (delayMs: number) => {
			if (delayMs > 0) await sleep(delayMs);
			const sentAt = Date.now();
			const result = await postMessageRaw(server.url, session, { id: clientId(`race${round}`), text: `${REFUND_QUESTION} ${marker}` });
			return { sentAt, answeredAt: Date.now(), status: result.status };
		};
		// One POST just before the DELETE, one with it, one a few ms after it (0–9 ms, varying by round).
		const [before, together, after, deleted] = await Promise.all([
			post(0),
			post(0),
			post(round % 10),
			(async () => {
				if (round % 2 === 1) await sleep(1);
				const result = await erase(session);
				return { status: result.status, answeredAt: Date.now() };
			})(),
		]);
		expect(deleted.status).toBe(204);
		const late = await post(0);
		for (const attempt of [before, together, after]) expect([202, 404]).toContain(attempt.status);
		// Sent once the 204 was in: refused.
		expect(late.status).toBe(404);
		await expectGone(session);
		rounds.push({ marker, session, deletedAt: deleted.answeredAt });
		outcomes.push([before, together, after].map((a) => a.status).join("/"));
		acceptedAfter204 += [before, together, after].filter((a) => a.status === 202 && a.answeredAt > deleted.answeredAt).length;
	}
	// Whatever was accepted before an erase stays erased: no job resurrects a session, no model call starts for one.
	await sleep(2000);
	for (const { marker, session, deletedAt } of rounds) {
		expect((await request(`${server.url}/api/sessions/${session.sessionId}`, { headers: bearer(session.token) })).status).toBe(404);
		for (const call of callsAsking(marker)) {
			expect(call.startedAt).toBeLessThanOrEqual(deletedAt);
			expect(call.endedAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(deletedAt + HANG_UP_SLACK_MS);
		}
	}
	report("concurrent-post-delete", {
		rounds: rounds.length,
		postStatuses: outcomes,
		acceptedAnsweredAfter204: acceptedAfter204,
		providerCallsForRacedSessions: rounds.reduce((n, r) => n + callsAsking(r.marker).length, 0),
	});
}, 60_000);

it("an admin erases a session whose token has expired", async () => {
	provider.pace = FAST;
	const question = "How do I export my data?";
	const { session, modelCalls } = await askInNewSession(question);
	expect(modelCalls).toBe(1);
	// Its answer is shared now: another session gets it without a model call.
	expect((await askInNewSession(question)).modelCalls).toBe(0);
	const chat = await openChat(server.url, session);
	sockets.push(chat);

	// The owner's token has expired: their own DELETE is refused, which is why support erases it.
	const expired = await mintToken(session.sessionId, new Date(Date.now() - 60_000));
	const byOwner = await request(`${server.url}/api/sessions/${session.sessionId}`, { method: "DELETE", headers: bearer(expired) });
	expect(byOwner.status).toBe(401);
	// Without the admin token the admin route refuses, and the session is untouched.
	expect((await request(`${server.url}/api/admin/sessions/${session.sessionId}`, { method: "DELETE" })).status).toBe(401);
	expect((await adminErase(session.sessionId, session.token)).status).toBe(401);
	expect((await request(`${server.url}/api/sessions/${session.sessionId}`, { headers: bearer(session.token) })).status).toBe(200);

	expect((await adminErase(session.sessionId)).status).toBe(204);
	await closingFrameWithin(chat, CLOSE_FRAME_SLACK_MS);
	await expectGone(session);
	expect((await adminErase(session.sessionId)).status).toBe(404);
	expect((await adminErase(`never_${crypto.randomUUID().replaceAll("-", "")}`)).status).toBe(404);
	// The shared answer it left went with it: the same question reaches the model again.
	expect((await askInNewSession(question)).modelCalls).toBe(1);
	expect(await chat.closed).toEqual({ code: 1000, reason: "session deleted" });
});
