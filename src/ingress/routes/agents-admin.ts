/** Admins create and revoke agents (CONTRACT §7); a revoked token stops working at once. */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import type { AgentCreated } from "../../shared/schemas/people";
import { createAgentSchema } from "../../shared/schemas/people-requests";
import { supportDesk } from "../../shared/stubs";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

export const agentsAdmin = new Hono<IngressEnv>();

agentsAdmin.post("/", async (c) => {
	const { name } = await readJson(c.req.raw, createAgentSchema);
	const agent = await c.get("metrics").timeOperation("desk.createAgent", supportDesk(c.env).createAgent({ name }));
	return c.json(agent satisfies AgentCreated, 201);
});

agentsAdmin.delete("/:agentId", async (c) => {
	if (!(await supportDesk(c.env).revokeAgent({ agentId: c.req.param("agentId") }))) throw new HttpProblem(404, "No such agent.");
	return c.body(null, 204);
});
