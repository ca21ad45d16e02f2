/**
 * One chat turn end to end (CONTRACT §3, §4): a message POSTed over HTTP is
 * streamed back over the socket as deltas, committed as a cited assistant
 * message, listed by GET /messages, shared by every tab, and answerable from
 * a `send` frame too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	ADMIN_TOKEN,
	bearer,
	clientId,
	createSession,
	getMessages,
	postMessage,
	REFUND_QUESTION,
	REPLY_TIMEOUT_MS,
	repliesTo,
	request,
	type Session,
	sleep,
	waitForTranscript,
} from "./support/api";
import {
	applyDeltas,
	type DeltaFrame,
	isReplyTo,
	isTurnEnd,
	isType,
	type MessageFrame,
	openChat,
	type SocketClient,
	type StatusFrame,
} from "./support/ws-client";

let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer();
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

describe("a turn asked over HTTP and watched over the socket", () => {
	let session: Session;
	let userId: string;
	let client: SocketClient;
	let reply: MessageFrame;
	let end: StatusFrame;

	beforeAll(async () => {
		session = await createSession(server.url);
		client = await open(session);
		userId = clientId("turn");
		await postMessage(server.url, session, { id: userId, text: REFUND_QUESTION });
		reply = await client.waitFor(isReplyTo(userId), REPLY_TIMEOUT_MS);
		end = await client.waitFor(isTurnEnd(userId), REPLY_TIMEOUT_MS);
	});

	it("streams deltas that, applied by offset, spell exactly the final assistant message", () => {
		const deltas = client.frames.filter((f): f is DeltaFrame => f.type === "delta" && f.turn === end.turn);
		expect(deltas.length).toBeGreaterThan(1);
		expect(deltas[0]?.offset).toBe(0);
		for (const delta of deltas) expect(reply.text.slice(delta.offset, delta.offset + delta.text.length)).toBe(delta.text);
		expect(applyDeltas(deltas)).toBe(reply.text);
		// Every delta precedes the authoritative final message.
		const lastDelta = client.frames.lastIndexOf(deltas.at(-1) ?? reply);
		expect(lastDelta).toBeLessThan(client.frames.indexOf(reply));
	});

	it("ends the turn with status done after the final message", () => {
		expect(end.state).toBe("done");
		expect(end.replyTo).toEqual([userId]);
		expect(client.frames.indexOf(end)).toBeGreaterThan(client.frames.indexOf(reply));
	});

	it("reports the turn's progress under one id: queued, thinking, streaming, then done", () => {
		const states = client.frames
			.filter((f): f is StatusFrame => f.type === "status" && f.replyTo.includes(userId))
			.map((f) => `${f.state}:${f.turn === end.turn ? "turn" : f.turn}`);
		expect(states).toEqual(["queued:turn", "thinking:turn", "streaming:turn", "done:turn"]);
	});

	it("cites the knowledge-base articles the grounded answer used", async () => {
		expect(reply.role).toBe("assistant");
		expect(reply.status).toBe("complete");
		expect(reply.text).toMatch(/\[\d+\]/);
		const citations = reply.citations ?? [];
		expect(citations.length).toBeGreaterThan(0);
		for (const citation of citations) {
			expect(citation).toEqual({ id: expect.any(String), title: expect.any(String), url: expect.stringMatching(/^https?:\/\//) });
			// The cited article exists in the knowledge base under that id and title.
			const article = await request(`${server.url}/api/admin/kb/articles/${citation.id}`, { headers: bearer(ADMIN_TOKEN) });
			expect(article.status).toBe(200);
			expect(JSON.parse(article.body)).toMatchObject({ id: citation.id, title: citation.title });
		}
	});

	it("lists the user message as seq 1 and the reply as seq 2 answering it", async () => {
		const page = await getMessages(server.url, session);
		expect(page.lastSeq).toBe(2);
		expect(page.hasMore).toBe(false);
		expect(page.messages.map((m) => [m.seq, m.role, m.id])).toEqual([
			[1, "user", userId],
			[2, "assistant", reply.id],
		]);
		expect(page.messages[0]?.text).toBe(REFUND_QUESTION);
		expect(page.messages[0]?.replyTo).toBeUndefined();
		expect(page.messages[1]?.replyTo).toEqual([userId]);
		// The transcript and the socket agree on the committed reply.
		const { type: _type, ...fromSocket } = reply;
		expect(page.messages[1]).toEqual(fromSocket);
	});
});

it("keeps delta offsets in step with the final text when the reply holds emoji", async () => {
	// An article only this question retrieves, with characters outside the BMP (two UTF-16 units each).
	const article = await request(`${server.url}/api/admin/kb/articles/zorblax-launches`, {
		method: "PUT",
		headers: { "Content-Type": "application/json", ...bearer(ADMIN_TOKEN) },
		body: JSON.stringify({
			title: "Zorblax rocket launches",
			url: "https://help.brightdesk.example/articles/zorblax-launches",
			body: [
				"The Zorblax rocket 🚀 launches every Tuesday 🚀 from launch pad seven 🛰️ at noon.",
				"Zorblax rocket launch tickets 🎟️ are free 🎉 for every Zorblax member.",
				"Each Zorblax rocket launch 🚀 is streamed live 📺 on the Zorblax channel.",
			].join(" "),
		}),
	});
	expect([200, 201]).toContain(article.status);

	const session = await createSession(server.url);
	const client = await open(session);
	const id = clientId("emoji");
	await postMessage(server.url, session, { id, text: "When does the Zorblax rocket launch?" });
	const reply = await client.waitFor(isReplyTo(id), REPLY_TIMEOUT_MS);
	const end = await client.waitFor(isTurnEnd(id), REPLY_TIMEOUT_MS);
	expect(reply.text).toContain("🚀");

	const deltas = client.frames.filter((f): f is DeltaFrame => f.type === "delta" && f.turn === end.turn);
	expect(deltas.length).toBeGreaterThan(1);
	expect(deltas.map((d) => reply.text.slice(d.offset, d.offset + d.text.length))).toEqual(deltas.map((d) => d.text));
	expect(applyDeltas(deltas)).toBe(reply.text);
});

it("delivers the user message and the same final reply to both of two tabs", async () => {
	const session = await createSession(server.url);
	const [tabA, tabB] = await Promise.all([open(session), open(session)]);
	const id = clientId("tabs");
	const accepted = await postMessage(server.url, session, { id, text: "How do I invite teammates to my workspace?" });

	for (const tab of [tabA, tabB]) {
		const echoed = await tab.waitFor((f): f is MessageFrame => f.type === "message" && f.id === id, REPLY_TIMEOUT_MS);
		expect(echoed).toMatchObject({ role: "user", seq: accepted.seq, text: "How do I invite teammates to my workspace?" });
	}
	const [replyA, replyB] = await Promise.all([
		tabA.waitFor(isReplyTo(id), REPLY_TIMEOUT_MS),
		tabB.waitFor(isReplyTo(id), REPLY_TIMEOUT_MS),
	]);
	expect(replyB).toEqual(replyA);
	expect(replyA.seq).toBe(accepted.seq + 1);
});

it("answers a send frame: the sender gets its own message with the assigned seq, then exactly one reply", async () => {
	const session = await createSession(server.url);
	const client = await open(session);
	const id = clientId("send");
	client.send({ type: "send", id, text: REFUND_QUESTION });

	const own = await client.waitFor((f): f is MessageFrame => f.type === "message" && f.id === id, REPLY_TIMEOUT_MS);
	expect(own).toMatchObject({ role: "user", seq: 1, text: REFUND_QUESTION, status: "complete" });
	const reply = await client.waitFor(isReplyTo(id), REPLY_TIMEOUT_MS);
	expect(reply).toMatchObject({ role: "assistant", seq: 2, replyTo: [id] });

	// Give a stray second answer time to show up before counting.
	await sleep(1500);
	const page = await waitForTranscript(server.url, session, (p) => repliesTo(p.messages, id).length > 0);
	expect(page.messages.filter((m) => m.id === id)).toHaveLength(1);
	expect(repliesTo(page.messages, id)).toHaveLength(1);
	expect(client.frames.filter(isReplyTo(id))).toHaveLength(1);
	expect(client.frames.filter(isType("error"))).toEqual([]);
});
