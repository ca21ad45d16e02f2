/**
 * `GET /api/sessions/:id/ws`: authenticates the upgrade (subprotocol
 * `bearer.<token>` or `?token=`), checks the Origin, and hands the socket to
 * the session's hub, which owns it from then on (CONTRACT §4).
 */
import { type Context, Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import { wsQuerySchema } from "../../shared/schemas/http";
import { sessionHub } from "../../shared/stubs";
import { authorizeSession, subprotocolToken } from "../auth";
import type { IngressEnv } from "../env";
import { readQuery } from "../json-body";
import { enforceLimit } from "../rate-limit";

export const socket = new Hono<IngressEnv>();

socket.get("/:id/ws", async (c) => {
	const sessionId = c.req.param("id");
	requireUpgrade(c.req.raw);
	const query = readQuery(c.req.url, wsQuerySchema);
	await authorizeSession(c.get("config").sessionSecret, subprotocolToken(c.req.raw) ?? query.token, sessionId);
	checkOrigin(c.req.raw, c.get("config").allowedOrigins);
	return forwardSocket(c, sessionId, query.after, new Headers());
});

export function requireUpgrade(request: Request): void {
	if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
		throw new HttpProblem(426, "This endpoint only speaks WebSocket; send an Upgrade: websocket request.", {
			headers: { Upgrade: "websocket" },
		});
	}
}

/**
 * Hands an authenticated upgrade to the session's hub, which owns the socket from then on. Only
 * what the hub needs crosses over (`headers`, the offered subprotocols but the credentials); the
 * token stays here.
 */
export async function forwardSocket<E extends IngressEnv>(
	c: Context<E>,
	sessionId: string,
	after: number,
	headers: Headers,
): Promise<Response> {
	// Counted per session once authenticated, so nobody can spend another session's connects.
	await enforceLimit(c.env.CONNECT_LIMITER, sessionId, "connections to this session");
	const url = new URL(c.req.url);
	url.pathname = `/api/sessions/${encodeURIComponent(sessionId)}/ws`;
	url.search = `?after=${after}`;
	headers.set("Upgrade", "websocket");
	const offered = c.req.header("Sec-WebSocket-Protocol");
	if (offered)
		headers.set(
			"Sec-WebSocket-Protocol",
			offered
				.split(",")
				.map((p) => p.trim())
				.filter((p) => !p.startsWith("bearer.") && !p.startsWith("agent."))
				.join(", "),
		);
	const response = await c.get("metrics").timeOperation("hub.connect", sessionHub(c.env, sessionId).fetch(url.toString(), { headers }));
	// The hub's response headers are immutable; copy them so the request id can be added.
	return new Response(response.body, { status: response.status, headers: new Headers(response.headers), webSocket: response.webSocket });
}

/** Browsers send Origin on upgrades: only our own origin and configured ones may open a socket. */
export function checkOrigin(request: Request, allowed: readonly string[]): void {
	const origin = request.headers.get("Origin");
	if (!origin) return;
	if (origin === new URL(request.url).origin || allowed.includes(origin)) return;
	throw new HttpProblem(403, "This origin may not open chat sockets.");
}
