/**
 * The HTTP face of history and erasure (CONTRACT §2, §3, §6): DELETE with the
 * right and wrong tokens, the admin storage view, and `after` at and beyond
 * the end of the transcript.
 */
import { describe, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { sessionStorageSchema } from "../../src/shared/schemas/responses";
import { createSession, postMessage, problemSchema, request } from "../support/api";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function expectProblem(response: Response, status: number): Promise<void> {
	expect(response.status).toBe(status);
	expect(response.headers.get("Content-Type")).toBe("application/problem+json");
	expect(problemSchema.parse(await response.json()).status).toBe(status);
}

describe("DELETE /api/sessions/:id", () => {
	it("erases the session with its own token: 204, then 404 everywhere", async () => {
		const session = await createSession();
		expect((await postMessage(session, { text: "Please forget me." })).status).toBe(202);
		const erased = await request(`/api/sessions/${session.sessionId}`, { method: "DELETE", headers: bearer(session.token) });
		expect(erased.status).toBe(204);
		expect(await erased.text()).toBe("");
		await expectProblem(await request(`/api/sessions/${session.sessionId}`, { headers: bearer(session.token) }), 404);
		await expectProblem(await request(`/api/sessions/${session.sessionId}/messages`, { headers: bearer(session.token) }), 404);
		await expectProblem(await postMessage(session, { text: "Still there?" }), 404);
		await expectProblem(await request(`/api/sessions/${session.sessionId}`, { method: "DELETE", headers: bearer(session.token) }), 404);
	});

	it("refuses another session's token (403) and no token (401), erasing nothing", async () => {
		const [mine, theirs] = await Promise.all([createSession(), createSession()]);
		await expectProblem(await request(`/api/sessions/${mine.sessionId}`, { method: "DELETE", headers: bearer(theirs.token) }), 403);
		await expectProblem(await request(`/api/sessions/${mine.sessionId}`, { method: "DELETE" }), 401);
		expect((await request(`/api/sessions/${mine.sessionId}`, { headers: bearer(mine.token) })).status).toBe(200);
	});
});

describe("GET /api/admin/sessions/:id/storage", () => {
	it("shows hot and archived counts to an admin", async () => {
		const session = await createSession();
		await postMessage(session, { text: "How do I export my data?" });
		const response = await request(`/api/admin/sessions/${session.sessionId}/storage`, { headers: bearer(DEV_DEFAULTS.adminToken) });
		expect(response.status).toBe(200);
		const body = sessionStorageSchema.parse(await response.json());
		expect(body).toMatchObject({ hotMessages: expect.any(Number), archivedMessages: 0, archiveSegments: 0, summaryThroughSeq: null });
		expect(body.sqliteBytes).toBeGreaterThan(0);
	});

	it("refuses a session token (401) and answers 404 for an unknown session", async () => {
		const session = await createSession();
		await expectProblem(await request(`/api/admin/sessions/${session.sessionId}/storage`, { headers: bearer(session.token) }), 401);
		await expectProblem(await request("/api/admin/sessions/ses_nobody/storage", { headers: bearer(DEV_DEFAULTS.adminToken) }), 404);
	});
});

describe("GET /api/sessions/:id/messages?after=", () => {
	it("answers an empty last page for `after` at or beyond lastSeq, and 400 for negative or absurd values", async () => {
		const session = await createSession();
		await postMessage(session, { text: "Hello there." });
		const list = (query: string) => request(`/api/sessions/${session.sessionId}/messages?${query}`, { headers: bearer(session.token) });
		for (const after of ["1", "5", "999999999"]) {
			const response = await list(`after=${after}`);
			expect(response.status).toBe(200);
			expect(await response.json()).toMatchObject({ messages: [], hasMore: false });
		}
		for (const after of ["-1", "1e400", "9007199254740991", "x"]) await expectProblem(await list(`after=${after}`), 400);
	});
});

describe("wrong methods on the new routes", () => {
	it("answers 405 with Allow", async () => {
		const session = await createSession();
		const patch = await request(`/api/sessions/${session.sessionId}`, { method: "PATCH", headers: bearer(session.token) });
		expect(patch.headers.get("Allow")).toBe("GET, DELETE");
		await expectProblem(patch, 405);
		const post = await request(`/api/admin/sessions/${session.sessionId}/storage`, {
			method: "POST",
			headers: bearer(DEV_DEFAULTS.adminToken),
		});
		expect(post.headers.get("Allow")).toBe("GET");
		await expectProblem(post, 405);
	});
});
