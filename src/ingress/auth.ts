/**
 * Credentials: session bearer tokens (HTTP header, WebSocket subprotocol or
 * `?token=`) and the admin token. Failures become 401 (missing, malformed,
 * forged or expired) or 403 (valid, but for another session).
 */
import type { Context } from "hono";
import { HttpProblem } from "../shared/problem";
import type { IngressEnv } from "./env";
import { clientIp, rateLimited } from "./rate-limit";
import { verifySessionToken } from "./session-token";

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerToken(request: Request): string | undefined {
	return BEARER.exec(request.headers.get("Authorization") ?? "")?.[1];
}

/** The token offered as a `bearer.<token>` WebSocket subprotocol, if any. */
export function subprotocolToken(request: Request): string | undefined {
	const offered = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
	return offered.find((p) => p.startsWith("bearer."))?.slice("bearer.".length) || undefined;
}

export async function authorizeSession(secret: string, token: string | undefined, sessionId: string): Promise<void> {
	if (!token) throw new HttpProblem(401, "A session token is required.", { headers: { "WWW-Authenticate": 'Bearer realm="session"' } });
	const check = await verifySessionToken(secret, token);
	if (!check.ok) {
		const detail = check.reason === "expired" ? "The session token has expired." : "The session token is invalid.";
		throw new HttpProblem(401, detail, { headers: { "WWW-Authenticate": 'Bearer realm="session", error="invalid_token"' } });
	}
	if (check.sessionId !== sessionId) throw new HttpProblem(403, "The session token is for another session.");
}

/**
 * Checks the admin bearer token. Failed attempts are counted per client IP
 * (ADMIN_FAILURE_LIMITER): past the limit they get 429 instead of 401, which
 * turns guessing into a slow, visible stream of refusals.
 */
export async function authorizeAdmin(c: Context<IngressEnv>): Promise<void> {
	const token = bearerToken(c.req.raw);
	if (token && (await constantTimeEqual(token, c.get("config").adminToken))) return;
	const { success } = await c.env.ADMIN_FAILURE_LIMITER.limit({ key: clientIp(c.req.raw) });
	if (!success) throw rateLimited("failed admin attempts from this address");
	throw new HttpProblem(401, "An admin token is required.", { headers: { "WWW-Authenticate": 'Bearer realm="admin"' } });
}

/** Compares digests so timing reveals nothing about the expected token. */
async function constantTimeEqual(a: string, b: string): Promise<boolean> {
	const encoder = new TextEncoder();
	const [da, db] = await Promise.all([
		crypto.subtle.digest("SHA-256", encoder.encode(a)),
		crypto.subtle.digest("SHA-256", encoder.encode(b)),
	]);
	return crypto.subtle.timingSafeEqual(da, db);
}
