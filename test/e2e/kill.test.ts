/**
 * A crash in the middle of a turn: `wrangler dev` (wrangler and workerd, the
 * whole process group) is SIGKILLed while a reply streams, then started again
 * on the same state. The local queue lost the job with the process; the
 * hub's watchdog finds the turn whose lease expired and drives it again. The
 * turn is answered exactly once, and a socket that reconnects with `after`
 * gets the answer.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { clientId, createSession, postMessage, REFUND_QUESTION, type Session } from "./support/api";
import { auditTranscript, settledTranscript } from "./support/audit";
import { isReplyTo, isType, openChat, type SocketClient } from "./support/ws-client";

let server: DevServer;
let session: Session;
let id: string;
let partial: string;
let killedAt: number;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	// Paced like a slow model, so the kill lands mid-stream.
	const vars = { LOCAL_AI_CHUNK_DELAY_MS: "150" };
	const first = await startDevServer({ vars });
	session = await createSession(first.url);
	const before = await openChat(first.url, session);
	sockets.push(before);
	id = clientId("killed");
	await postMessage(first.url, session, { id, text: REFUND_QUESTION });
	const delta = await before.waitFor(isType("delta"), 20_000);
	partial = delta.text;
	killedAt = Date.now();
	await first.kill();
	server = await startDevServer({ vars, persistTo: first.persistTo, port: first.port });
}, 120_000);
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

it("answers the killed turn exactly once after the restart, to a socket that resumes with after", async () => {
	expect(partial.length).toBeGreaterThan(0);
	const resumed = await openChat(server.url, session, 1);
	sockets.push(resumed);
	const reply = await resumed.waitFor(isReplyTo(id), 90_000);
	const recoveredMs = Date.now() - killedAt;
	expect(reply).toMatchObject({ role: "assistant", seq: 2, status: "complete", replyTo: [id] });
	const messages = await settledTranscript(server.url, session, 5_000);
	expect(auditTranscript(messages)).toMatchObject({ userMessages: 1, answered: 1, failed: 0, problems: [] });
	expect(messages).toHaveLength(2);
	console.log(`FAULT-FIGURES kill ${JSON.stringify({ recoveredMs })}`);
}, 120_000);
