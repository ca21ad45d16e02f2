/**
 * The agents' side of the public API (CONTRACT §7): the queue of conversations, claiming one,
 * writing in it as a person, handing it back to the assistant or resolving it, and its live socket.
 * Authorized by an agent token; answers validated, errors as `ProblemError` (409 when another
 * agent holds the conversation), like `ChatApi` and `AdminApi`.
 */
import type { PostMessage } from "../shared/schemas/http";
import type { SessionStatus } from "../shared/schemas/wire";
import { ChatConnection, type ConnectionOptions, type WebSocketFactory } from "./connection";
import type { Parser } from "./frames";
import { type CallOptions, enc, HttpClient, type HttpOptions } from "./http";
import {
	type Accepted,
	type Assignee,
	acceptedSchema,
	assigneeSchema,
	type Claimed,
	type ConversationList,
	claimedSchema,
	conversationListSchema,
	problemSchema,
	type SessionStatusResult,
	sessionStatusSchema,
} from "./responses";

/** Every schema `AgentApi` validates with, by name, so a conformance test can pass stricter ones. */
export const AGENT_RESPONSE_SCHEMAS = {
	me: assigneeSchema,
	conversationList: conversationListSchema,
	claimed: claimedSchema,
	accepted: acceptedSchema,
	sessionStatus: sessionStatusSchema,
	problem: problemSchema,
} as const;

type Schemas = typeof AGENT_RESPONSE_SCHEMAS;
export type AgentResponseParsers = { [K in keyof Schemas]: Parser<Schemas[K]["_zod"]["output"]> };

export interface AgentApiOptions extends HttpOptions {
	/** `Authorization: Bearer <agent token>`, as `POST /api/admin/agents` returned it. */
	agentToken: string;
	schemas?: Partial<AgentResponseParsers>;
}

/** Which conversations to list: `escalated` (the default) waits for a person. */
export interface ConversationQuery {
	status?: SessionStatus;
	/** 1 to 100; the server's default is 50. */
	limit?: number;
}

/** `ChatConnection`'s options for an agent's socket: the URL and the credential are the API's. */
export type AgentConnectionOptions = Omit<ConnectionOptions, "url" | "token">;

/**
 * @example
 * const agent = new AgentApi({ baseUrl: "http://localhost:8787", agentToken });
 * const { conversations } = await agent.listConversations();
 * const first = conversations[0];
 * if (first) {
 *   await agent.claim(first.sessionId);
 *   await agent.sendMessage(first.sessionId, { text: "Hi, I'm Dana. Let me look into it." });
 * }
 */
export class AgentApi {
	readonly #http: HttpClient;
	readonly #parsers: AgentResponseParsers;
	readonly #token: string;

	constructor(options: AgentApiOptions) {
		this.#parsers = { ...AGENT_RESPONSE_SCHEMAS, ...options.schemas };
		this.#http = new HttpClient(options, this.#parsers.problem);
		this.#token = options.agentToken;
	}

	get baseUrl(): string {
		return this.#http.baseUrl;
	}

	/** The agent the token belongs to. A wrong or revoked token is a 401 `ProblemError`. */
	me(options: CallOptions = {}): Promise<Assignee> {
		return this.#http.json("/api/agent/me", { token: this.#token, expect: [200], ...options }, this.#parsers.me);
	}

	/** Conversations in one status, longest waiting first. A wrong or revoked token is a 401 `ProblemError`. */
	listConversations(query: ConversationQuery = {}, options: CallOptions = {}): Promise<ConversationList> {
		const params = new URLSearchParams();
		if (query.status !== undefined) params.set("status", query.status);
		if (query.limit !== undefined) params.set("limit", String(query.limit));
		const search = params.size > 0 ? `?${params}` : "";
		return this.#http.json(
			`/api/agent/conversations${search}`,
			{ token: this.#token, expect: [200], ...options },
			this.#parsers.conversationList,
		);
	}

	/** Takes the conversation (escalating it if the assistant had it); again by its holder, a no-op. 409 when another agent holds it. */
	claim(sessionId: string, options: CallOptions = {}): Promise<Claimed> {
		return this.#http.json(
			`/api/agent/conversations/${enc(sessionId)}/claim`,
			{ method: "POST", token: this.#token, expect: [200], ...options },
			this.#parsers.claimed,
		);
	}

	/** Writes as the holder (role `agent`); send the same `id` again to retry safely. 409 when not the holder. */
	sendMessage(sessionId: string, body: PostMessage, options: CallOptions = {}): Promise<Accepted> {
		return this.#http.json(
			`/api/agent/conversations/${enc(sessionId)}/messages`,
			{ method: "POST", token: this.#token, body, expect: [202], ...options },
			this.#parsers.accepted,
		);
	}

	/** Hands the conversation back to the assistant (`open`). */
	release(sessionId: string, options: CallOptions = {}): Promise<SessionStatusResult> {
		return this.#action(sessionId, "release", options);
	}

	/** Marks the conversation resolved (`closed`); the user is told with a `system` message. */
	resolve(sessionId: string, options: CallOptions = {}): Promise<SessionStatusResult> {
		return this.#action(sessionId, "resolve", options);
	}

	/** `ws://…/api/agent/conversations/:id/ws`. */
	socketUrl(sessionId: string): string {
		return `${this.baseUrl.replace(/^http/, "ws")}/api/agent/conversations/${enc(sessionId)}/ws`;
	}

	/**
	 * The conversation's socket (CONTRACT §4 frames, replay and reconnect), not yet started. Write
	 * with `sendMessage`: the connection's own `send` confirms only `user` messages.
	 * @example
	 * const live = agent.connect(sessionId);
	 * live.on("message", (m) => console.log(m.role, m.text));
	 * live.start();
	 */
	connect(sessionId: string, options: AgentConnectionOptions = {}): ChatConnection {
		const open: WebSocketFactory = options.openSocket ?? ((url, protocols) => new WebSocket(url, protocols));
		const token = this.#token;
		return new ChatConnection({
			...options,
			url: this.socketUrl(sessionId),
			token,
			// The agent socket takes the same frames but its own credential: `agent.<token>` in place of
			// the `bearer.<token>` a user's socket offers.
			openSocket: (url, protocols) => open(url, [...protocols.filter((p) => !p.startsWith("bearer.")), `agent.${token}`]),
		});
	}

	#action(sessionId: string, action: "release" | "resolve", options: CallOptions): Promise<SessionStatusResult> {
		return this.#http.json(
			`/api/agent/conversations/${enc(sessionId)}/${action}`,
			{ method: "POST", token: this.#token, expect: [200], ...options },
			this.#parsers.sessionStatus,
		);
	}
}
