/**
 * Refusals (CONTRACT §1–§5): every bad HTTP request gets the documented
 * status as problem+json with a request id and nothing internal; every bad
 * WebSocket frame gets a `bad_frame` error on a socket that stays open, an
 * oversized frame closes it with 1009, and the per-session message limit
 * answers 429 with Retry-After.
 */
import { STATUS_CODES } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import {
	ADMIN_TOKEN,
	acceptedSchema,
	bearer,
	clientId,
	createSession,
	getMessages,
	type HttpResult,
	JSON_HEADERS,
	mintToken,
	parseJson,
	postMessage,
	postMessageRaw,
	problemSchema,
	request,
	type Session,
	sleep,
} from "./support/api";
import {
	chatProtocols,
	isType,
	type MessageFrame,
	openChat,
	pingPong,
	refusedHandshake,
	type SocketClient,
	socketUrl,
} from "./support/ws-client";

let server: DevServer;
/** The session most requests aim at, and a second one whose token must not open the first. */
let session: Session;
let other: Session;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	server = await startDevServer();
	[session, other] = await Promise.all([createSession(server.url), createSession(server.url)]);
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

/**
 * RFC 9457 §4.2.1: with type "about:blank" the title is the status's reason
 * phrase (RFC 9110). Node's own table is the independent witness, rather than
 * the server's; it predates one rename of RFC 9110: 413 is "Content Too Large"
 * (§15.5.14), no longer "Payload Too Large".
 */
function reasonPhrase(status: number): string | undefined {
	return status === 413 ? "Content Too Large" : STATUS_CODES[status];
}

const url = (path: string) => `${server.url}${path}`;
const messagesPath = () => `/api/sessions/${session.sessionId}/messages`;
const postJson = (path: string, body: string, headers: Record<string, string> = bearer(session.token)) =>
	request(url(path), { method: "POST", headers: { ...JSON_HEADERS, ...headers }, body });
const postText = (text: string) => postJson(messagesPath(), JSON.stringify({ text }));
const getAuthed = (path: string, token = session.token) => request(url(path), { headers: bearer(token) });
const inAnHour = () => new Date(Date.now() + 3600_000);

interface BadInput {
	name: string;
	status: number;
	/** For validation failures: the `errors[].path` the problem must list, in order. */
	errorPaths?: string[];
	/** For 405: the methods the `Allow` header must list. */
	allow?: string;
	send: () => Promise<HttpResult>;
}

const badInputs: BadInput[] = [
	{ name: "malformed JSON", status: 400, send: () => postJson(messagesPath(), '{"text": "hello",') },
	{
		name: "a text/plain body",
		status: 415,
		send: () =>
			request(url(messagesPath()), {
				method: "POST",
				headers: { "Content-Type": "text/plain", ...bearer(session.token) },
				body: JSON.stringify({ text: "hello" }),
			}),
	},
	{ name: "a 40 KiB body", status: 413, send: () => postText("x".repeat(40 * 1024)) },
	{
		name: "an unknown body field",
		status: 400,
		errorPaths: ["foo"],
		send: () => postJson(messagesPath(), JSON.stringify({ text: "hello", foo: 1 })),
	},
	{ name: "a missing text", status: 400, errorPaths: ["text"], send: () => postJson(messagesPath(), "{}") },
	{ name: "an empty text", status: 400, errorPaths: ["text"], send: () => postText("") },
	{ name: "a whitespace-only text", status: 400, errorPaths: ["text"], send: () => postText(" \n\t  ") },
	{ name: "a text of 2001 characters", status: 400, errorPaths: ["text"], send: () => postText("a".repeat(2001)) },
	{
		name: "a message id outside ^[A-Za-z0-9_-]{1,64}$",
		status: 400,
		errorPaths: ["id"],
		send: () => postJson(messagesPath(), JSON.stringify({ id: "bad id!", text: "hello" })),
	},
	{
		name: "a message id of 65 characters",
		status: 400,
		errorPaths: ["id"],
		send: () => postJson(messagesPath(), JSON.stringify({ id: "a".repeat(65), text: "hello" })),
	},
	{
		name: "session metadata over 2 KiB",
		status: 400,
		errorPaths: ["metadata"],
		send: () => postJson("/api/sessions", JSON.stringify({ metadata: { note: "m".repeat(2100) } }), {}),
	},
	{
		name: "a session userId of 129 characters",
		status: 400,
		errorPaths: ["userId"],
		send: () => postJson("/api/sessions", JSON.stringify({ userId: "u".repeat(129) }), {}),
	},
	{ name: "a missing token", status: 401, send: () => postJson(messagesPath(), JSON.stringify({ text: "hello" }), {}) },
	{
		name: "a non-bearer Authorization header",
		status: 401,
		send: () => request(url(`/api/sessions/${session.sessionId}`), { headers: { Authorization: `Basic ${btoa("user:pass")}` } }),
	},
	{
		name: "a token signed with another secret",
		status: 401,
		send: async () =>
			getAuthed(`/api/sessions/${session.sessionId}`, await mintToken(session.sessionId, inAnHour(), "not-the-server-secret")),
	},
	{
		name: "an expired token",
		status: 401,
		send: async () => getAuthed(`/api/sessions/${session.sessionId}`, await mintToken(session.sessionId, new Date(Date.now() - 60_000))),
	},
	{ name: "another session's token", status: 403, send: () => getAuthed(`/api/sessions/${session.sessionId}`, other.token) },
	{
		name: "an unknown session, with a valid token for it",
		status: 404,
		send: async () => getAuthed("/api/sessions/ses_doesNotExist", await mintToken("ses_doesNotExist", inAnHour())),
	},
	{ name: "an unknown route", status: 404, send: () => request(url("/api/no-such-route")) },
	{
		name: "PATCH on a session",
		status: 405,
		allow: "GET, DELETE",
		send: () => request(url(`/api/sessions/${session.sessionId}`), { method: "PATCH", headers: bearer(session.token) }),
	},
	{
		name: "PUT on the messages collection",
		status: 405,
		allow: "GET, POST",
		send: () => request(url(messagesPath()), { method: "PUT", headers: { ...JSON_HEADERS, ...bearer(session.token) }, body: "{}" }),
	},
	{ name: "GET on the sessions collection", status: 405, allow: "POST", send: () => request(url("/api/sessions")) },
	{ name: "limit=0", status: 400, errorPaths: ["limit"], send: () => getAuthed(`${messagesPath()}?limit=0`) },
	{ name: "limit=101", status: 400, errorPaths: ["limit"], send: () => getAuthed(`${messagesPath()}?limit=101`) },
	{ name: "after=-1", status: 400, errorPaths: ["after"], send: () => getAuthed(`${messagesPath()}?after=-1`) },
	{ name: "after=1.5", status: 400, errorPaths: ["after"], send: () => getAuthed(`${messagesPath()}?after=1.5`) },
	{ name: "a knowledge-base search without q", status: 400, errorPaths: ["q"], send: () => request(url("/api/kb/search")) },
	{ name: "a knowledge-base search with a blank q", status: 400, errorPaths: ["q"], send: () => request(url("/api/kb/search?q=%20%20")) },
	{
		name: "a knowledge-base search with limit=21",
		status: 400,
		errorPaths: ["limit"],
		send: () => request(url("/api/kb/search?q=refund&limit=21")),
	},
	{ name: "an admin route without a token", status: 401, send: () => request(url("/api/admin/kb/articles/refund-policy")) },
	{
		name: "an admin route with a wrong token",
		status: 401,
		send: () => request(url("/api/admin/kb/articles/refund-policy"), { headers: bearer("not-the-admin-token") }),
	},
	{
		name: "an admin route with a session token",
		status: 401,
		send: () => request(url("/api/admin/kb/articles/refund-policy"), { headers: bearer(session.token) }),
	},
	{
		name: "an unknown article",
		status: 404,
		send: () => request(url("/api/admin/kb/articles/no-such-article"), { headers: bearer(ADMIN_TOKEN) }),
	},
	{
		name: "an article without a title",
		status: 400,
		errorPaths: ["title"],
		send: () => postJsonAs("PUT", "/api/admin/kb/articles/untitled", JSON.stringify({ body: "Some text." }), bearer(ADMIN_TOKEN)),
	},
	{ name: "GET on the socket route without an upgrade", status: 426, send: () => getAuthed(`/api/sessions/${session.sessionId}/ws`) },
	{
		name: "a WebSocket handshake with a bad token",
		status: 401,
		send: () => refusedHandshake(socketUrl(server.url, session.sessionId), chatProtocols("v1.nope.1.AAAA")),
	},
	{
		name: "a WebSocket handshake with another session's ?token=",
		status: 403,
		send: () => refusedHandshake(socketUrl(server.url, session.sessionId, { token: other.token })),
	},
	{
		name: "a WebSocket handshake from a foreign Origin",
		status: 403,
		send: () =>
			refusedHandshake(socketUrl(server.url, session.sessionId), chatProtocols(session.token), { origin: "https://evil.example" }),
	},
	{
		name: "a WebSocket handshake with after=-1",
		status: 400,
		errorPaths: ["after"],
		send: () => refusedHandshake(socketUrl(server.url, session.sessionId, { token: session.token }).replace(/\?/, "?after=-1&")),
	},
];

function postJsonAs(method: string, path: string, body: string, headers: Record<string, string>): Promise<HttpResult> {
	return request(url(path), { method, headers: { ...JSON_HEADERS, ...headers }, body });
}

describe("bad HTTP input", () => {
	it("covers at least 22 kinds of bad input", () => {
		expect(badInputs.length).toBeGreaterThanOrEqual(22);
	});

	it.each(badInputs)("$name → $status problem+json", async ({ status, errorPaths, allow, send }) => {
		const result = await send();
		expect(result.status, result.body).toBe(status);
		expect(result.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
		expect(result.headers.get("X-Request-Id")).toMatch(/\S/);
		expect(result.body).not.toMatch(/stack/i);

		const problem = parseJson(problemSchema, result);
		expect(problem.status).toBe(status);
		expect(problem.title).toBe(reasonPhrase(status));
		expect(problem.type).toEqual(expect.any(String));
		expect(problem.detail).toEqual(expect.any(String));
		if (errorPaths) expect(problem.errors?.map((e) => e.path)).toEqual(errorPaths);
		else expect(problem.errors).toBeUndefined();
		if (allow) expect(result.headers.get("Allow")).toBe(allow);
	});

	it("echoes a valid incoming X-Request-Id", async () => {
		const result = await request(url("/api/no-such-route"), { headers: { "X-Request-Id": "trace-0123:abc.def" } });
		expect(result.headers.get("X-Request-Id")).toBe("trace-0123:abc.def");
	});

	it("replaces an invalid incoming X-Request-Id with its own", async () => {
		const result = await request(url("/api/health"), { headers: { "X-Request-Id": "has spaces and <html>" } });
		expect(result.headers.get("X-Request-Id")).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
	});

	it("still accepts a text of exactly 2000 characters after trimming", async () => {
		const fresh = await createSession(server.url);
		const accepted = await postMessage(server.url, fresh, { text: `  ${"a".repeat(2000)}  ` });
		expect(accepted).toMatchObject({ seq: 1, duplicate: false });
		const [stored] = (await getMessages(server.url, fresh)).messages;
		expect(stored?.text).toBe("a".repeat(2000));
	});
});

interface BadFrame {
	name: string;
	frame: string | Buffer;
}

const badFrames: BadFrame[] = [
	{ name: "non-JSON text", frame: "hello there" },
	{ name: "JSON that is not an object", frame: "[1,2,3]" },
	{ name: "JSON of an unknown type", frame: JSON.stringify({ type: "subscribe", channel: "all" }) },
	{ name: "a send with an empty text", frame: JSON.stringify({ type: "send", text: "" }) },
	{ name: "a send with a whitespace-only text", frame: JSON.stringify({ type: "send", text: "   " }) },
	{ name: "a send with a 2001-character text", frame: JSON.stringify({ type: "send", text: "a".repeat(2001) }) },
	{ name: "a send with a bad id", frame: JSON.stringify({ type: "send", id: "no spaces allowed", text: "hello" }) },
	{ name: "a send with an unknown field", frame: JSON.stringify({ type: "send", text: "hello", priority: "high" }) },
	{ name: "a binary frame, even holding a valid send", frame: Buffer.from(JSON.stringify({ type: "send", text: "hello" })) },
];

describe("bad WebSocket frames", () => {
	let frameSession: Session;

	beforeAll(async () => {
		frameSession = await createSession(server.url);
	});

	it.each(badFrames)("$name gets a bad_frame error and the socket stays open", async ({ frame }) => {
		const client = await openChat(server.url, frameSession);
		sockets.push(client);
		const since = client.frames.length;
		client.send(frame);
		const error = await client.waitFor(isType("error"), 5000, since);
		expect(error).toEqual({ type: "error", code: "bad_frame", message: expect.any(String) });
		await pingPong(client);
		expect(client.isOpen()).toBe(true);
		expect(client.frames.slice(since).filter((f) => f.type === "message")).toEqual([]);
		await client.close();
	});

	it("stores nothing for any of the bad frames", async () => {
		expect((await getMessages(server.url, frameSession)).lastSeq).toBe(0);
	});

	it("closes the socket with 1009 on a 17 KiB frame", async () => {
		const client = await openChat(server.url, frameSession);
		sockets.push(client);
		client.send(JSON.stringify({ type: "send", text: "a".repeat(17 * 1024) }));
		const closed = await Promise.race([client.closed, sleep(10_000).then(() => undefined)]);
		expect(closed?.code).toBe(1009);
	});
});

describe("the per-session message limit (30 per 60 s)", () => {
	const LIMIT = 30;
	let limited: Session;
	let statuses: number[];

	beforeAll(async () => {
		limited = await createSession(server.url);
		// The local limiter counts in fixed 60 s windows aligned to the clock; start early in one
		// so that all 31 requests land in the same window.
		const leftInWindow = 60_000 - (Date.now() % 60_000);
		if (leftInWindow < 15_000) await sleep(leftInWindow + 250);
		statuses = [];
		for (let i = 1; i <= LIMIT; i++)
			statuses.push((await postMessageRaw(server.url, limited, { id: `rl_${i}`, text: `Question ${i}` })).status);
	});

	it("accepts the first 30 messages", () => {
		expect(statuses).toEqual(Array.from({ length: LIMIT }, () => 202));
	});

	it("refuses the 31st POST with 429 and a Retry-After header", async () => {
		const result = await postMessageRaw(server.url, limited, { id: "rl_31", text: "One too many" });
		expect(result.status).toBe(429);
		expect(result.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
		expect(result.headers.get("Retry-After")).toMatch(/^[1-9]\d*$/);
		expect(result.headers.get("X-Request-Id")).toMatch(/\S/);
		expect(parseJson(problemSchema, result)).toMatchObject({ status: 429, title: "Too Many Requests" });
	});

	it("still answers a POST retry of an already accepted id with 202 duplicate, as a send-frame resend is", async () => {
		const result = await postMessageRaw(server.url, limited, { id: "rl_1", text: "Question 1" });
		expect(result.status, result.body).toBe(202);
		expect(parseJson(acceptedSchema, result)).toEqual({ messageId: "rl_1", seq: 1, status: "queued", duplicate: true });
	});

	it("still answers a send-frame resend of an already accepted id with the stored message", async () => {
		const client = await openChat(server.url, limited);
		sockets.push(client);
		const since = client.frames.length;
		client.send({ type: "send", id: "rl_2", text: "Question 2" });
		const echoed = await client.waitFor((f): f is MessageFrame => f.type === "message" && f.id === "rl_2", 5000, since);
		expect(echoed).toMatchObject({ seq: 2, role: "user" });
		expect(client.frames.slice(since).filter(isType("error"))).toEqual([]);
	});

	it("refuses a send frame over the same limit with a rate_limited error, and keeps the socket open", async () => {
		const client = await openChat(server.url, limited);
		sockets.push(client);
		const since = client.frames.length;
		const id = clientId("rl");
		client.send({ type: "send", id, text: "And one more over the socket" });
		const error = await client.waitFor(isType("error"), 5000, since);
		expect(error).toEqual({ type: "error", code: "rate_limited", message: expect.any(String) });
		await pingPong(client);
		expect(client.frames.slice(since).filter((f): f is MessageFrame => f.type === "message" && f.id === id)).toEqual([]);
	});
});
