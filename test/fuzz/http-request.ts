/**
 * Turns an HTTP fuzz case (http-cases.ts) into a request against the
 * session pool: resolves pool references to live sessions and tokens,
 * forges the credentials the case asks for, and records what the request
 * carried for the leak oracle.
 */
import { DEV_DEFAULTS } from "../../src/shared/config";
import { type Credential, encodeSegment, type HttpCase, type RouteName } from "./http-cases";
import { ORIGIN, type PoolSession } from "./support";

export interface Fixtures {
	pool: PoolSession[];
	/** Per session id: a token that expired a minute ago. */
	expired: Map<string, string>;
	/** Validly signed for a session that was never created. */
	neverCreated: string;
}

export interface Built {
	path: string;
	init: RequestInit;
	/** The pool session the path names, if it names one. */
	target: PoolSession | undefined;
	/** The session whose transcript is checked after the case. */
	checked: PoolSession;
	/** Everything the request carried, for the leak oracle. */
	sent: string;
	/** The method the Worker receives (see `effectiveMethod`). */
	method: string;
	/** The X-Request-Id header as sent (several generated ones are joined with ", "). */
	requestId: string | undefined;
	bodyText: string | undefined;
}

function pick<T>(items: readonly T[], index: number): T {
	const item = items[index % items.length];
	if (item === undefined) throw new Error("pick from an empty list");
	return item;
}

function tokenFor(credential: Credential, owner: PoolSession, fixtures: Fixtures): string | undefined {
	const { pool } = fixtures;
	const others = pool.filter((s) => s !== owner);
	switch (credential.kind) {
		case "none":
			return undefined;
		case "own":
			return owner.token;
		case "other":
			return pick(others, credential.index).token;
		case "expired":
			return fixtures.expired.get(owner.sessionId);
		case "neverCreated":
			return fixtures.neverCreated;
		case "tampered": {
			const at = credential.at % owner.token.length;
			return `${owner.token.slice(0, at)}${credential.char}${owner.token.slice(at + 1)}`;
		}
		case "truncated":
			return owner.token.slice(0, credential.keep % owner.token.length);
		case "swapped": {
			// Another session's id under this session's signature.
			const [version, , expires, signature] = owner.token.split(".");
			return `${version}.${pick(others, credential.index).sessionId}.${expires}.${signature}`;
		}
		case "admin":
			return DEV_DEFAULTS.adminToken;
		case "raw":
			return credential.value;
	}
}

export function build(c: HttpCase, fixtures: Fixtures): Built {
	const target = c.session.kind === "pool" ? pick(fixtures.pool, c.session.index) : undefined;
	const owner = target ?? pick(fixtures.pool, c.owner);
	const id = c.session.kind === "pool" ? owner.sessionId : c.session.encode ? encodeSegment(c.session.value) : c.session.value;
	const paths: Record<RouteName, string> = {
		createSession: "/api/sessions",
		session: `/api/sessions/${id}`,
		messages: `/api/sessions/${id}/messages`,
		socket: `/api/sessions/${id}/ws`,
		search: "/api/kb/search",
		article: `/api/admin/kb/articles/${c.articleId}`,
		faults: "/api/admin/faults",
		health: "/api/health",
		unknown: c.unknownPath,
	};

	const headers = new Headers({ "CF-Connecting-IP": c.ip });
	const h = c.headers;
	if (h.contentType !== undefined) headers.set("Content-Type", h.contentType);
	if (h.requestId !== undefined) headers.set("X-Request-Id", h.requestId);
	if (h.origin !== undefined) headers.set("Origin", h.origin);
	if (h.upgrade !== undefined) headers.set("Upgrade", h.upgrade);
	if (h.accept !== undefined) headers.set("Accept", h.accept);
	for (const [name, value] of h.extra) headers.append(name, value);
	if (h.huge !== undefined) headers.set("X-Fuzz-Padding", "p".repeat(h.huge));

	const params = [...c.query.params];
	const token = tokenFor(c.auth.credential, owner, fixtures);
	if (token !== undefined) {
		if (c.auth.placement === "header") headers.set("Authorization", `${c.auth.scheme}${token}`);
		else if (c.auth.placement === "query") params.push(["token", token]);
		else headers.set("Sec-WebSocket-Protocol", `chat.v1, bearer.${token}`);
	}
	const search = c.query.encode ? new URLSearchParams(params).toString() : params.map(([key, value]) => `${key}=${value}`).join("&");
	const queryText = [search, c.query.raw].filter((part) => part !== "").join("&");
	const path = queryText === "" ? paths[c.route] : `${paths[c.route]}?${queryText}`;

	const init: RequestInit = { method: c.method, headers };
	let bodyText: string | undefined;
	const method = effectiveMethod(c.method, headers);
	// fetch refuses a body on GET and HEAD (and drops it from an upgrade): those cases send none.
	if (c.body && method !== "GET" && method !== "HEAD") {
		if (c.body.kind === "text") {
			bodyText = c.body.text;
			init.body = c.body.stream ? new Blob([c.body.text]).stream() : c.body.text;
		} else {
			bodyText = new TextDecoder().decode(c.body.bytes);
			init.body = c.body.bytes;
		}
	}
	const sent = [path, safeDecode(path), ...[...headers].map(([name, value]) => `${name}: ${value}`), bodyText ?? ""].join("\n");
	return { path, init, target, checked: owner, sent, method, requestId: headers.get("X-Request-Id") ?? undefined, bodyText };
}

/**
 * The method the Worker sees. fetch normalizes the case of the standard
 * methods, and workerd's fetch turns any request but HEAD that carries
 * `Upgrade: websocket` into a GET WebSocket handshake (measured: DELETE,
 * POST, OPTIONS and PROPFIND all arrive as GET).
 */
function effectiveMethod(method: string, headers: Headers): string {
	const normalized = new Request(ORIGIN, { method }).method;
	if (normalized !== "HEAD" && headers.get("Upgrade")?.toLowerCase() === "websocket") return "GET";
	return normalized;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
