/** The OpenAPI description of routes/socket.ts: the chat WebSocket (CONTRACT §4). */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { wsQuerySchema } from "../../shared/schemas/http";
import { HEADERS, problems } from "./responses";
import { sessionParams } from "./sessions";
import { websocketProtocolMarkdown } from "./websocket-protocol";

export function describeSocketRoute(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "get",
		path: "/api/sessions/{id}/ws",
		operationId: "openSocket",
		tags: ["WebSocket"],
		summary: "Open the chat socket",
		description: websocketProtocolMarkdown(),
		// The token travels in a subprotocol or `?token=`; see the description.
		security: [{ sessionSubprotocol: [] }, { sessionQueryToken: [] }],
		request: {
			params: sessionParams,
			query: wsQuerySchema,
			headers: z.object({
				Upgrade: z.literal("websocket"),
				"Sec-WebSocket-Protocol": z
					.string()
					.optional()
					.describe("`chat.v1, bearer.<token>`: the server selects `chat.v1`, and the token never reaches the session object."),
			}),
		},
		responses: {
			101: {
				description: "Switched to the WebSocket protocol; the first frame is `ready`.",
				headers: {
					"X-Request-Id": HEADERS.requestId,
					"Sec-WebSocket-Protocol": { description: "`chat.v1` when it was offered.", schema: { type: "string", const: "chat.v1" } },
				},
			},
			...problems({
				400: "The query string failed validation.",
				401: true,
				403: "The session token is for another session, or this origin may not open chat sockets.",
				404: "No such session.",
				426: true,
				429: "Too many connections to this session; retry after 60 seconds.",
			}),
		},
	});
}
