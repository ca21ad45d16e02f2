/**
 * `AgentApi` against a fake fetch and a fake socket: the agent routes shaped as CONTRACT §7 says,
 * answers validated, a claim someone else holds as a 409 `ProblemError`, and the agent socket
 * offered with the `agent.<token>` subprotocol, resuming after the last seq like a user's.
 */
import { describe, expect, it } from "vitest";
import { AgentApi, ProblemError, ProtocolError } from "../../src/sdk";
import { fakeFetch, json, message, socketFactory } from "./fakes";

const dana = { agentId: "agt_dana", name: "Dana" };
const conversation = {
	sessionId: "ses_1",
	status: "escalated",
	reason: "user_request",
	since: "2026-01-01T00:00:00.000Z",
	assignee: null,
	lastMessage: null,
	summary: null,
	user: { id: "usr_ada", name: "Ada Lovelace" },
};

function agentApi(...responses: Response[]) {
	const fake = fakeFetch(...responses);
	return { api: new AgentApi({ baseUrl: "http://chat.test/", agentToken: "agt_dana.secret", fetch: fake.fetch }), fake };
}

describe("AgentApi", () => {
	it("lists conversations by status and limit with the agent's bearer token", async () => {
		const { api, fake } = agentApi(json({ conversations: [conversation] }), json({ conversations: [] }));
		expect(await api.listConversations({ status: "closed", limit: 5 })).toEqual({ conversations: [conversation] });
		expect(fake.requests[0]?.url).toBe("http://chat.test/api/agent/conversations?status=closed&limit=5");
		expect(fake.requests[0]?.headers.get("Authorization")).toBe("Bearer agt_dana.secret");
		await api.listConversations();
		expect(fake.requests[1]?.url).toBe("http://chat.test/api/agent/conversations");
	});

	it("claims, writes with an idempotency id, releases and resolves, each at its route", async () => {
		const { api, fake } = agentApi(
			json({ assignee: dana }),
			json({ messageId: "a-1", seq: 4, status: "queued", duplicate: false }, 202),
			json({ status: "open" }),
			json({ status: "closed" }),
		);
		expect(await api.claim("ses_1")).toEqual({ assignee: dana });
		expect(await api.sendMessage("ses_1", { id: "a-1", text: "Hi" })).toMatchObject({ messageId: "a-1", seq: 4 });
		expect(await api.release("ses_1")).toEqual({ status: "open" });
		expect(await api.resolve("ses_1")).toEqual({ status: "closed" });
		expect(fake.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
			"POST /api/agent/conversations/ses_1/claim",
			"POST /api/agent/conversations/ses_1/messages",
			"POST /api/agent/conversations/ses_1/release",
			"POST /api/agent/conversations/ses_1/resolve",
		]);
		expect(fake.requests[1]?.body).toBe('{"id":"a-1","text":"Hi"}');
	});

	it("turns a claim another agent holds into a 409 ProblemError, and an answer outside the contract into a ProtocolError", async () => {
		const taken = { type: "about:blank", title: "Conflict", status: 409, detail: "Sam holds this conversation." };
		const { api } = agentApi(json(taken, 409, { "Content-Type": "application/problem+json" }), json({ assignee: { agentId: "" } }));
		const refused = await api.claim("ses_1").catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ProblemError);
		expect(refused).toMatchObject({ status: 409, detail: "Sam holds this conversation." });
		await expect(api.claim("ses_1")).rejects.toBeInstanceOf(ProtocolError);
	});

	it("opens the agent socket with the agent subprotocol, not the session one, and resumes after the last seq", async () => {
		const factory = socketFactory();
		const { api } = agentApi();
		const live = api.connect("ses_1", { openSocket: factory.open, heartbeatMs: 0 });
		live.start();
		const first = factory.last();
		expect(new URL(first.url).pathname).toBe("/api/agent/conversations/ses_1/ws");
		expect(first.url.startsWith("ws://chat.test/")).toBe(true);
		expect(first.protocols).toEqual(["chat.v1", "agent.agt_dana.secret"]);
		first.open();
		first.receive({ type: "ready", sessionId: "ses_1", lastSeq: 2 });
		first.receive(message(1, "u1"));
		first.receive(message(2, "a1", "assistant", { replyTo: ["u1"] }));
		expect(live.transcript.lastSeq).toBe(2);
		live.drop("test");
		live.reconnectNow();
		expect(new URL(factory.last().url).searchParams.get("after")).toBe("2");
		live.stop();
	});
});
