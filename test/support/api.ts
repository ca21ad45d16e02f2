/** Helpers for tests that drive the ingress app inside workerd with the real bindings. */
import { env } from "cloudflare:workers";
import { z } from "zod";
import { app } from "../../src/ingress/app";

export const sessionSchema = z.object({ sessionId: z.string(), token: z.string(), expiresAt: z.string() });
export type TestSession = z.infer<typeof sessionSchema>;

export function request(path: string, init: RequestInit = {}, bindings: object = env): Promise<Response> {
	return Promise.resolve(app.request(`http://localhost${path}`, init, bindings));
}

export async function createSession(body?: unknown): Promise<TestSession> {
	const init: RequestInit =
		body === undefined
			? { method: "POST" }
			: { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
	const response = await request("/api/sessions", init);
	if (response.status !== 201) throw new Error(`session creation failed: ${response.status} ${await response.text()}`);
	return sessionSchema.parse(await response.json());
}

export function postMessage(session: TestSession, body: unknown): Promise<Response> {
	return request(`/api/sessions/${session.sessionId}/messages`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Authorization: `Bearer ${session.token}` },
		body: JSON.stringify(body),
	});
}

export const problemSchema = z.object({
	type: z.string(),
	title: z.string(),
	status: z.number(),
	detail: z.string(),
	errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
