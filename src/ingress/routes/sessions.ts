/** Sessions and their messages (CONTRACT §2, §3). */
import { Hono } from "hono";
import { newId } from "../../shared/ids";
import { HttpProblem } from "../../shared/problem";
import { createSessionSchema, listMessagesQuerySchema, postMessageSchema } from "../../shared/schemas/http";
import type { Accepted, MessagePage, SessionCreated, SessionInfo } from "../../shared/schemas/responses";
import { sessionHub, userDirectory } from "../../shared/stubs";
import { authorizeSession, bearerToken } from "../auth";
import type { IngressEnv } from "../env";
import { identify } from "../identity";
import { readJson, readQuery } from "../json-body";
import { clientIp, enforceLimit, rateLimited } from "../rate-limit";
import { signSessionToken } from "../session-token";

export const sessions = new Hono<IngressEnv>();

sessions.post("/", async (c) => {
	await enforceLimit(c.env.SESSION_CREATE_LIMITER, clientIp(c.req.raw), "sessions created from this address");
	const { userToken, ...body } = (await readJson(c.req.raw, createSessionSchema, { optional: true })) ?? {};
	const config = c.get("config");
	const identity = await identify(config.identitySecret, userToken);
	const sessionId = newId("ses");
	const now = new Date();
	const expiresAt = new Date(now.getTime() + config.sessionTtlSeconds * 1000);
	// Listed under the user first: an erasure of the user then finds it, even if creating it fails halfway.
	const userId = identity?.id ?? body.userId;
	if (userId) await userDirectory(c.env, userId).add(sessionId);
	await sessionHub(c.env, sessionId).create({ sessionId, createdAt: now.toISOString(), ...body, ...(identity ? { identity } : {}) });
	const token = await signSessionToken(config.sessionSecret, sessionId, expiresAt);
	return c.json({ sessionId, token, expiresAt: expiresAt.toISOString() } satisfies SessionCreated, 201);
});

sessions.get("/:id", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	const info = await c.get("metrics").timeOperation("hub.info", sessionHub(c.env, sessionId).info());
	if (!info) throw new HttpProblem(404, "No such session.");
	return c.json(info satisfies SessionInfo);
});

/** Erases the session everywhere (CONTRACT §2): transcript, archive, summary, cache and registry entries. */
sessions.delete("/:id", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	if (!(await sessionHub(c.env, sessionId).erase())) throw new HttpProblem(404, "No such session.");
	return c.body(null, 204);
});

sessions.post("/:id/messages", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	const body = await readJson(c.req.raw, postMessageSchema);
	// The hub applies the per-session message limit, shared with `send` frames, after its idempotency check.
	const result = await c.get("metrics").timeOperation("hub.accept", sessionHub(c.env, sessionId).accept(body));
	if (!result.ok) {
		switch (result.reason) {
			case "not_found":
				throw new HttpProblem(404, "No such session.");
			case "rate_limited":
				throw rateLimited("messages in this session", result.retryAfterSeconds);
			case "id_conflict":
				throw new HttpProblem(400, "The message id is already used by another message.", {
					errors: [{ path: "id", message: "already used by another message" }],
				});
		}
	}
	return c.json({ messageId: result.messageId, seq: result.seq, status: "queued", duplicate: result.duplicate } satisfies Accepted, 202);
});

sessions.get("/:id/messages", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	const query = readQuery(c.req.url, listMessagesQuerySchema);
	const page = await c.get("metrics").timeOperation("hub.list", sessionHub(c.env, sessionId).list(query));
	if (!page) throw new HttpProblem(404, "No such session.");
	return c.json(page satisfies MessagePage);
});
