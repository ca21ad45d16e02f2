/**
 * Durability across a restart (CONTRACT §3: "once accepted, it is never
 * lost"): a conversation survives stopping `wrangler dev` and starting it
 * again on the same state folder, and carries on from the same seq.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	type ApiMessage,
	clientId,
	createSession,
	getMessages,
	getSession,
	postMessage,
	REFUND_QUESTION,
	REPLY_TIMEOUT_MS,
	repliesTo,
	type Session,
	waitForTranscript,
} from "./support/api";
import { isReplyTo, isType, openChat, pingPong, type SocketClient } from "./support/ws-client";

let server: DevServer;
let session: Session;
let before: { lastSeq: number; messages: ApiMessage[] };
const sockets: SocketClient[] = [];

beforeAll(async () => {
	const first = await startDevServer();
	try {
		session = await createSession(first.url);
		const id = clientId("before");
		await postMessage(first.url, session, { id, text: REFUND_QUESTION });
		const page = await waitForTranscript(first.url, session, (p) => repliesTo(p.messages, id).length > 0);
		before = { lastSeq: (await getSession(first.url, session)).lastSeq, messages: page.messages };
	} finally {
		await first.stop();
	}
	server = await startDevServer({ persistTo: first.persistTo });
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

it("ran a whole turn before the restart", () => {
	expect(before.lastSeq).toBe(2);
	expect(before.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
});

it("reports the same lastSeq for the session after the restart", async () => {
	expect((await getSession(server.url, session)).lastSeq).toBe(before.lastSeq);
});

it("returns the same transcript after the restart", async () => {
	expect((await getMessages(server.url, session)).messages).toEqual(before.messages);
});

it("replays exactly seq 2 onwards to a socket opened with ?after=1", async () => {
	const client = await openChat(server.url, session, 1);
	sockets.push(client);
	await pingPong(client);
	const replayed = client.frames.filter(isType("message")).map(({ type: _type, ...message }) => message);
	expect(replayed).toEqual(before.messages.filter((m) => m.seq > 1));
});

it("gives a new message the next seq and answers it", async () => {
	const client = await openChat(server.url, session, before.lastSeq);
	sockets.push(client);
	const id = clientId("after");
	const accepted = await postMessage(server.url, session, { id, text: "How do I change my plan?" });
	expect(accepted).toMatchObject({ messageId: id, seq: before.lastSeq + 1, duplicate: false });
	const reply = await client.waitFor(isReplyTo(id), REPLY_TIMEOUT_MS);
	expect(reply).toMatchObject({ role: "assistant", seq: before.lastSeq + 2, replyTo: [id] });
});
