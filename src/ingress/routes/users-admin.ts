/**
 * Erasing a user (CONTRACT §8, admin): every session listed under their id
 * (each exactly as `DELETE /api/sessions/:id` erases it), then their cached
 * profile and tool results, then the list itself. Idempotent: a repeat, or a
 * user never seen, is a 204 that erases nothing more.
 */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import { sessionHub, userDirectory } from "../../shared/stubs";
import { eraseAccountCache } from "../../shared/tools/account-cache";
import type { IngressEnv } from "../env";

export const usersAdmin = new Hono<IngressEnv>();

usersAdmin.delete("/:userId", async (c) => {
	const userId = c.req.param("userId");
	if (userId.length < 1 || userId.length > 128) throw new HttpProblem(404, "No such user.");
	const directory = userDirectory(c.env, userId);
	const sessions = await directory.sessions();
	// One at a time: a user has few sessions, and each erase already fans out to several stores.
	for (const sessionId of sessions) await sessionHub(c.env, sessionId).erase();
	await eraseAccountCache(c.env, userId);
	await directory.clear();
	console.log(JSON.stringify({ event: "user_erased", sessions: sessions.length }));
	return c.body(null, 204);
});
