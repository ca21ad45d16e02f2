/**
 * The chat SDK: one typed client of the public contract (docs/protocol.md) for
 * the browser widget, the tests, the load suite and integrators. This entry
 * runs anywhere with `fetch` and `WebSocket` (browsers, Node 22, workerd) and
 * stays on zod/mini; Node-only helpers are in `./node`.
 *
 * @example
 * const api = new ChatApi({ baseUrl: "http://localhost:8787" });
 * const session = await api.createSession();
 * const chat = new ChatConnection({ url: api.socketUrl(session.sessionId), token: session.token });
 * chat.on("message", (m) => console.log(m.role, m.text));
 * chat.start();
 * chat.send("How do I get a refund?");
 */
export type { ArticleInput, CreateSession as CreateSessionBody, FaultsInput, PostMessage as PostMessageBody } from "../shared/schemas/http";
export { ADMIN_RESPONSE_SCHEMAS, AdminApi, type AdminApiOptions, type AdminResponseParsers } from "./admin";
export {
	AGENT_RESPONSE_SCHEMAS,
	AgentApi,
	type AgentApiOptions,
	type AgentConnectionOptions,
	type AgentResponseParsers,
	type ConversationQuery,
} from "./agent";
export { CHAT_RESPONSE_SCHEMAS, ChatApi, type ChatApiOptions, type ChatResponseParsers, type SessionRef } from "./api";
export { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from "./backoff";
export {
	ChatConnection,
	type ChatSocket,
	type ConnectionHost,
	type ConnectionOptions,
	type ConnectionState,
	type ConnectionStats,
	HEARTBEAT_MS,
	PONG_TIMEOUT_MS,
	RATE_LIMITED_PAUSE_MS,
	SEND_TIMEOUT_MS,
	type WebSocketFactory,
} from "./connection";
export { isRetryable, ProblemError, ProtocolError } from "./errors";
export type { ConnectionEventMap, Listener } from "./events";
export {
	type ClientFrame,
	type ConfirmFrame,
	type DeltaFrame,
	type ErrorFrame,
	type InvalidFrame,
	type Message,
	type MessageFrame,
	type Parser,
	PING_TEXT,
	parseServerFrame,
	type ServerFrame,
	type StatusFrame,
	type SummaryFrame,
	serverFrameSchema,
} from "./frames";
export type { CallOptions, FetchLike, HttpOptions } from "./http";
export { newClientId, OUTBOX_LIMIT, Outbox, type PendingMessage } from "./outbox";
export * from "./responses";
export { forgetSession, resumeSession, SESSION_KEY } from "./session";
export { browserStorage, type KeyValueStore, memoryStorage } from "./storage";
export { type StreamingReply, Transcript } from "./transcript";
