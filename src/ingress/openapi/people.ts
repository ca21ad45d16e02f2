/**
 * The OpenAPI description of the people behind the assistant (CONTRACT §7): routes/people.ts
 * (the user's handoff and feedback), routes/agent.ts (the agents' API) and
 * routes/agents-admin.ts (creating and revoking agents).
 */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { wsQuerySchema } from "../../shared/schemas/http";
import {
	agentCreatedSchema,
	assigneeSchema,
	claimedSchema,
	conversationListSchema,
	handoffResultSchema,
	sessionStatusSchema,
} from "../../shared/schemas/people";
import {
	agentMessageSchema,
	conversationsQuerySchema,
	createAgentSchema,
	feedbackSchema,
	handoffRequestSchema,
} from "../../shared/schemas/people-requests";
import { acceptedSchema } from "../../shared/schemas/responses";
import { empty, HEADERS, json, problems, SECURITY } from "./responses";
import { sessionParams } from "./sessions";

const AGENT = {
	401: "The agent token is missing, unknown or revoked.",
	429: "Too many failed agent sign-ins from this address; retry after 60 seconds.",
} as const;
const NOT_ASSIGNEE = "Another agent holds the conversation, or nobody does: claim it first.";
const conversationParams = z.object({ id: z.string().describe("The conversation's session id.") });

export function describePeopleRoutes(registry: OpenAPIRegistry): void {
	describeUserRoutes(registry);
	describeAgentRoutes(registry);
	describeAgentAdmin(registry);
}

function describeUserRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "post",
		path: "/api/sessions/{id}/handoff",
		operationId: "requestHandoff",
		tags: ["People"],
		summary: "Ask for a person",
		description:
			"Hands the conversation to people: a `system` message says a person will reply, the socket gets a `status` frame with state `escalated`, and the assistant stays silent until an agent releases it. Idempotent. The body is optional.",
		security: SECURITY.session,
		request: { params: sessionParams, body: { required: false, content: { "application/json": { schema: handoffRequestSchema } } } },
		responses: {
			200: json(handoffResultSchema, "People answer this conversation now."),
			...problems({ 400: true, 401: true, 403: true, 404: "No such session.", 413: true, 415: true }),
		},
	});

	registry.registerPath({
		method: "post",
		path: "/api/sessions/{id}/feedback",
		operationId: "sendFeedback",
		tags: ["People"],
		summary: "Rate the conversation or an answer",
		description:
			"Either `{ rating, comment? }` for the conversation (a second rating replaces the first) or `{ messageId, helpful }` for one assistant answer.",
		security: SECURITY.session,
		request: { params: sessionParams, body: { required: true, content: { "application/json": { schema: feedbackSchema } } } },
		responses: {
			201: empty("Recorded."),
			200: empty("Replaced an earlier rating or mark."),
			...problems({ 400: true, 401: true, 403: true, 404: "No such session, or no assistant answer with that id.", 413: true, 415: true }),
		},
	});
}

function describeAgentRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "get",
		path: "/api/agent/me",
		operationId: "getAgentSelf",
		tags: ["Agents"],
		summary: "The agent the token belongs to",
		security: SECURITY.agent,
		responses: { 200: json(assigneeSchema, "The agent."), ...problems(AGENT) },
	});

	registry.registerPath({
		method: "get",
		path: "/api/agent/conversations",
		operationId: "listConversations",
		tags: ["Agents"],
		summary: "The agents' queue",
		description: "Conversations in one status, longest waiting first.",
		security: SECURITY.agent,
		request: { query: conversationsQuerySchema },
		responses: {
			200: json(conversationListSchema, "The conversations."),
			...problems({ 400: "The query string failed validation.", ...AGENT }),
		},
	});

	registry.registerPath({
		method: "post",
		path: "/api/agent/conversations/{id}/claim",
		operationId: "claimConversation",
		tags: ["Agents"],
		summary: "Claim a conversation",
		description:
			"Two agents claiming at once: exactly one wins, the other gets 409. Claiming one's own again is a no-op; claiming an `open` conversation escalates it (reason `other`).",
		security: SECURITY.agent,
		request: { params: conversationParams },
		responses: {
			200: json(claimedSchema, "The conversation is yours."),
			...problems({ ...AGENT, 404: "No such conversation.", 409: "Another agent holds the conversation." }),
		},
	});

	registry.registerPath({
		method: "post",
		path: "/api/agent/conversations/{id}/messages",
		operationId: "sendAgentMessage",
		tags: ["Agents"],
		summary: "Write in a conversation",
		description: "The assignee's message (`role: \"agent\"`, with `author`), with `POST /api/sessions/{id}/messages`' idempotency.",
		security: SECURITY.agent,
		request: { params: conversationParams, body: { required: true, content: { "application/json": { schema: agentMessageSchema } } } },
		responses: {
			202: json(acceptedSchema, "Stored and pushed (or stored before, with `duplicate: true`)."),
			...problems({ 400: true, ...AGENT, 404: "No such conversation.", 409: NOT_ASSIGNEE, 413: true, 415: true }),
		},
	});

	for (const [action, summary, description] of [
		["release", "Hand back to the assistant", "The conversation is `open` again: the assistant answers new messages."],
		["resolve", "Resolve the conversation", "The conversation is `closed`, with a `system` message; a new user message reopens it."],
	] as const) {
		registry.registerPath({
			method: "post",
			path: `/api/agent/conversations/{id}/${action}`,
			operationId: `${action}Conversation`,
			tags: ["Agents"],
			summary,
			description,
			security: SECURITY.agent,
			request: { params: conversationParams },
			responses: {
				200: json(sessionStatusSchema, "The conversation's status now."),
				...problems({ ...AGENT, 404: "No such conversation.", 409: NOT_ASSIGNEE }),
			},
		});
	}

	registry.registerPath({
		method: "get",
		path: "/api/agent/conversations/{id}/ws",
		operationId: "openAgentSocket",
		tags: ["Agents"],
		summary: "Follow a conversation live",
		description:
			"The user's socket protocol (`GET /api/sessions/{id}/ws`): `ready`, replay after `after`, then live frames. The assignee may `send`; anyone else's `send` gets an `error` frame.",
		security: [{ agentSubprotocol: [] }],
		request: {
			params: conversationParams,
			query: wsQuerySchema.omit({ token: true }),
			headers: z.object({
				Upgrade: z.literal("websocket"),
				"Sec-WebSocket-Protocol": z.string().describe("`chat.v1, agent.<agent token>`: the server selects `chat.v1`."),
			}),
		},
		responses: {
			101: {
				description: "Switched to the WebSocket protocol; the first frame is `ready`.",
				headers: { "X-Request-Id": HEADERS.requestId },
			},
			...problems({
				400: "The query string failed validation.",
				...AGENT,
				403: "This origin may not open chat sockets.",
				404: "No such conversation.",
				426: true,
			}),
		},
	});
}

function describeAgentAdmin(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "post",
		path: "/api/admin/agents",
		operationId: "createAgent",
		tags: ["Admin"],
		summary: "Create an agent",
		description: "Returns the agent's token, only this once.",
		security: SECURITY.admin,
		request: { body: { required: true, content: { "application/json": { schema: createAgentSchema } } } },
		responses: {
			201: json(agentCreatedSchema, "The agent and their token."),
			...problems({ 400: true, 401: "An admin token is required.", 413: true, 415: true, 429: "Too many failed admin attempts." }),
		},
	});

	registry.registerPath({
		method: "delete",
		path: "/api/admin/agents/{agentId}",
		operationId: "revokeAgent",
		tags: ["Admin"],
		summary: "Revoke an agent",
		description: "The agent's token stops working at once.",
		security: SECURITY.admin,
		request: { params: z.object({ agentId: z.string() }) },
		responses: {
			204: empty("Revoked."),
			...problems({ 401: "An admin token is required.", 404: "No such agent.", 429: "Too many failed admin attempts." }),
		},
	});
}
