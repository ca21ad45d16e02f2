/** The OpenAPI description of routes/sessions.ts: sessions and their messages (CONTRACT §2, §3). */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { createSessionSchema, listMessagesQuerySchema, postMessageSchema } from "../../shared/schemas/http";
import { acceptedSchema, messagePageSchema, sessionCreatedSchema, sessionInfoSchema } from "../../shared/schemas/responses";
import { empty, json, problems, SECURITY } from "./responses";

export const sessionParams = z.object({ id: z.string().describe("The session id, as `POST /api/sessions` returned it.") });

export function describeSessionRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "post",
		path: "/api/sessions",
		operationId: "createSession",
		tags: ["Sessions"],
		summary: "Create a session",
		description: "Starts a conversation and returns the token that authorizes it. The body is optional.",
		security: SECURITY.public,
		request: { body: { required: false, content: { "application/json": { schema: createSessionSchema } } } },
		responses: {
			201: json(sessionCreatedSchema, "The session and its token."),
			...problems({
				400: true,
				413: true,
				415: true,
				429: "Too many sessions created from this address; retry after 60 seconds.",
			}),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/sessions/{id}",
		operationId: "getSession",
		tags: ["Sessions"],
		summary: "Get a session",
		security: SECURITY.session,
		request: { params: sessionParams },
		responses: {
			200: json(sessionInfoSchema, "The session's state."),
			...problems({ 401: true, 403: true, 404: "No such session." }),
		},
	});

	registry.registerPath({
		method: "delete",
		path: "/api/sessions/{id}",
		operationId: "deleteSession",
		tags: ["Sessions"],
		summary: "Delete a session",
		description:
			"Erases the session everywhere: transcript, archive, summary and anything cached for it. Its open sockets are closed with code 1000, reason `session deleted`; later requests get 404.",
		security: SECURITY.session,
		request: { params: sessionParams },
		responses: {
			204: empty("Erased."),
			...problems({ 401: true, 403: true, 404: "No such session." }),
		},
	});

	registry.registerPath({
		method: "post",
		path: "/api/sessions/{id}/messages",
		operationId: "postMessage",
		tags: ["Messages"],
		summary: "Send a message",
		description:
			"Stores the user message durably, then answers `202`; the reply arrives over the socket (or in the transcript). Sending the same `id` again returns the same `messageId` and `seq` with `duplicate: true` and never a second reply. Shares the per-session limit (30 per 60 s by default) with `send` frames.",
		security: SECURITY.session,
		request: { params: sessionParams, body: { required: true, content: { "application/json": { schema: postMessageSchema } } } },
		responses: {
			202: json(acceptedSchema, "Accepted (or accepted before, with `duplicate: true`)."),
			...problems({
				400: true,
				401: true,
				403: true,
				404: "No such session.",
				413: true,
				415: true,
				429: "Too many messages in this session; retry after 60 seconds.",
			}),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/sessions/{id}/messages",
		operationId: "listMessages",
		tags: ["Messages"],
		summary: "List messages",
		description: "The transcript, ascending by `seq`, one page at a time; archived messages included.",
		security: SECURITY.session,
		request: { params: sessionParams, query: listMessagesQuerySchema },
		responses: {
			200: json(messagePageSchema, "A page of the transcript."),
			...problems({ 400: "The query string failed validation.", 401: true, 403: true, 404: "No such session." }),
		},
	});
}
