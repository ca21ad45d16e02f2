/**
 * `ChatApi` against a fake fetch: requests shaped as the contract says
 * (CONTRACT §1–§3), answers validated, and problem+json errors turned into
 * a typed `ProblemError`.
 */
import { describe, expect, it } from "vitest";
import { AdminApi, ChatApi, isRetryable, ProblemError, ProtocolError } from "../../src/sdk";
import { fakeFetch, json, message } from "./fakes";

const session = { sessionId: "ses_1", token: "tok" };
const problem = { type: "https://chat.test/problems/rate-limited", title: "Too Many Requests", status: 429, detail: "Slow down." };

describe("ChatApi", () => {
	it("creates a session with a JSON body and returns the validated answer", async () => {
		const fake = fakeFetch(json({ sessionId: "ses_1", token: "tok", expiresAt: "2026-01-01T00:00:00.000Z" }, 201));
		const api = new ChatApi({ baseUrl: "http://chat.test/", fetch: fake.fetch });
		expect(await api.createSession({ locale: "en" })).toEqual({ sessionId: "ses_1", token: "tok", expiresAt: "2026-01-01T00:00:00.000Z" });
		expect(fake.requests[0]).toMatchObject({ url: "http://chat.test/api/sessions", method: "POST", body: '{"locale":"en"}' });
		expect(fake.requests[0]?.headers.get("Content-Type")).toBe("application/json");
	});

	it("posts a message with the session's bearer token and its idempotency id", async () => {
		const fake = fakeFetch(json({ messageId: "m1", seq: 1, status: "queued", duplicate: false }, 202));
		const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fake.fetch });
		expect(await api.postMessage(session, { id: "m1", text: "hi" })).toEqual({
			messageId: "m1",
			seq: 1,
			status: "queued",
			duplicate: false,
		});
		expect(fake.requests[0]?.url).toBe("http://chat.test/api/sessions/ses_1/messages");
		expect(fake.requests[0]?.headers.get("Authorization")).toBe("Bearer tok");
		expect(fake.requests[0]?.body).toBe('{"id":"m1","text":"hi"}');
	});

	it("lists messages after a seq with a limit, and reads every page of a transcript", async () => {
		const { type: _a, ...first } = message(1, "u1");
		const { type: _b, ...second } = message(2, "a1", "assistant", { replyTo: ["u1"] });
		const fake = fakeFetch(
			json({ messages: [first], lastSeq: 2, hasMore: true }),
			json({ messages: [second], lastSeq: 2, hasMore: false }),
			json({ messages: [second], lastSeq: 2, hasMore: false }),
		);
		const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fake.fetch });
		expect((await api.allMessages(session)).map((m) => m.seq)).toEqual([1, 2]);
		expect(fake.requests.map((r) => new URL(r.url).search)).toEqual(["?after=0&limit=100", "?after=1&limit=100"]);
		await api.listMessages(session, { after: 1, limit: 5 });
		expect(new URL(fake.requests[2]?.url ?? "").search).toBe("?after=1&limit=5");
	});

	it("turns a problem+json answer into a ProblemError with status, title, detail and Retry-After", async () => {
		const fake = fakeFetch(json(problem, 429, { "Content-Type": "application/problem+json", "Retry-After": "12" }));
		const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fake.fetch });
		const error = await api.postMessage(session, { text: "hi" }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProblemError);
		expect(error).toMatchObject({ status: 429, title: "Too Many Requests", detail: "Slow down.", type: problem.type, retryAfter: 12 });
		expect(isRetryable(error)).toBe(true);
	});

	it("keeps a validation problem's field errors", async () => {
		const body = {
			...problem,
			status: 400,
			title: "Bad Request",
			detail: "Invalid body.",
			errors: [{ path: "text", message: "must not be empty" }],
		};
		const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fakeFetch(json(body, 400)).fetch });
		const error = await api.postMessage(session, { text: " " }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProblemError);
		expect(error).toMatchObject({ status: 400, errors: [{ path: "text", message: "must not be empty" }] });
		expect(isRetryable(error)).toBe(false);
	});

	it("still gives an error answer that is not problem+json a ProblemError with its status", async () => {
		const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fakeFetch(new Response("upstream down", { status: 502 })).fetch });
		const error = await api.getSession(session).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProblemError);
		expect(error).toMatchObject({ status: 502, detail: "upstream down" });
	});

	it("rejects a success answer outside the contract with a ProtocolError", async () => {
		const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fakeFetch(json({ messageId: "m1", seq: "1" }, 202)).fetch });
		await expect(api.postMessage(session, { text: "hi" })).rejects.toBeInstanceOf(ProtocolError);
	});

	it("sends the admin token as a bearer token on admin calls", async () => {
		const fake = fakeFetch(new Response(null, { status: 204 }));
		await new AdminApi({ baseUrl: "http://chat.test", fetch: fake.fetch, adminToken: "admin" }).clearFaults();
		expect(fake.requests[0]).toMatchObject({ url: "http://chat.test/api/admin/faults", method: "DELETE" });
		expect(fake.requests[0]?.headers.get("Authorization")).toBe("Bearer admin");
	});

	it("tells a created article from a replaced one", async () => {
		const article = { id: "a1", title: "T", body: "B", tags: [], updatedAt: "2026-01-01T00:00:00.000Z" };
		const fake = fakeFetch(json(article, 201), json(article, 200));
		const api = new AdminApi({ baseUrl: "http://chat.test", fetch: fake.fetch, adminToken: "admin" });
		expect((await api.putArticle("a1", { title: "T", body: "B" })).created).toBe(true);
		expect((await api.putArticle("a1", { title: "T", body: "B" })).created).toBe(false);
		expect(fake.requests.map((r) => [r.method, r.url])).toEqual([
			["PUT", "http://chat.test/api/admin/kb/articles/a1"],
			["PUT", "http://chat.test/api/admin/kb/articles/a1"],
		]);
	});

	it("reads the faults in force from POST and the fault state from GET /api/admin/faults", async () => {
		const faults = { aiDelayMs: 0, aiFailureRate: 0.5, aiFailureKind: "transient" };
		const fake = fakeFetch(json(faults), json({ faults, injected: { delayed: 0, failed_transient: 2, failed_permanent: 0 }, calls: 4 }));
		const admin = new AdminApi({ baseUrl: "http://chat.test", fetch: fake.fetch, adminToken: "admin" });
		expect(await admin.setFaults({ aiFailureRate: 0.5 })).toEqual(faults);
		expect((await admin.getFaults()).injected.failed_transient).toBe(2);
		expect(fake.requests.map((r) => [r.method, r.body])).toEqual([
			["POST", '{"aiFailureRate":0.5}'],
			["GET", undefined],
		]);
	});
});
