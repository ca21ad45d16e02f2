import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signSessionToken } from "../../src/ingress/session-token";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { acceptedSchema, healthSchema, kbSearchSchema, messagePageSchema, sessionCreatedSchema } from "../../src/shared/schemas/responses";
import { createSession, postMessage, problemSchema, request } from "../support/api";

async function expectProblem(response: Response, status: number) {
	expect(response.status).toBe(status);
	expect(response.headers.get("Content-Type")).toBe("application/problem+json");
	expect(response.headers.get("X-Request-Id")).toBeTruthy();
	const text = await response.text();
	expect(text).not.toMatch(/stack|at .*\.ts:\d+|SESSION_HUB|KNOWLEDGE_BASE/);
	const problem = problemSchema.parse(JSON.parse(text));
	expect(problem.status).toBe(status);
	return problem;
}

describe("sessions", () => {
	it("creates a session with a signed token that expires", async () => {
		const response = await request("/api/sessions", { method: "POST" });
		expect(response.status).toBe(201);
		const body = sessionCreatedSchema.parse(await response.json());
		expect(body.token.split(".")[1]).toBe(body.sessionId);
		expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
	});

	it("reads a session with its own token", async () => {
		const session = await createSession({ userId: "u1", locale: "en-GB", metadata: { plan: "team" } });
		const response = await request(`/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${session.token}` } });
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ sessionId: session.sessionId, lastSeq: 0, status: "open", summary: null });
	});

	it("refuses another session's token with 403", async () => {
		const [a, b] = await Promise.all([createSession(), createSession()]);
		await expectProblem(await request(`/api/sessions/${a.sessionId}`, { headers: { Authorization: `Bearer ${b.token}` } }), 403);
	});

	it("refuses a missing, forged or expired token with 401", async () => {
		const session = await createSession();
		await expectProblem(await request(`/api/sessions/${session.sessionId}`), 401);
		await expectProblem(
			await request(`/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${session.token}x` } }),
			401,
		);
		const expired = await signSessionToken(DEV_DEFAULTS.sessionSecret, session.sessionId, new Date(Date.now() - 1000));
		const problem = await expectProblem(
			await request(`/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${expired}` } }),
			401,
		);
		expect(problem.detail).toMatch(/expired/);
	});

	it("answers 401, not 503, for a signature of an impossible base64 length", async () => {
		const session = await createSession();
		const forged = `v1.${session.sessionId}.9999999999.AAAAA`;
		await expectProblem(await request(`/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${forged}` } }), 401);
	});

	it("answers 404 for a validly signed token whose session was never created", async () => {
		const token = await signSessionToken(DEV_DEFAULTS.sessionSecret, "ses_never", new Date(Date.now() + 60_000));
		await expectProblem(await request("/api/sessions/ses_never", { headers: { Authorization: `Bearer ${token}` } }), 404);
	});
});

describe("messages", () => {
	it("accepts a message durably and lists it", async () => {
		const session = await createSession();
		const response = await postMessage(session, { id: "first", text: "  How do I reset my password?  " });
		expect(response.status).toBe(202);
		expect(acceptedSchema.parse(await response.json())).toEqual({ messageId: "first", seq: 1, status: "queued", duplicate: false });
		const list = await request(`/api/sessions/${session.sessionId}/messages?after=0&limit=10`, {
			headers: { Authorization: `Bearer ${session.token}` },
		});
		const page = messagePageSchema.parse(await list.json());
		expect(page.messages[0]).toMatchObject({ seq: 1, id: "first", role: "user", text: "How do I reset my password?", status: "complete" });
	});

	it("returns the same messageId and seq for a repeated id, flagged duplicate", async () => {
		const session = await createSession();
		const first = acceptedSchema.parse(await (await postMessage(session, { id: "same", text: "hi" })).json());
		const again = acceptedSchema.parse(await (await postMessage(session, { id: "same", text: "hi" })).json());
		expect(again).toEqual({ ...first, duplicate: true });
	});

	it("generates an id when the client sends none", async () => {
		const session = await createSession();
		const body = acceptedSchema.parse(await (await postMessage(session, { text: "hello" })).json());
		expect(body.messageId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
	});

	it("pages with after, limit and hasMore", async () => {
		const session = await createSession();
		for (const n of [1, 2, 3]) await postMessage(session, { id: `m${n}`, text: `message ${n}` });
		const response = await request(`/api/sessions/${session.sessionId}/messages?after=1&limit=1`, {
			headers: { Authorization: `Bearer ${session.token}` },
		});
		const page = messagePageSchema.parse(await response.json());
		expect(page.messages.map((m) => m.seq)).toEqual([2]);
		expect(page.hasMore).toBe(true);
	});

	it("lists each invalid field", async () => {
		const session = await createSession();
		const problem = await expectProblem(await postMessage(session, { id: "bad id", text: "" }), 400);
		expect(problem.errors?.map((e) => e.path).sort()).toEqual(["id", "text"]);
	});

	it("refuses a body over 32 KiB with 413, even without Content-Length", async () => {
		const session = await createSession();
		const big = JSON.stringify({ text: "x".repeat(40 * 1024) });
		const stream = new Blob([big]).stream();
		await expectProblem(
			await request(`/api/sessions/${session.sessionId}/messages`, {
				method: "POST",
				headers: { "Content-Type": "application/json", Authorization: `Bearer ${session.token}` },
				body: stream,
			}),
			413,
		);
	});

	it("refuses a non-JSON body with 415 and malformed JSON with 400", async () => {
		const session = await createSession();
		const headers = { Authorization: `Bearer ${session.token}` };
		const path = `/api/sessions/${session.sessionId}/messages`;
		await expectProblem(await request(path, { method: "POST", headers: { ...headers, "Content-Type": "text/plain" }, body: "hi" }), 415);
		await expectProblem(
			await request(path, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: "{" }),
			400,
		);
	});

	it("reads a JSON body past a leading byte order mark, as RFC 8259 §8.1 allows, and nothing else before it", async () => {
		const session = await createSession();
		const init = (body: string) => ({
			method: "POST",
			headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
			body,
		});
		const path = `/api/sessions/${session.sessionId}/messages`;
		const accepted = await request(path, init('\uFEFF{"id":"bom-1","text":"hi"}'));
		expect(accepted.status).toBe(202);
		expect(acceptedSchema.parse(await accepted.json()).messageId).toBe("bom-1");
		await expectProblem(await request(path, init('\uFEFF\uFEFF{"text":"hi"}')), 400);
		await expectProblem(await request(path, init('\u200B{"text":"hi"}')), 400);
	});
});

describe("conventions", () => {
	it("echoes a valid X-Request-Id and replaces an invalid one", async () => {
		expect((await request("/api/health", { headers: { "X-Request-Id": "abc-123" } })).headers.get("X-Request-Id")).toBe("abc-123");
		const replaced = (await request("/api/health", { headers: { "X-Request-Id": "bad id with spaces" } })).headers.get("X-Request-Id");
		expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("answers 404 for unknown routes and 405 with Allow for wrong methods", async () => {
		await expectProblem(await request("/api/nope"), 404);
		const response = await request("/api/sessions", { method: "DELETE" });
		expect(response.headers.get("Allow")).toBe("POST");
		await expectProblem(response, 405);
	});

	it("answers 426 to a plain GET on the socket route", async () => {
		const session = await createSession();
		await expectProblem(await request(`/api/sessions/${session.sessionId}/ws?token=${session.token}`), 426);
	});

	it("refuses a socket from a foreign Origin", async () => {
		const session = await createSession();
		const response = await request(`/api/sessions/${session.sessionId}/ws?token=${session.token}`, {
			headers: { Upgrade: "websocket", Origin: "https://evil.example" },
		});
		await expectProblem(response, 403);
	});

	it("answers 503, without details, when production is left with development secrets", async () => {
		const production = { ...env, ENVIRONMENT: "production" };
		const problem = await expectProblem(await request("/api/sessions", { method: "POST" }, production), 503);
		expect(problem.detail).not.toMatch(/SECRET|TOKEN/);
	});
});

describe("knowledge base routes", () => {
	const admin = { Authorization: "Bearer dev-admin-token", "Content-Type": "application/json" };

	it("searches publicly", async () => {
		const response = await request("/api/kb/search?q=reset%20password&limit=2");
		const body = kbSearchSchema.parse(await response.json());
		expect(body.results[0]?.id).toBe("reset-password");
		expect(body.results.length).toBeLessThanOrEqual(2);
	});

	it("creates with 201, replaces with 200, reads and deletes with 204", async () => {
		const article = {
			title: "Office hours",
			body: "Brightdesk staff answer calls 9 to 5.",
			url: "https://help.example/hours",
			tags: ["support"],
		};
		expect(
			(await request("/api/admin/kb/articles/office-hours", { method: "PUT", headers: admin, body: JSON.stringify(article) })).status,
		).toBe(201);
		expect(
			(await request("/api/admin/kb/articles/office-hours", { method: "PUT", headers: admin, body: JSON.stringify(article) })).status,
		).toBe(200);
		const read = await request("/api/admin/kb/articles/office-hours", { headers: admin });
		expect(await read.json()).toMatchObject({ id: "office-hours", ...article });
		expect((await request("/api/admin/kb/articles/office-hours", { method: "DELETE", headers: admin })).status).toBe(204);
		await expectProblem(await request("/api/admin/kb/articles/office-hours", { headers: admin }), 404);
	});

	it("refuses admin routes without the admin token", async () => {
		await expectProblem(await request("/api/admin/kb/articles/x"), 401);
		await expectProblem(await request("/api/admin/kb/articles/x", { headers: { Authorization: "Bearer nope" } }), 401);
	});

	it("validates article bodies field by field", async () => {
		const problem = await expectProblem(
			await request("/api/admin/kb/articles/x", {
				method: "PUT",
				headers: admin,
				body: JSON.stringify({ title: "", body: "b", url: "javascript:alert(1)" }),
			}),
			400,
		);
		expect(problem.errors?.map((e) => e.path).sort()).toEqual(["title", "url"]);
	});
});

describe("health", () => {
	const failing = { get: () => Promise.reject(new Error("boom")), head: () => Promise.reject(new Error("boom")) };

	it("reports ok with every check and its latency", async () => {
		const response = await request("/api/health");
		expect(response.status).toBe(200);
		const body = healthSchema.parse(await response.json());
		expect(body).toMatchObject({ status: "ok", version: "0.1.0" });
		expect(Object.keys(body.checks).sort()).toEqual([
			"backOffice",
			"knowledgeBase",
			"kv",
			"metricsStore",
			"provider",
			"queues",
			"r2",
			"sessionHub",
		]);
		expect(Object.values(body.checks).every((check) => check.status === "ok")).toBe(true);
	});

	it("is degraded, still 200, when KV or R2 fails", async () => {
		const response = await request("/api/health", {}, { ...env, CACHE: failing, ARCHIVE: failing });
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({
			status: "degraded",
			checks: { kv: { status: "down", detail: "unavailable" }, r2: { status: "down" }, sessionHub: { status: "ok" } },
		});
	});

	it("is degraded, still 200, when the back office cannot be reached, and says nothing of where it is", async () => {
		const response = await request("/api/health", {}, { ...env, BACKOFFICE_URL: "http://127.0.0.1:9" });
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(text).not.toContain("127.0.0.1");
		expect(JSON.parse(text)).toMatchObject({
			status: "degraded",
			checks: { backOffice: { status: "down" }, sessionHub: { status: "ok" } },
		});
	});

	it("is down with 503 when the session hubs cannot be reached, with no internals in the body", async () => {
		const hubs = { idFromName: () => ({}), get: () => ({ info: () => Promise.reject(new Error("SESSION_HUB exploded")) }) };
		const response = await request("/api/health", {}, { ...env, SESSION_HUB: hubs });
		expect(response.status).toBe(503);
		const text = await response.text();
		expect(text).not.toContain("exploded");
		expect(JSON.parse(text)).toMatchObject({ status: "down", checks: { sessionHub: { status: "down", detail: "unavailable" } } });
	});

	it("is down when the Workers AI binding is missing for the workers-ai provider", async () => {
		const response = await request("/api/health", {}, { ...env, AI_PROVIDER: "workers-ai", AI: undefined });
		expect(response.status).toBe(503);
		expect(await response.json()).toMatchObject({ checks: { provider: { status: "down" } } });
	});
});
