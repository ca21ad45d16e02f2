/**
 * Turns an HTTP fuzz case (http-cases.ts) into a request against the
 * session pool: fills the operation's path with live sessions, jobs or odd
 * text, forges the credentials the case asks for, and records what the
 * request carried for the leak oracle. A request that erases the session it
 * names (ERASING) names a disposable session, never one of the pool's.
 */
import { DEV_DEFAULTS } from "../../src/shared/config";
import { type Credential, encodeSegment, type HttpCase, type ParamRef } from "./http-cases";
import { ERASING, fuzzedOperation } from "./http-operations";
import { ORIGIN, type PoolSession } from "./support";

export interface Fixtures {
	/** The sessions whose transcripts the fuzz checks after every case. */
	pool: PoolSession[];
	/** Sessions the erasing operations may erase: made for it, and joined by every session a case created. */
	disposable: PoolSession[];
	/** Per session id: a token that expired a minute ago. */
	expired: Map<string, string>;
	/** Validly signed for a session that was never created. */
	neverCreated: string;
	/** Warming jobs the fuzz started, for the job status route. */
	jobs: string[];
	/** An agent's token (CONTRACT §7), for the agent routes. */
	agentToken: string;
}

/** A job id of the right shape that no job has: what a job reference names before the fuzz started any. */
const NO_SUCH_JOB = "job_notStartedByTheFuzz";

export interface Built {
	path: string;
	init: RequestInit;
	/** The documented operation the Worker runs for this request (`POST /api/sessions`), from the method it receives; undefined for unknown paths. */
	served: string | undefined;
	/** The pool (or disposable) session the path names, if it names one. */
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
		case "agent":
			return fixtures.agentToken;
		case "raw":
			return credential.value;
	}
}

export function build(c: HttpCase, fixtures: Fixtures): Built {
	const headers = new Headers({ "CF-Connecting-IP": c.ip });
	const h = c.headers;
	if (h.contentType !== undefined) headers.set("Content-Type", h.contentType);
	if (h.requestId !== undefined) headers.set("X-Request-Id", h.requestId);
	if (h.origin !== undefined) headers.set("Origin", h.origin);
	if (h.upgrade !== undefined) headers.set("Upgrade", h.upgrade);
	if (h.accept !== undefined) headers.set("Accept", h.accept);
	for (const [name, value] of h.extra) headers.append(name, value);
	if (h.huge !== undefined) headers.set("X-Fuzz-Padding", "p".repeat(h.huge));

	// The method decides which operation runs, and so whether a session named in the path may be erased.
	const method = effectiveMethod(c.method, headers);
	const op = fuzzedOperation(c.operation);
	const served = op ? `${method} ${op.template}` : undefined;
	const sessions = served !== undefined && ERASING.has(served) ? fixtures.disposable : fixtures.pool;
	let target: PoolSession | undefined;
	const segment = (ref: ParamRef | undefined): string => {
		if (ref === undefined) return "";
		switch (ref.kind) {
			case "pool":
				target = pick(sessions, ref.index);
				return target.sessionId;
			case "job":
				return fixtures.jobs.length > 0 ? pick(fixtures.jobs, ref.index) : NO_SUCH_JOB;
			case "text":
				return ref.encode ? encodeSegment(ref.value) : ref.value;
		}
	};
	const route = op ? op.template.replace(/\{([^}]+)\}/g, (_match, name: string) => segment(c.params[name])) : c.unknownPath;
	const owner = target ?? pick(fixtures.pool, c.owner);

	const params = [...c.query.params];
	const token = tokenFor(c.auth.credential, owner, fixtures);
	if (token !== undefined) {
		if (c.auth.placement === "header") headers.set("Authorization", `${c.auth.scheme}${token}`);
		else if (c.auth.placement === "query") params.push(["token", token]);
		else headers.set("Sec-WebSocket-Protocol", `chat.v1, ${op?.audience === "agent" ? "agent" : "bearer"}.${token}`);
	}
	const search = c.query.encode ? new URLSearchParams(params).toString() : params.map(([key, value]) => `${key}=${value}`).join("&");
	const queryText = [search, c.query.raw].filter((part) => part !== "").join("&");
	const path = queryText === "" ? route : `${route}?${queryText}`;

	const init: RequestInit = { method: c.method, headers };
	let bodyText: string | undefined;
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
	return { path, init, served, target, checked: owner, sent, method, requestId: headers.get("X-Request-Id") ?? undefined, bodyText };
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
