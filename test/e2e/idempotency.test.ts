/**
 * Idempotent sends (CONTRACT §3, §4): retries and double clicks with the same
 * message id, over HTTP or a `send` frame, never make a second copy of the
 * message nor a second reply.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	type Accepted,
	acceptedSchema,
	clientId,
	createSession,
	getMessages,
	type MessagePage,
	parseJson,
	postMessage,
	postMessageRaw,
	REFUND_QUESTION,
	REPLY_TIMEOUT_MS,
	repliesTo,
	type Session,
	sleep,
	waitForTranscript,
} from "./support/api";
import { isReplyTo, isTurnEnd, type MessageFrame, openChat, pingPong, type SocketClient } from "./support/ws-client";

/** After a reply lands, how long a stray second reply gets to show up before the transcript is counted. */
const SETTLE_MS = 1500;

let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

describe("the same message id POSTed three times at once", () => {
	const id = clientId("triple");
	let session: Session;
	let statuses: number[];
	let accepted: Accepted[];
	let page: MessagePage;

	beforeAll(async () => {
		session = await createSession(server.url);
		const results = await Promise.all([1, 2, 3].map(() => postMessageRaw(server.url, session, { id, text: REFUND_QUESTION })));
		statuses = results.map((r) => r.status);
		accepted = results.filter((r) => r.status === 202).map((r) => parseJson(acceptedSchema, r));
		await waitForTranscript(server.url, session, (p) => repliesTo(p.messages, id).length > 0);
		await sleep(SETTLE_MS);
		page = await getMessages(server.url, session);
	});

	it("answers all three with 202", () => {
		expect(statuses).toEqual([202, 202, 202]);
	});

	it("returns the same messageId and seq to all three, and duplicate:false to exactly one", () => {
		expect(accepted.map((a) => [a.messageId, a.seq, a.status])).toEqual([
			[id, 1, "queued"],
			[id, 1, "queued"],
			[id, 1, "queued"],
		]);
		expect(accepted.filter((a) => !a.duplicate)).toHaveLength(1);
	});

	it("stores exactly one copy of the user message", () => {
		expect(page.messages.filter((m) => m.role === "user")).toEqual([expect.objectContaining({ id, seq: 1, text: REFUND_QUESTION })]);
	});

	it("answers it with exactly one assistant reply", () => {
		expect(repliesTo(page.messages, id)).toEqual([expect.objectContaining({ role: "assistant", seq: 2, replyTo: [id] })]);
		expect(page.lastSeq).toBe(2);
	});
});

describe("a resend over the socket with an already used id", () => {
	let session: Session;
	let client: SocketClient;
	let watcher: SocketClient;
	const id = clientId("resend");

	beforeAll(async () => {
		session = await createSession(server.url);
		client = await openChat(server.url, session);
		watcher = await openChat(server.url, session);
		sockets.push(client, watcher);
		await postMessage(server.url, session, { id, text: REFUND_QUESTION });
		await client.waitFor(isTurnEnd(id), REPLY_TIMEOUT_MS);
		await watcher.waitFor(isTurnEnd(id), REPLY_TIMEOUT_MS);
	});

	it("gets the sender the stored message back, with its original seq and text", async () => {
		const since = client.frames.length;
		client.send({ type: "send", id, text: "a different text on the retry" });
		const echoed = await client.waitFor((f): f is MessageFrame => f.type === "message" && f.id === id, 5000, since);
		expect(echoed).toMatchObject({ seq: 1, role: "user", text: REFUND_QUESTION });
	});

	it("creates no new message, no new reply and no frame for the other tabs", async () => {
		const watcherSince = watcher.frames.length;
		const since = client.frames.length;
		client.send({ type: "send", id, text: REFUND_QUESTION });
		await client.waitFor((f) => f.type === "message" && f.id === id, 5000, since);
		await sleep(SETTLE_MS);
		await pingPong(watcher);

		const page = await getMessages(server.url, session);
		expect(page.lastSeq).toBe(2);
		expect(page.messages.filter((m) => m.id === id)).toHaveLength(1);
		expect(repliesTo(page.messages, id)).toHaveLength(1);
		expect(watcher.frames.slice(watcherSince).filter((f) => f.type !== "pong")).toEqual([]);
		expect(client.frames.slice(since).filter(isReplyTo(id))).toEqual([]);
	});

	it("is still reported as a duplicate when the same id is POSTed afterwards", async () => {
		expect(await postMessage(server.url, session, { id, text: REFUND_QUESTION })).toEqual({
			messageId: id,
			seq: 1,
			status: "queued",
			duplicate: true,
		});
	});
});
