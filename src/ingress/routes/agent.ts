/**
 * The agents' API (CONTRACT §7), everything under `/api/agent` behind one check of the agent
 * token: the queue of conversations, claiming, writing, releasing and resolving, and the live
 * socket. The session's hub decides each change of hands; the support desk lists them.
 */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import { wsQuerySchema } from "../../shared/schemas/http";
import { AGENT_HEADER } from "../../shared/schemas/hub";
import type { Assignee, Claimed, ConversationList, SessionStatusResult } from "../../shared/schemas/people";
import { agentMessageSchema, conversationsQuerySchema } from "../../shared/schemas/people-requests";
import type { Accepted } from "../../shared/schemas/responses";
import { sessionHub, supportDesk } from "../../shared/stubs";
import { authorizeAgent } from "../auth";
import type { IngressEnv } from "../env";
import { readJson, readQuery } from "../json-body";
import { checkOrigin, forwardSocket, requireUpgrade } from "./socket";

type AgentEnv = IngressEnv & { Variables: IngressEnv["Variables"] & { agent: Assignee } };

export const agent = new Hono<AgentEnv>();

agent.use(async (c, next) => {
	c.set("agent", await authorizeAgent(c));
	await next();
});

/** Who the token belongs to, so the console knows which conversations are its own. */
agent.get("/me", (c) => c.json(c.get("agent") satisfies Assignee));

agent.get("/conversations", async (c) => {
	const query = readQuery(c.req.url, conversationsQuerySchema);
	const conversations = await c.get("metrics").timeOperation("desk.list", supportDesk(c.env).list(query));
	return c.json({ conversations } satisfies ConversationList);
});

agent.post("/conversations/:id/claim", async (c) => {
	const result = await c.get("metrics").timeOperation("hub.claim", sessionHub(c.env, c.req.param("id")).claim(c.get("agent")));
	if (!result.ok) {
		if (result.reason === "not_found") throw new HttpProblem(404, "No such conversation.");
		throw new HttpProblem(409, `${result.assignee.name} holds this conversation.`);
	}
	return c.json({ assignee: result.assignee } satisfies Claimed);
});

agent.post("/conversations/:id/messages", async (c) => {
	const body = await readJson(c.req.raw, agentMessageSchema);
	const result = await c
		.get("metrics")
		.timeOperation("hub.agentSend", sessionHub(c.env, c.req.param("id")).agentSend(c.get("agent"), body));
	if (!result.ok) throw refusal(result.reason);
	return c.json({ messageId: result.messageId, seq: result.seq, status: "queued", duplicate: result.duplicate } satisfies Accepted, 202);
});

agent.post("/conversations/:id/release", async (c) => {
	const result = await sessionHub(c.env, c.req.param("id")).release(c.get("agent"));
	if (!result.ok) throw refusal(result.reason);
	return c.json({ status: result.status } satisfies SessionStatusResult);
});

agent.post("/conversations/:id/resolve", async (c) => {
	const result = await sessionHub(c.env, c.req.param("id")).resolve(c.get("agent"));
	if (!result.ok) throw refusal(result.reason);
	return c.json({ status: result.status } satisfies SessionStatusResult);
});

/** The conversation's frames, live, with replay (CONTRACT §4); the assignee may `send`. */
agent.get("/conversations/:id/ws", async (c) => {
	const sessionId = c.req.param("id");
	requireUpgrade(c.req.raw);
	const query = readQuery(c.req.url, wsQuerySchema);
	checkOrigin(c.req.raw, c.get("config").allowedOrigins);
	const headers = new Headers({ [AGENT_HEADER]: JSON.stringify(c.get("agent")) });
	return forwardSocket(c, sessionId, query.after, headers);
});

function refusal(reason: "not_found" | "not_assignee" | "id_conflict"): HttpProblem {
	if (reason === "not_found") return new HttpProblem(404, "No such conversation.");
	if (reason === "id_conflict") {
		return new HttpProblem(400, "The message id is already used by another message.", {
			errors: [{ path: "id", message: "already used by another message" }],
		});
	}
	return new HttpProblem(409, "Only the agent holding this conversation may do that; claim it first.");
}
