/**
 * The OpenAPI description of the pages and the document itself:
 * routes/docs.ts (this document and its rendering) and the operators'
 * dashboard and the agents' console, which static assets serve (public/dashboard.html,
 * public/agent.html), not the Worker.
 */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { HEADERS, problems, SECURITY } from "./responses";

const html = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });

export function describePages(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "get",
		path: "/api/openapi.json",
		operationId: "getOpenApiDocument",
		tags: ["Documentation"],
		summary: "This OpenAPI document",
		description: "Generated from the zod schemas the routes validate with, once per isolate.",
		security: SECURITY.public,
		responses: {
			200: {
				description: "The OpenAPI 3.1 document.",
				headers: { "X-Request-Id": HEADERS.requestId },
				content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
			},
			...problems({}),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/docs",
		operationId: "getApiReference",
		tags: ["Documentation"],
		summary: "API reference page",
		description: "This document rendered for people; it loads nothing from outside this origin.",
		security: SECURITY.public,
		responses: { 200: { ...html("The page."), headers: { "X-Request-Id": HEADERS.requestId } }, ...problems({}) },
	});

	registry.registerPath({
		method: "get",
		path: "/dashboard",
		operationId: "getDashboardPage",
		tags: ["Documentation"],
		summary: "Operators' dashboard page",
		description:
			"A static page: it asks for the admin token in a field labelled “Admin token”, then draws `GET /api/admin/metrics/series`. Served by static assets, so it has none of the API's headers.",
		security: SECURITY.public,
		responses: { 200: html("The page.") },
	});

	registry.registerPath({
		method: "get",
		path: "/agent",
		operationId: "getAgentConsolePage",
		tags: ["Documentation"],
		summary: "Agents' console page",
		description:
			"A static page for support agents (CONTRACT §7): it asks for the agent token in a field labelled “Agent token”, then shows the queue, a claimed conversation live, a reply box, Release and Resolve. Served by static assets.",
		security: SECURITY.public,
		responses: { 200: html("The page.") },
	});
}
