/**
 * The user's side of the people behind the assistant (CONTRACT §7): asking for a person and giving
 * feedback. Mounted beside the session routes, with the session's token.
 */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import type { HandoffResult } from "../../shared/schemas/people";
import { feedbackSchema, handoffRequestSchema } from "../../shared/schemas/people-requests";
import { sessionHub } from "../../shared/stubs";
import { authorizeSession, bearerToken } from "../auth";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

export const people = new Hono<IngressEnv>();

/** Hands the conversation to people; idempotent. The optional reason is the user's own words, and is not stored. */
people.post("/:id/handoff", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	await readJson(c.req.raw, handoffRequestSchema, { optional: true });
	if (!(await c.get("metrics").timeOperation("hub.handoff", sessionHub(c.env, sessionId).handoff()))) {
		throw new HttpProblem(404, "No such session.");
	}
	return c.json({ status: "escalated" } satisfies HandoffResult);
});

people.post("/:id/feedback", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	const body = await readJson(c.req.raw, feedbackSchema);
	const result = await c.get("metrics").timeOperation("hub.feedback", sessionHub(c.env, sessionId).feedback(body));
	if (!result.ok) {
		if (result.reason === "not_found") throw new HttpProblem(404, "No such session.");
		throw new HttpProblem(404, "No assistant answer with that id in this session.", {
			errors: [{ path: "messageId", message: "not an assistant answer of this session" }],
		});
	}
	return c.body(null, result.created ? 201 : 200);
});
