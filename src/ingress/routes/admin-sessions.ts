/**
 * The operators' view of a session (CONTRACT §6, admin): where its transcript
 * lives now, and erasing it when its own token has long expired (a user's
 * request to be forgotten that arrives through support, after 24 h).
 */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import type { ToolCalls } from "../../shared/schemas/accounts";
import type { SessionStorageInfo } from "../../shared/schemas/responses";
import { sessionHub } from "../../shared/stubs";
import type { IngressEnv } from "../env";

export const adminSessions = new Hono<IngressEnv>();

adminSessions.get("/:id/storage", async (c) => {
	const storage = await sessionHub(c.env, c.req.param("id")).storage();
	if (!storage) throw new HttpProblem(404, "No such session.");
	return c.json(storage satisfies SessionStorageInfo);
});

/** Every back-office tool call of the session (CONTRACT §8). */
adminSessions.get("/:id/tool-calls", async (c) => {
	const calls = await sessionHub(c.env, c.req.param("id")).toolCalls();
	if (!calls) throw new HttpProblem(404, "No such session.");
	return c.json(calls satisfies ToolCalls);
});

/** Erases the session exactly as `DELETE /api/sessions/:id` does, with the admin token instead of the session's. */
adminSessions.delete("/:id", async (c) => {
	if (!(await sessionHub(c.env, c.req.param("id")).erase())) throw new HttpProblem(404, "No such session.");
	return c.body(null, 204);
});
