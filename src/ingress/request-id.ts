/**
 * `X-Request-Id` on every response: a valid incoming id is echoed, anything
 * else is replaced by a fresh UUID (CONTRACT §1).
 */
import { createMiddleware } from "hono/factory";
import type { IngressEnv } from "./env";

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestId = createMiddleware<IngressEnv>(async (c, next) => {
	const incoming = c.req.header("X-Request-Id");
	const id = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
	c.set("requestId", id);
	await next();
	c.res.headers.set("X-Request-Id", id);
});
