/**
 * Identified users against `wrangler dev` and the real sample back office
 * (CONTRACT §2, §8), as a client sees them: answers from the account for
 * signed-in users, a sign-in request and no back-office call for anonymous
 * ones, one back-office read for two questions within 15 minutes, another
 * user's account never shown, forged, expired and `alg: none` tokens
 * refused with a 401 problem, the calls counted in the metrics, and no tool
 * argument or result in the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64url } from "../../src/shared/base64url";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { signUserToken } from "../../src/shared/identity/user-token";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	clientId,
	createSession,
	getSession,
	JSON_HEADERS,
	parseJson,
	postMessage,
	problemSchema,
	request,
	type Session,
	waitForTranscript,
} from "./support/api";

let server: DevServer;

beforeAll(async () => {
	// "log": the Worker's own log lines are kept, so the last test can look for account data in them.
	server = await startDevServer({ backOffice: true, logLevel: "log" });
}, 120_000);
afterAll(async () => {
	await server?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

function userToken(sub: string, exp = now() + 600, secret: string = DEV_DEFAULTS.identitySecret): Promise<string> {
	return signUserToken(secret, { sub, exp });
}

async function stats(): Promise<Record<string, number>> {
	const response = await fetch(`${server.backOfficeUrl}/_sample/stats`);
	return ((await response.json()) as { requests: Record<string, number> }).requests;
}

/** Asks `text` in `session` and returns the reply's text and tools. */
async function ask(session: Session, text: string) {
	const id = clientId("acct");
	await postMessage(server.url, session, { id, text });
	const page = await waitForTranscript(server.url, session, (p) => p.messages.some((x) => x.role !== "user" && x.replyTo?.includes(id)));
	const reply = page.messages.find((m) => m.role !== "user" && m.replyTo?.includes(id));
	return { text: reply?.text ?? "", tools: reply?.tools };
}

describe("identified users", () => {
	it("Grace asking why her last payment failed hears about INV-2002 and the failed payment, from her account", async () => {
		const session = await createSession(server.url, { userToken: await userToken("usr_grace") });
		expect((await getSession(server.url, session)).user).toEqual({ id: "usr_grace" });
		const reply = await ask(session, "why did my last payment fail?");
		expect(reply.text).toMatch(/INV-2002/);
		expect(reply.text).toMatch(/payment .*failed/i);
		expect(reply.text).toMatch(/from your account/i);
		expect(reply.tools).toMatchObject([{ name: "list_invoices", status: "done" }]);
	});

	it("Ada asking when her plan renews hears 2027-03-14; asked again in a new session, the back office is not asked twice", async () => {
		const before = (await stats())["GET /users/:id/subscription"] ?? 0;
		const first = await createSession(server.url, { userToken: await userToken("usr_ada") });
		expect((await ask(first, "when does my plan renew?")).text).toMatch(/2027-03-14/);
		const second = await createSession(server.url, { userToken: await userToken("usr_ada") });
		expect((await ask(second, "when does my subscription renew?")).text).toMatch(/2027-03-14/);
		expect((await stats())["GET /users/:id/subscription"]).toBe(before + 1);
	});

	it("never shows one user's account to another", async () => {
		const grace = await createSession(server.url, { userToken: await userToken("usr_grace") });
		const reply = await ask(grace, "when does my plan renew?");
		expect(reply.text).toMatch(/2026-12-20/);
		expect(reply.text).not.toMatch(/2027-03-14|Pro plan/);
	});
});

describe("anonymous sessions", () => {
	it("get a sign-in request for account questions, and the back office hears nothing", async () => {
		const before = await stats();
		const session = await createSession(server.url);
		for (const question of ["why did my last payment fail?", "when does my plan renew?"]) {
			const reply = await ask(session, question);
			expect(reply.text).toMatch(/sign in/i);
			expect(reply.tools).toBeUndefined();
		}
		// Even a bare userId label unlocks nothing.
		const labelled = await createSession(server.url, { userId: "usr_ada" });
		expect((await ask(labelled, "when does my plan renew?")).text).toMatch(/sign in/i);
		expect(await stats()).toEqual(before);
	});
});

describe("user tokens", () => {
	const create = (userToken: string) =>
		request(`${server.url}/api/sessions`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ userToken }) });
	it.each([
		["forged", () => userToken("usr_ada", now() + 600, "guessed-secret")],
		["expired", () => userToken("usr_ada", now() - 3600)],
		[
			"alg none",
			async () =>
				`${base64url(new TextEncoder().encode('{"alg":"none","typ":"JWT"}'))}.${base64url(new TextEncoder().encode(JSON.stringify({ sub: "usr_ada", exp: now() + 600 })))}.`,
		],
	])("refuses a %s token with a 401 problem", async (_name, make) => {
		const response = await create(await make());
		expect(response.status).toBe(401);
		expect(response.headers.get("content-type")).toMatch(/application\/problem\+json/);
		expect(parseJson(problemSchema, response).status).toBe(401);
	});
});

describe("what operators see", () => {
	it("counts the calls in chat_tool_calls_total, and never logs a tool's arguments or results", async () => {
		const session = await createSession(server.url, { userToken: await userToken("usr_grace") });
		const id = clientId("secret");
		await postMessage(server.url, session, { id, text: "I want a refund for INV-2001 because of reason-7731" });
		const info = await waitForInfo(session);
		const callId = info.pendingConfirmations[0]?.callId ?? "";
		const declined = await request(`${server.url}/api/sessions/${session.sessionId}/confirmations/${callId}`, {
			method: "POST",
			headers: { ...JSON_HEADERS, Authorization: `Bearer ${session.token}` },
			body: '{"approve":false}',
		});
		expect(declined.status).toBe(200);
		await waitForTranscript(server.url, session, (p) => p.messages.some((m) => m.role === "assistant" && m.replyTo?.includes(id)));
		await expect
			.poll(async () => (await request(`${server.url}/api/metrics`)).body, { timeout: 30_000, interval: 1000 })
			.toMatch(/chat_tool_calls_total\{tool="request_refund",status="declined"\} 1/);
		expect((await request(`${server.url}/api/metrics`)).body).toMatch(/chat_tool_calls_total\{tool="list_invoices",status="done"\} [1-9]/);
		const logs = server.output();
		// The logs are there to look at: the request lines of this very conversation.
		expect(logs).toContain(`/api/sessions/${session.sessionId}/confirmations/`);
		for (const secret of [
			"reason-7731",
			"the card was declined because it has expired",
			"Mastercard ending in 5454",
			"grace@example.com",
			"$625.00",
		]) {
			expect(logs, `"${secret}" in the logs`).not.toContain(secret);
		}
	});
});

async function waitForInfo(session: Session) {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const info = await getSession(server.url, session);
		if (info.pendingConfirmations.length > 0 || Date.now() > deadline) return info;
		await new Promise((r) => setTimeout(r, 100));
	}
}
