/**
 * The OpenAPI description of identified users' back-office tools (CONTRACT §8):
 * routes/confirmations.ts (the user's answer to a proposed write),
 * routes/admin-sessions.ts (a session's tool calls), routes/users-admin.ts
 * (erasing a user) and routes/dev-identity.ts (development only).
 */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { confirmationAnsweredSchema, toolCallsSchema } from "../../shared/schemas/accounts";
import { confirmationRequestSchema, demoTokenRequestSchema } from "../../shared/schemas/people-requests";
import { empty, json, problems, SECURITY } from "./responses";
import { sessionParams } from "./sessions";

const ADMIN = {
	401: "An admin token is required.",
	429: "Too many failed admin attempts from this address; retry after 60 seconds.",
} as const;

export function describeAccountRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "post",
		path: "/api/sessions/{id}/confirmations/{callId}",
		operationId: "answerConfirmation",
		tags: ["Accounts"],
		summary: "Approve or decline a proposed back-office write",
		description:
			"The answer to a `confirm` frame (the same as a `confirm` frame on the socket). Approved, the write runs once, with `Idempotency-Key: <callId>`, and the turn goes on; declined, the reply says nothing was done. Past its 10 minutes, or once its turn has ended, the call is `cancelled`. A second answer changes nothing and returns the state the first one left.",
		security: SECURITY.session,
		request: {
			params: sessionParams.extend({ callId: z.string().describe("The `callId` of the `confirm` frame.") }),
			body: { required: true, content: { "application/json": { schema: confirmationRequestSchema } } },
		},
		responses: {
			200: json(confirmationAnsweredSchema, "The call's state after the answer."),
			...problems({ 400: true, 401: true, 403: true, 404: "No such session, or no such confirmation in it.", 413: true, 415: true }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/sessions/{id}/tool-calls",
		operationId: "listToolCalls",
		tags: ["Accounts"],
		summary: "A session's back-office tool calls",
		description: "Every call the assistant made or proposed for the session's user, oldest first, with its arguments and state.",
		security: SECURITY.admin,
		request: { params: sessionParams },
		responses: {
			200: json(toolCallsSchema, "The session's calls."),
			...problems({ ...ADMIN, 404: "No such session." }),
		},
	});

	registry.registerPath({
		method: "delete",
		path: "/api/admin/users/{userId}",
		operationId: "eraseUser",
		tags: ["Accounts"],
		summary: "Erase a user",
		description:
			"Erases every session created for the user id (identified by a user token, or labelled with `userId`), each as `DELETE /api/sessions/{id}` does, then their cached profile and tool results. Idempotent.",
		security: SECURITY.admin,
		request: { params: z.object({ userId: z.string().min(1).max(128).describe("The user id: a user token's `sub`.") }) },
		responses: {
			204: empty("Erased (or nothing was left to erase)."),
			...problems({ ...ADMIN, 404: "Not a user id." }),
		},
	});

	describeDemoSignIn(registry);
}

const DEVELOPMENT_ONLY =
	"Development only, with the development `IDENTITY_SECRET`: elsewhere every method answers 404. In production your own backend signs user tokens (docs/identity.md).";

/** The demo page's sign-in as a sample back-office user (routes/dev-identity.ts). */
function describeDemoSignIn(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "get",
		path: "/api/dev/user-token",
		operationId: "listDemoUsers",
		tags: ["Accounts"],
		summary: "The sample users a demo can sign in as (development)",
		description: DEVELOPMENT_ONLY,
		security: SECURITY.public,
		responses: {
			200: { description: "The sample users.", content: { "application/json": { schema: z.object({ users: z.array(z.string()) }) } } },
			...problems({ 404: "Not in development." }),
		},
	});
	registry.registerPath({
		method: "post",
		path: "/api/dev/user-token",
		operationId: "mintDemoUserToken",
		tags: ["Accounts"],
		summary: "Sign a user token for a sample user (development)",
		description: `${DEVELOPMENT_ONLY} The token lasts an hour; pass it as \`userToken\` to \`POST /api/sessions\`.`,
		security: SECURITY.public,
		request: { body: { required: true, content: { "application/json": { schema: demoTokenRequestSchema } } } },
		responses: {
			200: {
				description: "A signed user token.",
				content: { "application/json": { schema: z.object({ userToken: z.string(), expiresAt: z.string() }) } },
			},
			...problems({ 400: true, 404: "Not in development.", 413: true, 415: true }),
		},
	});
}
