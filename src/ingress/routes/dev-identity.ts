/**
 * Development only (404 elsewhere, before anything else is read): mints a
 * user token for one of the sample back office's users with the development
 * IDENTITY_SECRET, so the demo page can sign in as them. In production the
 * integrator's own backend signs tokens (docs/identity.md); this route does
 * not exist there.
 */
import { Hono } from "hono";
import { DEV_DEFAULTS } from "../../shared/config";
import { signUserToken } from "../../shared/identity/user-token";
import { HttpProblem } from "../../shared/problem";
import { demoTokenRequestSchema } from "../../shared/schemas/people-requests";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

/** The sample back office's users (CONTRACT §8's table). */
const SAMPLE_USERS = { usr_ada: "Ada Lovelace", usr_grace: "Grace Hopper" } as const;
const TOKEN_LIFETIME_SECONDS = 60 * 60;

export const devIdentity = new Hono<IngressEnv>();

devIdentity.use(async (c, next) => {
	const config = c.get("config");
	if (config.environment !== "development" || config.identitySecret !== DEV_DEFAULTS.identitySecret) {
		throw new HttpProblem(404, "No such resource.");
	}
	await next();
});

devIdentity.get("/user-token", (c) => c.json({ users: Object.keys(SAMPLE_USERS) }));

devIdentity.post("/user-token", async (c) => {
	const { userId } = await readJson(c.req.raw, demoTokenRequestSchema);
	const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS;
	const userToken = await signUserToken(DEV_DEFAULTS.identitySecret, { sub: userId, name: SAMPLE_USERS[userId], exp });
	return c.json({ userToken, expiresAt: new Date(exp * 1000).toISOString() });
});
