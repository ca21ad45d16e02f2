/**
 * Resuming a conversation over the socket (CONTRACT §4): `?after=N` replays
 * exactly the committed messages after N, and a tab that joins while a reply
 * streams gets all the text so far at once, then the rest live. The local
 * provider is slowed (40 ms a chunk) so that a reply is still streaming when
 * the second tab connects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	type ApiMessage,
	clientId,
	createSession,
	getMessages,
	postMessage,
	REFUND_QUESTION,
	REPLY_TIMEOUT_MS,
	type Session,
} from "./support/api";
import {
	applyDeltas,
	type DeltaFrame,
	isReplyTo,
	isTurnEnd,
	isType,
	type MessageFrame,
	openChat,
	pingPong,
	type SocketClient,
} from "./support/ws-client";

let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer({ vars: { LOCAL_AI_CHUNK_DELAY_MS: "40" } });
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

async function open(session: Session, after?: number): Promise<SocketClient> {
	const client = await openChat(server.url, session, after);
	sockets.push(client);
	return client;
}

/** Everything a fresh socket replays: the frames between `ready` and the pong of a ping sent after it. */
async function replayOf(session: Session, after: number): Promise<{ lastSeq: number; messages: ApiMessage[] }> {
	const client = await open(session, after);
	await pingPong(client);
	const ready = client.frames[0];
	if (ready?.type !== "ready") throw new Error(`first frame is not ready: ${JSON.stringify(client.frames[0])}`);
	const pong = client.frames.findIndex((f) => f.type === "pong");
	const between = client.frames.slice(1, pong);
	const messages = between.map((frame) => {
		if (frame.type !== "message") throw new Error(`replay holds a ${frame.type} frame: ${JSON.stringify(frame)}`);
		const { type: _type, ...message } = frame;
		return message;
	});
	await client.close();
	return { lastSeq: ready.lastSeq, messages };
}

describe("reconnecting with ?after=N", () => {
	let session: Session;
	let transcript: ApiMessage[];

	beforeAll(async () => {
		session = await createSession(server.url);
		const client = await open(session);
		for (const text of [REFUND_QUESTION, "Can I pay by invoice?"]) {
			const id = clientId("resume");
			await postMessage(server.url, session, { id, text });
			await client.waitFor(isTurnEnd(id), REPLY_TIMEOUT_MS);
		}
		transcript = (await getMessages(server.url, session)).messages;
	});

	it("has a four-message transcript to replay", () => {
		expect(transcript.map((m) => [m.seq, m.role])).toEqual([
			[1, "user"],
			[2, "assistant"],
			[3, "user"],
			[4, "assistant"],
		]);
	});

	it.each([0, 1, 2, 3, 4, 9])("after=%i replays exactly the messages with seq > N, in order, without gaps or duplicates", async (after) => {
		const replay = await replayOf(session, after);
		expect(replay.lastSeq).toBe(4);
		expect(replay.messages).toEqual(transcript.filter((m) => m.seq > after));
	});

	it("gives a client that reconnects with the last seq it saw exactly what it missed", async () => {
		const first = await open(session);
		await pingPong(first);
		const seen = Math.max(...first.frames.filter(isType("message")).map((m) => m.seq));
		await first.close();

		const id = clientId("missed");
		await postMessage(server.url, session, { id, text: "How do I export my data?" });
		const watcher = await open(session, seen);
		await watcher.waitFor(isTurnEnd(id), REPLY_TIMEOUT_MS);
		await watcher.close();

		const replay = await replayOf(session, seen);
		const now = (await getMessages(server.url, session, { after: seen })).messages;
		expect(now.map((m) => m.seq)).toEqual([seen + 1, seen + 2]);
		expect(replay.messages).toEqual(now);
	});
});

describe("joining while a reply streams", () => {
	let tabA: SocketClient;
	let tabB: SocketClient;
	let firstDeltaOnA: DeltaFrame;
	let reply: MessageFrame;
	let userId: string;

	beforeAll(async () => {
		const session = await createSession(server.url);
		tabA = await open(session);
		userId = clientId("join");
		// A question not asked before on this server, so it streams from the model rather than the answer cache.
		await postMessage(server.url, session, { id: userId, text: "What is the refund policy for annual plans bought last month?" });
		firstDeltaOnA = await tabA.waitFor(isType("delta"), REPLY_TIMEOUT_MS);
		tabB = await open(session);
		reply = await tabB.waitFor(isReplyTo(userId), REPLY_TIMEOUT_MS);
		await tabB.waitFor(isTurnEnd(userId), REPLY_TIMEOUT_MS);
	});

	it("sends the late tab ready, the replay, one delta at offset 0 with all text so far, then the turn's status", () => {
		const [ready, replayed, catchUp, status] = tabB.frames;
		expect(ready).toMatchObject({ type: "ready", lastSeq: 1 });
		expect(replayed).toMatchObject({ type: "message", seq: 1, id: userId });
		expect(catchUp).toMatchObject({ type: "delta", turn: firstDeltaOnA.turn, offset: 0 });
		expect(status).toEqual({ type: "status", turn: firstDeltaOnA.turn, state: "streaming", replyTo: [userId] });
		if (catchUp?.type !== "delta") throw new Error("no catch-up delta");
		// It holds at least what tab A had already seen, and the reply was not over yet.
		expect(catchUp.text.startsWith(firstDeltaOnA.text)).toBe(true);
		expect(reply.text.startsWith(catchUp.text)).toBe(true);
		expect(catchUp.text.length).toBeLessThan(reply.text.length);
	});

	it("then streams the remaining deltas live, which applied by offset yield exactly the final text", () => {
		const deltas = tabB.frames.filter((f): f is DeltaFrame => f.type === "delta" && f.turn === firstDeltaOnA.turn);
		expect(deltas.length).toBeGreaterThan(1);
		for (const delta of deltas) expect(reply.text.slice(delta.offset, delta.offset + delta.text.length)).toBe(delta.text);
		// The first live delta continues exactly where the catch-up text ended.
		expect(deltas[1]?.offset).toBe(deltas[0]?.text.length);
		expect(applyDeltas(deltas)).toBe(reply.text);
	});

	it("gives both tabs the same final reply", async () => {
		expect(await tabA.waitFor(isReplyTo(userId), REPLY_TIMEOUT_MS)).toEqual(reply);
	});
});
