/**
 * The OpenAPI 3.1 document of the whole HTTP API, generated from the zod
 * schemas the routes validate requests with and type their answers with
 * (never written by hand). Each route file has its description beside it in
 * this folder; test/ingress/openapi.test.ts fails when a route of the app is
 * missing here. Building it walks every schema, so it is done once per
 * isolate and version, not per request.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { clientFrameSchema } from "../../shared/schemas/client-frame";
import { describeAccountRoutes } from "./accounts";
import { describeAdminRoutes } from "./admin";
import { describeKnowledgeBaseRoutes } from "./knowledge-base";
import { describeOperationsRoutes } from "./operations";
import { describePages } from "./pages";
import { describePeopleRoutes } from "./people";
import { describeSessionRoutes } from "./sessions";
import { describeSocketRoute } from "./socket";
import { wireComponents } from "./wire-schemas";

const DESCRIPTION = `The support chat's public API: sessions and their messages over HTTP and a WebSocket, the knowledge base, and the operators' routes.

- Bodies are JSON (\`application/json; charset=utf-8\`), except \`/api/metrics\` (Prometheus text) and the pages.
- Every error is an RFC 9457 problem (\`application/problem+json\`, schema \`Problem\`); a failed validation lists each field in \`errors\`. An unknown route is 404; a known route with the wrong method is 405 with an \`Allow\` header.
- Every response carries \`X-Request-Id\`: a valid incoming one (\`[A-Za-z0-9._:-]{1,128}\`) is echoed, otherwise one is generated.
- Rate limits (defaults): 100 session creations per 60 s per client address, 30 messages per 60 s per session (POST and \`send\` frames together). A 429 always carries \`Retry-After\`.
- Times are ISO-8601 UTC strings; ids are opaque strings.
- The WebSocket protocol is described on \`GET /api/sessions/{id}/ws\`.`;

type OpenAPIObject = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

const TAGS = [
	{ name: "Sessions", description: "A conversation and the token that authorizes it." },
	{ name: "Messages", description: "Sending messages and reading the transcript over HTTP." },
	{ name: "WebSocket", description: "Live frames, replay on resume, and sending over the socket." },
	{ name: "Knowledge base", description: "Search (public) and article administration (admin token)." },
	{ name: "Operations", description: "Health, metrics and alerts (public)." },
	{ name: "People", description: "Asking for a person and giving feedback (session token)." },
	{
		name: "Accounts",
		description: "Identified users' back-office tools: confirmations (session token), tool calls and erasure (admin token).",
	},
	{ name: "Agents", description: "The agents' queue, claims, replies and live socket (agent token)." },
	{ name: "Admin", description: "Cache warming, storage, dashboard data and development faults (admin token)." },
	{ name: "Documentation", description: "This document and the pages." },
];

function buildDocument(version: string): OpenAPIObject {
	const registry = new OpenAPIRegistry();
	registerComponents(registry);
	// Every wire schema, the server frames included (no HTTP body uses them, but clients generate from the components).
	for (const [id, schema] of Object.entries(wireComponents())) {
		// JSON Schema 2020-12 is OpenAPI 3.1's schema dialect; only the two libraries' type declarations differ.
		registry.registerComponent("schemas", id, schema as Parameters<typeof registry.registerComponent<"schemas">>[2]);
	}
	describeSessionRoutes(registry);
	describeSocketRoute(registry);
	describeKnowledgeBaseRoutes(registry);
	describeOperationsRoutes(registry);
	describeAdminRoutes(registry);
	describePeopleRoutes(registry);
	describeAccountRoutes(registry);
	describePages(registry);
	// The client frame is used by no HTTP body; listing it puts it in the components for clients to generate from.
	// (Wrapped: a bare zod 4 schema has a `type` field, which the generator takes for a definition's kind and skips.)
	const generator = new OpenApiGeneratorV31([...registry.definitions, { type: "schema", schema: clientFrameSchema }]);
	return generator.generateDocument({
		openapi: "3.1.0",
		info: { title: "Support chat API", version, description: DESCRIPTION },
		tags: TAGS,
	});
}

function registerComponents(registry: OpenAPIRegistry): void {
	registry.registerComponent("securitySchemes", "sessionToken", {
		type: "http",
		scheme: "bearer",
		description: "The session's token from `POST /api/sessions`: it authorizes that one session and expires.",
	});
	registry.registerComponent("securitySchemes", "adminToken", {
		type: "http",
		scheme: "bearer",
		description: "The admin token (`ADMIN_TOKEN`). Repeated failures from one address get 429 instead of 401.",
	});
	registry.registerComponent("securitySchemes", "agentToken", {
		type: "http",
		scheme: "bearer",
		description: "An agent's token from `POST /api/admin/agents`. Revoking the agent stops it at once.",
	});
	registry.registerComponent("securitySchemes", "agentSubprotocol", {
		type: "apiKey",
		in: "header",
		name: "Sec-WebSocket-Protocol",
		description: "Agent WebSocket only: offer the subprotocols `chat.v1, agent.<agent token>`.",
	});
	registry.registerComponent("securitySchemes", "sessionSubprotocol", {
		type: "apiKey",
		in: "header",
		name: "Sec-WebSocket-Protocol",
		description: "WebSocket only: offer the subprotocols `chat.v1, bearer.<session token>`.",
	});
	registry.registerComponent("securitySchemes", "sessionQueryToken", {
		type: "apiKey",
		in: "query",
		name: "token",
		description: "WebSocket only, for tools that cannot set subprotocols: `?token=<session token>`.",
	});
	registry.registerComponent("headers", "X-Request-Id", {
		description: "This request's id: the incoming one when valid, else a generated one.",
		schema: { type: "string" },
	});
	registry.registerComponent("headers", "Retry-After", { description: "Seconds to wait before retrying.", schema: { type: "integer" } });
	registry.registerComponent("headers", "WWW-Authenticate", {
		description: 'The realm: `Bearer realm="session"` or `Bearer realm="admin"`.',
		schema: { type: "string" },
	});
	registry.registerComponent("headers", "Upgrade", { description: "`websocket`.", schema: { type: "string" } });
}

const built = new Map<string, string>();

/**
 * The document as JSON text, built on first use in this isolate.
 * @example new Response(openApiJson(config.version), { headers: { "Content-Type": "application/json" } })
 */
export function openApiJson(version: string): string {
	let json = built.get(version);
	if (json === undefined) {
		json = JSON.stringify(buildDocument(version));
		built.set(version, json);
	}
	return json;
}

/** The document as an object (tests and tools); built on first use like `openApiJson`. */
export function openApiDocument(version: string): OpenAPIObject {
	// Our own output, parsed back: a copy the caller may change without touching the cache.
	return JSON.parse(openApiJson(version)) as OpenAPIObject;
}
