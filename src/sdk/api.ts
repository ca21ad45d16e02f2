/**
 * The visitor's side of the public HTTP API (CONTRACT §2, §3, §5) as typed
 * calls: sessions, messages, knowledge-base search. Every answer is
 * validated (src/sdk/responses.ts); an HTTP error becomes a `ProblemError`.
 * The admin and operations calls are in `AdminApi` (src/sdk/admin.ts), so
 * the widget's bundle does not carry them.
 */
import { type ConfirmationAnswered, confirmationAnsweredSchema } from "../shared/schemas/accounts";
import type { CreateSession, PostMessage } from "../shared/schemas/http";
import type { Message, Parser } from "./frames";
import { type CallOptions, enc, HttpClient, type HttpOptions } from "./http";
import {
	type Accepted,
	acceptedSchema,
	type HandoffResult,
	handoffResultSchema,
	type KbSearch,
	kbSearchSchema,
	type MessagePage,
	messagePageSchema,
	type PopularQuestions,
	popularQuestionsSchema,
	problemSchema,
	type SessionCreated,
	type SessionInfo,
	sessionCreatedSchema,
	sessionInfoSchema,
} from "./responses";

/** Every schema `ChatApi` validates with, by name, so a conformance test can pass stricter ones. */
export const CHAT_RESPONSE_SCHEMAS = {
	sessionCreated: sessionCreatedSchema,
	sessionInfo: sessionInfoSchema,
	accepted: acceptedSchema,
	messagePage: messagePageSchema,
	kbSearch: kbSearchSchema,
	popularQuestions: popularQuestionsSchema,
	handoff: handoffResultSchema,
	confirmation: confirmationAnsweredSchema,
	problem: problemSchema,
} as const;

/** What a session's calls need: its id and the token that authorizes it. */
export interface SessionRef {
	sessionId: string;
	token: string;
}

type Schemas = typeof CHAT_RESPONSE_SCHEMAS;
export type ChatResponseParsers = { [K in keyof Schemas]: Parser<Schemas[K]["_zod"]["output"]> };

export interface ChatApiOptions extends HttpOptions {
	/** Stricter parsers for some answers (a conformance test rejects unknown fields, say). */
	schemas?: Partial<ChatResponseParsers>;
}

/**
 * @example
 * const api = new ChatApi({ baseUrl: "http://localhost:8787" });
 * const session = await api.createSession({ locale: "en" });
 * await api.postMessage(session, { id: "m1", text: "Hello" });
 */
export class ChatApi {
	readonly #http: HttpClient;
	readonly #parsers: ChatResponseParsers;

	constructor(options: ChatApiOptions) {
		this.#parsers = { ...CHAT_RESPONSE_SCHEMAS, ...options.schemas };
		this.#http = new HttpClient(options, this.#parsers.problem);
	}

	get baseUrl(): string {
		return this.#http.baseUrl;
	}

	createSession(body?: CreateSession, options: CallOptions = {}): Promise<SessionCreated> {
		return this.#http.json("/api/sessions", { method: "POST", body, expect: [201], ...options }, this.#parsers.sessionCreated);
	}

	getSession(session: SessionRef, options: CallOptions = {}): Promise<SessionInfo> {
		return this.#http.json(
			`/api/sessions/${enc(session.sessionId)}`,
			{ token: session.token, expect: [200], ...options },
			this.#parsers.sessionInfo,
		);
	}

	/** Erases the session everywhere; its sockets close with 1000 `session deleted`. */
	deleteSession(session: SessionRef, options: CallOptions = {}): Promise<void> {
		return this.#http.none(`/api/sessions/${enc(session.sessionId)}`, {
			method: "DELETE",
			token: session.token,
			expect: [204],
			...options,
		});
	}

	/** Send the same `id` again to retry safely: the server answers `duplicate: true` and stores nothing twice. */
	postMessage(session: SessionRef, body: PostMessage, options: CallOptions = {}): Promise<Accepted> {
		return this.#http.json(
			`/api/sessions/${enc(session.sessionId)}/messages`,
			{ method: "POST", token: session.token, body, expect: [202], ...options },
			this.#parsers.accepted,
		);
	}

	listMessages(session: SessionRef, query: { after?: number; limit?: number } = {}, options: CallOptions = {}): Promise<MessagePage> {
		const params = new URLSearchParams();
		if (query.after !== undefined) params.set("after", String(query.after));
		if (query.limit !== undefined) params.set("limit", String(query.limit));
		const search = params.size > 0 ? `?${params}` : "";
		return this.#http.json(
			`/api/sessions/${enc(session.sessionId)}/messages${search}`,
			{ token: session.token, expect: [200], ...options },
			this.#parsers.messagePage,
		);
	}

	/** The whole transcript, read 100 messages a page. */
	async allMessages(session: SessionRef, options: CallOptions = {}): Promise<Message[]> {
		const all: Message[] = [];
		for (;;) {
			const page = await this.listMessages(session, { after: all.at(-1)?.seq ?? 0, limit: 100 }, options);
			all.push(...page.messages);
			if (!page.hasMore || page.messages.length === 0) return all;
		}
	}

	searchKb(q: string, limit?: number, options: CallOptions = {}): Promise<KbSearch> {
		const params = new URLSearchParams({ q });
		if (limit !== undefined) params.set("limit", String(limit));
		return this.#http.json(`/api/kb/search?${params}`, { expect: [200], ...options }, this.#parsers.kbSearch);
	}

	/** First questions many users asked, for a new chat's suggestions (empty until enough have). */
	popularQuestions(limit?: number, options: CallOptions = {}): Promise<PopularQuestions> {
		const search = limit === undefined ? "" : `?limit=${limit}`;
		return this.#http.json(`/api/kb/popular${search}`, { expect: [200], ...options }, this.#parsers.popularQuestions);
	}

	/** Hands the conversation to people (CONTRACT §7); idempotent. */
	requestHandoff(session: SessionRef, body: { reason?: string } = {}, options: CallOptions = {}): Promise<HandoffResult> {
		return this.#http.json(
			`/api/sessions/${enc(session.sessionId)}/handoff`,
			{ method: "POST", token: session.token, body, expect: [200], ...options },
			this.#parsers.handoff,
		);
	}

	/**
	 * Answers a `confirm` frame (CONTRACT §8): `approve` runs the proposed back-office write once, `false`
	 * declines it. A second answer changes nothing and returns the state the first one left.
	 */
	confirm(session: SessionRef, callId: string, approve: boolean, options: CallOptions = {}): Promise<ConfirmationAnswered> {
		return this.#http.json(
			`/api/sessions/${enc(session.sessionId)}/confirmations/${enc(callId)}`,
			{ method: "POST", token: session.token, body: { approve }, expect: [200], ...options },
			this.#parsers.confirmation,
		);
	}

	/** Rates the conversation (1 to 5), or marks one assistant answer helpful or not. A second rating replaces the first. */
	sendFeedback(
		session: SessionRef,
		body: { rating: number; comment?: string } | { messageId: string; helpful: boolean },
		options: CallOptions = {},
	): Promise<void> {
		return this.#http.none(`/api/sessions/${enc(session.sessionId)}/feedback`, {
			method: "POST",
			token: session.token,
			body,
			expect: [200, 201],
			...options,
		});
	}

	/** `ws://…/api/sessions/:id/ws` for `ChatConnection`. */
	socketUrl(sessionId: string): string {
		return `${this.baseUrl.replace(/^http/, "ws")}/api/sessions/${enc(sessionId)}/ws`;
	}
}
