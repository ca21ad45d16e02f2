/**
 * Helpers for tests that drive the ingress app inside workerd with the real
 * bindings: raw requests for the tests that look at statuses and headers, and
 * the SDK's `ChatApi` over `app.request` for the calls a client would make.
 */
import { env } from "cloudflare:workers";
import { app } from "../../src/ingress/app";
import { ChatApi, type CreateSessionBody, type SessionCreated } from "../../src/sdk";

export { problemSchema, sessionCreatedSchema as sessionSchema } from "../../src/sdk";
export type TestSession = SessionCreated;

export function request(path: string, init: RequestInit = {}, bindings: object = env): Promise<Response> {
	return Promise.resolve(app.request(`http://localhost${path}`, init, bindings));
}

/** The SDK against the ingress app in this isolate: its `fetch` is `app.request` with the bindings. */
export function chatApi(bindings: object = env): ChatApi {
	return new ChatApi({ baseUrl: "http://localhost", fetch: async (input, init) => app.request(input, init, bindings) });
}

export function createSession(body?: CreateSessionBody): Promise<TestSession> {
	return chatApi().createSession(body);
}

export function postMessage(session: TestSession, body: unknown): Promise<Response> {
	return request(`/api/sessions/${session.sessionId}/messages`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Authorization: `Bearer ${session.token}` },
		body: JSON.stringify(body),
	});
}
