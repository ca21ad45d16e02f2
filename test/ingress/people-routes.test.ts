/**
 * The people routes over HTTP (CONTRACT §7): agents made and revoked by an admin, the agent token
 * on every agent route, the queue, claims, agents' messages, the user's handoff and feedback.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { createSession, request, type TestSession } from "../support/api";

const admin = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" };
const agentSchema = z.object({ agentId: z.string(), name: z.string(), token: z.string() });
const conversationsSchema = z.object({
	conversations: z.array(z.object({ sessionId: z.string(), status: z.string(), reason: z.string().nullable(), since: z.string() }).loose()),
});

async function newAgent(name: string) {
	const response = await request("/api/admin/agents", { method: "POST", headers: admin, body: JSON.stringify({ name }) });
	expect(response.status).toBe(201);
	return agentSchema.parse(await response.json());
}

function asAgent(token: string, path: string, init: RequestInit = {}) {
	return request(path, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } });
}

function asUser(session: TestSession, path: string, body?: unknown) {
	return request(`/api/sessions/${session.sessionId}${path}`, {
		method: "POST",
		headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
}

describe("agent tokens", () => {
	it("are refused once revoked, at once; a session token and no token are refused on agent routes", async () => {
		const dana = await newAgent("Dana");
		expect((await asAgent(dana.token, "/api/agent/conversations")).status).toBe(200);
		expect(await (await asAgent(dana.token, "/api/agent/me")).json()).toEqual({ agentId: dana.agentId, name: "Dana" });
		expect((await request(`/api/admin/agents/${dana.agentId}`, { method: "DELETE", headers: admin })).status).toBe(204);
		const refused = await asAgent(dana.token, "/api/agent/conversations");
		expect(refused.status).toBe(401);
		expect(refused.headers.get("Content-Type")).toMatch(/problem\+json/);
		expect((await request(`/api/admin/agents/${dana.agentId}`, { method: "DELETE", headers: admin })).status).toBe(404);
		// Found by the HTTP fuzz: an id longer than any agent's was a 503.
		expect((await request(`/api/admin/agents/${"a".repeat(300)}`, { method: "DELETE", headers: admin })).status).toBe(404);
		const session = await createSession();
		expect((await asAgent(session.token, "/api/agent/conversations")).status).toBe(401);
		expect((await request("/api/agent/conversations")).status).toBe(401);
	});

	it("need a name of 1 to 64 characters to be made, and the admin token", async () => {
		for (const body of [{}, { name: "" }, { name: "x".repeat(65) }, { name: "Dana", extra: 1 }]) {
			expect((await request("/api/admin/agents", { method: "POST", headers: admin, body: JSON.stringify(body) })).status).toBe(400);
		}
		expect((await request("/api/admin/agents", { method: "POST", body: JSON.stringify({ name: "x" }) })).status).toBe(401);
	});
});

describe("the agents' queue", () => {
	it("lists escalated conversations longest waiting first, with the reason", async () => {
		const dana = await newAgent("Dana");
		const first = await createSession();
		const second = await createSession();
		expect((await asUser(first, "/handoff")).status).toBe(200);
		await scheduler.wait(5);
		expect(await (await asUser(second, "/handoff", { reason: "charged twice" })).json()).toEqual({ status: "escalated" });
		const listed = conversationsSchema.parse(
			await (await asAgent(dana.token, "/api/agent/conversations?status=escalated&limit=100")).json(),
		);
		const ours = listed.conversations.filter((c) => c.sessionId === first.sessionId || c.sessionId === second.sessionId);
		expect(ours.map((c) => [c.sessionId, c.status, c.reason])).toEqual([
			[first.sessionId, "escalated", "user_request"],
			[second.sessionId, "escalated", "user_request"],
		]);
		expect((await asAgent(dana.token, "/api/agent/conversations?status=nope")).status).toBe(400);
		expect((await asAgent(dana.token, "/api/agent/conversations?limit=0")).status).toBe(400);
	});

	it("moves a claimed and resolved conversation to the closed list", async () => {
		const dana = await newAgent("Dana");
		const session = await createSession();
		await asUser(session, "/handoff");
		expect((await asAgent(dana.token, `/api/agent/conversations/${session.sessionId}/claim`, { method: "POST" })).status).toBe(200);
		expect(await (await asAgent(dana.token, `/api/agent/conversations/${session.sessionId}/resolve`, { method: "POST" })).json()).toEqual({
			status: "closed",
		});
		const closed = conversationsSchema.parse(await (await asAgent(dana.token, "/api/agent/conversations?status=closed&limit=100")).json());
		expect(closed.conversations.some((c) => c.sessionId === session.sessionId)).toBe(true);
		const escalated = conversationsSchema.parse(await (await asAgent(dana.token, "/api/agent/conversations?limit=100")).json());
		expect(escalated.conversations.some((c) => c.sessionId === session.sessionId)).toBe(false);
	});
});

describe("claims and agents' messages over HTTP", () => {
	it("gives exactly one of two agents claiming at once the conversation, 50 times in a row", async () => {
		const [dana, sam] = await Promise.all([newAgent("Dana"), newAgent("Sam")]);
		for (let i = 0; i < 50; i++) {
			const session = await createSession();
			await asUser(session, "/handoff");
			const claim = (token: string) => asAgent(token, `/api/agent/conversations/${session.sessionId}/claim`, { method: "POST" });
			const responses = await Promise.all([claim(dana.token), claim(sam.token)]);
			expect(responses.map((r) => r.status).sort(), `round ${i + 1}`).toEqual([200, 409]);
			await Promise.all(responses.map((r) => r.body?.cancel()));
		}
	});

	it("gives one of two concurrent claims 200 and the other 409; only the assignee writes (409 for the other)", async () => {
		const [dana, sam] = await Promise.all([newAgent("Dana"), newAgent("Sam")]);
		const session = await createSession();
		await asUser(session, "/handoff");
		const claim = (token: string) => asAgent(token, `/api/agent/conversations/${session.sessionId}/claim`, { method: "POST" });
		const statuses = (await Promise.all([claim(dana.token), claim(sam.token)])).map((r) => r.status).sort();
		expect(statuses).toEqual([200, 409]);
		const winner = (await request(`/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${session.token}` } }).then(
			(r) => r.json(),
		)) as { assignee: { agentId: string } };
		const [holder, other] = winner.assignee.agentId === dana.agentId ? [dana, sam] : [sam, dana];
		const write = (token: string, body: unknown) =>
			asAgent(token, `/api/agent/conversations/${session.sessionId}/messages`, { method: "POST", body: JSON.stringify(body) });
		expect((await write(other.token, { text: "hello" })).status).toBe(409);
		const sent = await write(holder.token, { id: "a-1", text: "Hi, how can I help?" });
		expect(sent.status).toBe(202);
		expect(await sent.json()).toMatchObject({ messageId: "a-1", status: "queued", duplicate: false });
		expect((await write(holder.token, { text: "" })).status).toBe(400);
		expect(
			(await request(`/api/agent/conversations/ses_nope/claim`, { method: "POST", headers: { Authorization: `Bearer ${holder.token}` } }))
				.status,
		).toBe(404);
	});
});

describe("feedback", () => {
	it("rates the conversation (201, then 200 when replaced) and refuses marks on what is not an assistant answer", async () => {
		const session = await createSession();
		expect((await asUser(session, "/feedback", { rating: 5 })).status).toBe(201);
		expect((await asUser(session, "/feedback", { rating: 4, comment: "good" })).status).toBe(200);
		expect((await asUser(session, "/feedback", { rating: 6 })).status).toBe(400);
		expect((await asUser(session, "/feedback", { messageId: "nope", helpful: true })).status).toBe(404);
		expect((await asUser(session, "/feedback", { messageId: "x", helpful: "yes" })).status).toBe(400);
	});
});
