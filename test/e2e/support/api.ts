/**
 * The public HTTP API as a client sees it (CONTRACT §1–§3): the SDK's
 * `ChatApi`, given strict variants of the shared schemas so an extra or
 * missing field fails the test that met it, plus raw requests for the tests
 * that send what no client would. Also mints tokens the way only the server
 * should be able to (expired ones, other sessions'), with the documented
 * development secret.
 */
import type * as z from "zod/mini";
import { signSessionToken } from "../../../src/ingress/session-token";
import { AdminApi, ChatApi } from "../../../src/sdk/node";
import { DEV_DEFAULTS } from "../../../src/shared/config";
import { type Message, messageSchema as sharedMessageSchema } from "../../../src/shared/schemas/message";
import type { Accepted, MessagePage, SessionCreated } from "../../../src/shared/schemas/responses";
import * as shared from "../../../src/shared/schemas/responses";
import { strict } from "../../support/strict";

export const ADMIN_TOKEN = DEV_DEFAULTS.adminToken;

/** How long a reply may take on a loaded 2-core machine before a test gives up. */
export const REPLY_TIMEOUT_MS = 20_000;

// The shared schemas, with unknown fields refused at every depth (test/support/strict.ts).
export const messageSchema = strict(sharedMessageSchema);
export type ApiMessage = Message;
export type { Accepted, MessagePage };
export const sessionCreatedSchema = strict(shared.sessionCreatedSchema);
export type Session = SessionCreated;
export const sessionInfoSchema = strict(shared.sessionInfoSchema);
export const acceptedSchema = strict(shared.acceptedSchema);
export const messagePageSchema = strict(shared.messagePageSchema);
export const problemSchema = strict(shared.problemSchema);

/** A response reduced to what the tests look at, from fetch or from a refused WebSocket handshake. */
export interface HttpResult {
	status: number;
	headers: Headers;
	body: string;
}

export async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
	const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
	return { status: response.status, headers: response.headers, body: await response.text() };
}

export function bearer(token: string): Record<string, string> {
	return { Authorization: `Bearer ${token}` };
}

export const JSON_HEADERS = { "Content-Type": "application/json" } as const;

export function parseJson<S extends z.ZodMiniType>(schema: S, result: HttpResult): z.output<S> {
	let json: unknown;
	try {
		json = JSON.parse(result.body);
	} catch (error) {
		throw new Error(`HTTP ${result.status}: body is not JSON: ${result.body.slice(0, 500)}`, { cause: error });
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) throw new Error(`HTTP ${result.status}: unexpected body ${result.body.slice(0, 500)}: ${parsed.error.message}`);
	return parsed.data;
}

/** The SDK's HTTP client for `baseUrl`, validating answers with the strict variants above. */
export function api(baseUrl: string): ChatApi {
	return new ChatApi({
		baseUrl,
		schemas: {
			sessionCreated: sessionCreatedSchema,
			sessionInfo: sessionInfoSchema,
			accepted: acceptedSchema,
			messagePage: messagePageSchema,
			problem: problemSchema,
		},
	});
}

/** The SDK's admin calls for `baseUrl`, with the development admin token. */
export function admin(baseUrl: string): AdminApi {
	return new AdminApi({ baseUrl, adminToken: ADMIN_TOKEN });
}

export function createSession(baseUrl: string, body?: Parameters<ChatApi["createSession"]>[0]): Promise<Session> {
	return api(baseUrl).createSession(body);
}

export function getSession(baseUrl: string, session: Session): Promise<z.output<typeof sessionInfoSchema>> {
	return api(baseUrl).getSession(session);
}

/** POSTs a message and returns the raw result; `accepted` parses a 202. */
export function postMessageRaw(baseUrl: string, session: Session, body: { id?: string; text: string }): Promise<HttpResult> {
	return request(`${baseUrl}/api/sessions/${session.sessionId}/messages`, {
		method: "POST",
		headers: { ...JSON_HEADERS, ...bearer(session.token) },
		body: JSON.stringify(body),
	});
}

export function postMessage(baseUrl: string, session: Session, body: { id?: string; text: string }): Promise<Accepted> {
	return api(baseUrl).postMessage(session, body);
}

export function getMessages(baseUrl: string, session: Session, query: { after?: number; limit?: number } = {}): Promise<MessagePage> {
	return api(baseUrl).listMessages(session, query);
}

/** Polls the transcript until `done` holds, bounded by `timeoutMs`. */
export async function waitForTranscript(
	baseUrl: string,
	session: Session,
	done: (page: MessagePage) => boolean,
	timeoutMs = REPLY_TIMEOUT_MS,
): Promise<MessagePage> {
	const deadline = Date.now() + timeoutMs;
	let page = await getMessages(baseUrl, session, { limit: 100 });
	while (!done(page)) {
		if (Date.now() > deadline) throw new Error(`transcript did not settle within ${timeoutMs} ms: ${JSON.stringify(page)}`);
		await sleep(150);
		page = await getMessages(baseUrl, session, { limit: 100 });
	}
	return page;
}

/** The replies (assistant or system) that answer the user message `id`. */
export function repliesTo(messages: readonly ApiMessage[], id: string): ApiMessage[] {
	return messages.filter((m) => m.role !== "user" && (m.replyTo ?? []).includes(id));
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A correctly signed token for any session id and expiry, as the server would mint it. */
export function mintToken(sessionId: string, expiresAt: Date, secret: string = DEV_DEFAULTS.sessionSecret): Promise<string> {
	return signSessionToken(secret, sessionId, expiresAt);
}

/** A message id unique to this run, valid under `^[A-Za-z0-9_-]{1,64}$`. */
export function clientId(prefix = "c"): string {
	return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** A question the sample knowledge base answers with cited articles. */
export const REFUND_QUESTION = "How do I get a refund for my annual plan?";
