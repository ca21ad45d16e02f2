/**
 * Credentials: session bearer tokens (HTTP header, WebSocket subprotocol or
 * `?token=`) and the admin token. Failures become 401 (missing, malformed,
 * forged or expired) or 403 (valid, but for another session).
 */
import type { Context } from "hono";
import { HttpProblem } from "../shared/problem";
import type { Assignee } from "../shared/schemas/people";
import { supportDesk } from "../shared/stubs";
import type { IngressEnv } from "./env";
import { clientIp, rateLimited } from "./rate-limit";
import { verifySessionToken } from "./session-token";

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerToken(request: Request): string | undefined {
	return BEARER.exec(request.headers.get("Authorization") ?? "")?.[1];
}

/** The token offered as a `<prefix><token>` WebSocket subprotocol (`bearer.` for sessions, `agent.` for agents), if any. */
export function subprotocolToken(request: Request, prefix = "bearer."): string | undefined {
	const offered = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
	return offered.find((p) => p.startsWith(prefix))?.slice(prefix.length) || undefined;
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

/**
 * The agent an agent token belongs to (CONTRACT §7): `Authorization: Bearer`, or the `agent.<token>`
 * subprotocol on the socket. Unknown and revoked tokens get 401 at once (the desk is asked every
 * time, so a revocation needs no expiry to take effect); failures count toward the admin limiter.
 */
export async function authorizeAgent<E extends IngressEnv>(c: Context<E>): Promise<Assignee> {
	const token = bearerToken(c.req.raw) ?? subprotocolToken(c.req.raw, "agent.");
	const agent = token ? await c.get("metrics").timeOperation("desk.authenticate", supportDesk(c.env).authenticate({ token })) : null;
	if (agent) return agent;
	const { success } = await c.env.ADMIN_FAILURE_LIMITER.limit({ key: clientIp(c.req.raw) });
	if (!success) throw rateLimited("failed agent sign-ins from this address");
	throw new HttpProblem(401, token ? "The agent token is invalid or revoked." : "An agent token is required.", {
		headers: { "WWW-Authenticate": 'Bearer realm="agent"' },
	});
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
