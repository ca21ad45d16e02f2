/** The operators' view of a session (CONTRACT §6, admin): where its transcript lives now. */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import type { SessionStorageInfo } from "../../shared/schemas/responses";
import { authorizeAdmin } from "../auth";
import type { IngressEnv } from "../env";
import { hubFor } from "./hub";

export const adminSessions = new Hono<IngressEnv>();

adminSessions.use(async (c, next) => {
	await authorizeAdmin(c);
	await next();
});

adminSessions.get("/:id/storage", async (c) => {
	const storage = await hubFor(c.env, c.req.param("id")).storage();
	if (!storage) throw new HttpProblem(404, "No such session.");
	return c.json(storage satisfies SessionStorageInfo);
});
