/**
 * Consent and exactly once (CONTRACT §8), through a crash: a refund is
 * proposed, approved on its confirmation card's route, and `wrangler dev`
 * (the product and the sample back office, both process groups) is
 * SIGKILLed after the back office made the refund and before the reply was
 * committed. After the restart on the same state the watchdog drives the
 * turn again: the back office lists exactly one refund, with that call's id
 * as its idempotency key, and the user gets exactly one reply. A declined
 * refund is never made.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { signUserToken } from "../../src/shared/identity/user-token";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	clientId,
	createSession,
	getMessages,
	JSON_HEADERS,
	postMessage,
	request,
	type Session,
	sleep,
	waitForTranscript,
} from "./support/api";
import { auditTranscript } from "./support/audit";
import { isReplyTo, isType, openChat, type SocketClient } from "./support/ws-client";

// Paced like a slow model, so the kill lands after the refund and before the reply is committed.
const vars = { LOCAL_AI_CHUNK_DELAY_MS: "150" };
let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer({ vars, backOffice: true });
}, 120_000);
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

async function signedIn(sub: string): Promise<Session> {
	return createSession(server.url, {
		userToken: await signUserToken(DEV_DEFAULTS.identitySecret, { sub, exp: Math.floor(Date.now() / 1000) + 3600 }),
	});
}

type Refund = { id: string; invoiceId: string; idempotencyKey: string };
async function refunds(user: string): Promise<Refund[]> {
	const response = await fetch(`${server.backOfficeUrl}/users/${user}/refunds`);
	return ((await response.json()) as { refunds: Refund[] }).refunds;
}

/** Asks for a refund and returns the confirmation the assistant asks for. */
async function proposeRefund(session: Session, text: string) {
	const socket = await openChat(server.url, session);
	sockets.push(socket);
	const id = clientId("refund");
	await postMessage(server.url, session, { id, text });
	const confirm = await socket.waitFor(isType("confirm"), 20_000);
	return { id, confirm, socket };
}

function answer(session: Session, callId: string, approve: boolean) {
	return request(`${server.url}/api/sessions/${session.sessionId}/confirmations/${callId}`, {
		method: "POST",
		headers: { ...JSON_HEADERS, Authorization: `Bearer ${session.token}` },
		body: JSON.stringify({ approve }),
	});
}

it("makes one refund and sends one reply when the server is killed between the approval and the reply", async () => {
	const session = await signedIn("usr_ada");
	const { id, confirm } = await proposeRefund(session, "I want a refund for INV-1001, we moved to another tool");
	expect(confirm).toMatchObject({ tool: "request_refund", summary: expect.stringMatching(/INV-1001/) });
	expect(await refunds("usr_ada")).toEqual([]);

	const approved = await answer(session, confirm.callId, true);
	expect(approved.status).toBe(200);
	const deadline = Date.now() + 15_000;
	while ((await refunds("usr_ada")).length === 0 && Date.now() < deadline) await sleep(50);
	expect(await refunds("usr_ada")).toHaveLength(1);
	// The refund is made; the reply is not committed yet.
	expect((await getMessages(server.url, session)).messages.filter((m) => m.role !== "user")).toEqual([]);
	const killedAt = Date.now();
	await server.kill();
	server = await startDevServer({ vars, backOffice: true, persistTo: server.persistTo, port: server.port });

	const resumed = await openChat(server.url, session, 1);
	sockets.push(resumed);
	const reply = await resumed.waitFor(isReplyTo(id), 90_000);
	const recoveredMs = Date.now() - killedAt;
	expect(reply).toMatchObject({
		role: "assistant",
		status: "complete",
		tools: [{ callId: confirm.callId, name: "request_refund", status: "done" }],
	});
	expect(reply.text).toMatch(/requested a refund of invoice INV-1001/);
	const page = await waitForTranscript(server.url, session, (p) => p.messages.length >= 2, 5_000);
	await sleep(3_000);
	const settled = (await getMessages(server.url, session)).messages;
	expect(settled.length).toBe(page.messages.length);
	expect(auditTranscript(settled)).toMatchObject({ userMessages: 1, answered: 1, failed: 0, problems: [] });
	expect(settled.filter((m) => m.role !== "user")).toHaveLength(1);
	expect(await refunds("usr_ada")).toEqual([expect.objectContaining({ invoiceId: "INV-1001", idempotencyKey: confirm.callId })]);
	console.log(`FAULT-FIGURES refund-kill ${JSON.stringify({ recoveredMs })}`);
}, 180_000);

it("makes no refund when the user declines", async () => {
	const session = await signedIn("usr_grace");
	const { id, confirm, socket } = await proposeRefund(session, "I want a refund for INV-2001");
	expect((await answer(session, confirm.callId, false)).status).toBe(200);
	const reply = await socket.waitFor(isReplyTo(id), 20_000);
	expect(reply.text).toMatch(/haven't requested a refund/);
	expect(reply.tools).toEqual([{ callId: confirm.callId, name: "request_refund", status: "declined" }]);
	expect(await refunds("usr_grace")).toEqual([]);
}, 60_000);
