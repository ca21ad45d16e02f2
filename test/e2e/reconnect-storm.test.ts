/**
 * A reconnect storm: 500 sockets across 50 sessions are dropped at once (no
 * close handshake, as when a network blips) while new messages are being
 * answered, then all reopened at once with `after` = the last seq each had
 * seen. Every socket must get exactly what it missed, in order, with no gaps
 * and no duplicates, and every message is answered once.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { clientId, createSession, postMessage, type Session } from "./support/api";
import { auditSessions, settledTranscript } from "./support/audit";
import { isReplyTo, isType, openChat, type SocketClient } from "./support/ws-client";

const SESSIONS = 50;
const SOCKETS_PER_SESSION = 10;

let server: DevServer;
const sessions: Session[] = [];
const open: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer();
	for (let i = 0; i < SESSIONS; i++) sessions.push(await createSession(server.url));
}, 120_000);
afterAll(async () => {
	await Promise.all(open.map((s) => s.close()));
	await server?.stop();
});

/** The seqs of the `message` frames a socket received, in order. */
function seqsOf(socket: SocketClient): number[] {
	return socket.frames.filter(isType("message")).map((m) => m.seq);
}

it("gives every one of 500 reopened sockets exactly what it missed", async () => {
	// A first answered turn per session, and ten sockets each.
	const first = await Promise.all(
		sessions.map(async (session) => {
			const watcher = await openChat(server.url, session);
			const id = clientId("first");
			await postMessage(server.url, session, { id, text: "How do I reset my password?" });
			await watcher.waitFor(isReplyTo(id), 30_000);
			const sockets = [watcher];
			for (let i = 1; i < SOCKETS_PER_SESSION; i++) sockets.push(await openChat(server.url, session));
			return sockets;
		}),
	);
	const everySocket = first.flat();
	expect(everySocket).toHaveLength(SESSIONS * SOCKETS_PER_SESSION);
	for (const socket of everySocket) await socket.waitFor((f) => f.type === "message" && f.seq === 2, 10_000);

	// New questions go out, and while they are being answered every socket drops at once.
	const second = await Promise.all(
		sessions.map((session) => postMessage(server.url, session, { id: clientId("second"), text: "How do I export my data?" })),
	);
	const seen = everySocket.map((socket) => Math.max(0, ...seqsOf(socket)));
	for (const socket of everySocket) socket.drop();

	const reopened = await Promise.all(
		everySocket.map((_, i) => openChat(server.url, sessions[Math.floor(i / SOCKETS_PER_SESSION)] as Session, seen[i])),
	);
	open.push(...reopened);
	const transcripts = await Promise.all(sessions.map((session) => settledTranscript(server.url, session, 60_000)));
	const lastSeqs = transcripts.map((t) => t.at(-1)?.seq ?? 0);

	await Promise.all(
		reopened.map((socket, i) => {
			const last = lastSeqs[Math.floor(i / SOCKETS_PER_SESSION)] ?? 0;
			return socket.waitFor((f) => f.type === "message" && f.seq === last, 30_000);
		}),
	);
	reopened.forEach((socket, i) => {
		const after = seen[i] ?? 0;
		const last = lastSeqs[Math.floor(i / SOCKETS_PER_SESSION)] ?? 0;
		expect(seqsOf(socket)).toEqual(Array.from({ length: last - after }, (_, k) => after + k + 1));
	});
	expect(second.every((accepted) => accepted.seq === 3)).toBe(true);
	const audit = await auditSessions(server.url, sessions);
	expect(audit).toMatchObject({ userMessages: SESSIONS * 2, failed: 0, problems: [] });
}, 180_000);
