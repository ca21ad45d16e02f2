/**
 * The OpenAPI document (GET /api/openapi.json) and its page (GET /api/docs):
 * served publicly, covering every route of the app, with problem+json for
 * every error, examples that match their schemas, and the answers the app
 * really sends matching the documented schemas field for field. The document
 * is checked against the OpenAPI 3.1 schema in openapi.node.test.ts (the
 * validator compiles code at run time, which workerd forbids).
 */

import { env } from "cloudflare:workers";
import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import * as zm from "zod/mini";
import { app } from "../../src/ingress/app";
import { openApiJson } from "../../src/ingress/openapi/document";
import { SCALAR_BUNDLE_PATH } from "../../src/ingress/routes/docs";
import { configOf, DEV_DEFAULTS } from "../../src/shared/config";
import { clientFrameSchema } from "../../src/shared/schemas/client-frame";
import * as dashboard from "../../src/shared/schemas/dashboard";
import { isDocumented } from "../../src/shared/schemas/documented";
import * as faults from "../../src/shared/schemas/faults";
import * as frames from "../../src/shared/schemas/frames";
import * as requests from "../../src/shared/schemas/http";
import * as message from "../../src/shared/schemas/message";
import * as responses from "../../src/shared/schemas/responses";
import { postMessage, request } from "../support/api";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

const responseSchema = z.object({
	description: z.string(),
	content: z.record(z.string(), z.object({ schema: z.unknown(), example: z.unknown().optional() })).optional(),
});
const operationSchema = z.object({
	operationId: z.string(),
	summary: z.string(),
	security: z.array(z.record(z.string(), z.array(z.string()))),
	description: z.string().optional(),
	responses: z.record(z.string(), responseSchema),
});
const documentSchema = z.object({
	openapi: z.literal("3.1.0"),
	info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
	paths: z.record(z.string(), z.record(z.string(), z.unknown())),
	components: z.object({ schemas: z.record(z.string(), z.unknown()), securitySchemes: z.record(z.string(), z.unknown()) }),
});
type Operation = z.infer<typeof operationSchema> & { path: string; method: string };

async function servedDocument() {
	const response = await request("/api/openapi.json");
	expect(response.status).toBe(200);
	return documentSchema.parse(await response.json());
}

function operations(document: z.infer<typeof documentSchema>): Operation[] {
	return Object.entries(document.paths).flatMap(([path, item]) =>
		METHODS.filter((method) => item[method] !== undefined).map((method) => ({
			...operationSchema.parse(item[method]),
			path,
			method,
		})),
	);
}

/** Hono's `/api/sessions/:id` is OpenAPI's `/api/sessions/{id}`. */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

afterEach(() => {
	vi.restoreAllMocks();
});

describe("GET /api/openapi.json", () => {
	it("serves an OpenAPI 3.1 JSON document to anyone, with the app's version and a request id", async () => {
		const response = await request("/api/openapi.json");
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(response.headers.get("X-Request-Id")).toBeTruthy();
		const text = await response.text();
		// What is served is exactly what the memoized builder made.
		expect(text).toBe(openApiJson(configOf(env).version));
		const document = documentSchema.parse(JSON.parse(text));
		expect(document.info.version).toBe(configOf(env).version);
		expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
			"adminToken",
			"agentSubprotocol",
			"agentToken",
			"sessionQueryToken",
			"sessionSubprotocol",
			"sessionToken",
		]);
	});

	it("documents every route the app answers, with each method, and no route it does not", async () => {
		const document = await servedDocument();
		// Middleware and the 405 fallbacks are registered for every method ("ALL"); the routes are the rest.
		const routes = app.routes.filter((route) => route.method !== "ALL").map((route) => `${route.method} ${toOpenApiPath(route.path)}`);
		const documented = operations(document).map((op) => `${op.method.toUpperCase()} ${op.path}`);
		expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
		// The one documented page the Worker does not route: static assets serve it.
		expect(documented.filter((op) => !routes.includes(op))).toEqual(["GET /dashboard", "GET /agent"]);
		expect(routes.length).toBeGreaterThan(20);
		// Every path with a 405 fallback is documented too.
		const fallbacks = app.routes.filter((route) => route.method === "ALL" && !route.path.includes("*"));
		expect(fallbacks.length).toBeGreaterThan(10);
		expect(fallbacks.map((route) => toOpenApiPath(route.path)).filter((path) => !document.paths[path])).toEqual([]);
	});

	it("documents the static dashboard page and the WebSocket upgrade", async () => {
		const document = await servedDocument();
		expect(document.paths["/dashboard"]?.get).toBeDefined();
		const socket = operations(document).find((op) => op.path === "/api/sessions/{id}/ws");
		expect(socket?.responses["101"]).toBeDefined();
	});

	it("describes every error an operation returns as problem+json, and every success", async () => {
		const document = await servedDocument();
		for (const op of operations(document)) {
			const statuses = Object.keys(op.responses);
			expect(
				statuses.some((s) => /^[12]\d\d$/.test(s)),
				`${op.method} ${op.path} has a success response`,
			).toBe(true);
			for (const status of statuses.filter((s) => Number(s) >= 400)) {
				// The one error that is not a problem: health's 503 is its own body, status "down".
				if (op.path === "/api/health") continue;
				const content = op.responses[status]?.content?.["application/problem+json"];
				expect(content?.schema, `${op.method} ${op.path} ${status}`).toEqual({ $ref: "#/components/schemas/Problem" });
				expect(responses.problemSchema.parse(content?.example)).toMatchObject({ status: Number(status) });
			}
		}
	});

	it("requires the admin token on admin routes, an agent token on agent routes and a session token on a session's routes", async () => {
		const document = await servedDocument();
		for (const op of operations(document)) {
			const schemes = op.security.flatMap((requirement) => Object.keys(requirement));
			if (op.path.startsWith("/api/admin/")) expect(schemes, op.path).toEqual(["adminToken"]);
			else if (op.path === "/api/agent/conversations/{id}/ws") expect(schemes).toEqual(["agentSubprotocol"]);
			else if (op.path.startsWith("/api/agent/")) expect(schemes, op.path).toEqual(["agentToken"]);
			else if (op.path === "/api/sessions/{id}/ws") expect(schemes).toEqual(["sessionSubprotocol", "sessionQueryToken"]);
			else if (op.path.startsWith("/api/sessions/{id}")) expect(schemes, op.path).toEqual(["sessionToken"]);
			else expect(schemes, op.path).toEqual([]);
		}
	});

	it("types the integer query parameters (after, limit) as integers, so a generated client sends numbers", async () => {
		const document = await servedDocument();
		const parameterSchema = z.object({ name: z.string(), in: z.string(), schema: z.object({ type: z.string() }).loose() });
		const queryParameters = Object.values(document.paths).flatMap((item) =>
			Object.values(item).flatMap((operation) => {
				const parsed = z.object({ parameters: z.array(parameterSchema).optional() }).safeParse(operation);
				return parsed.success ? (parsed.data.parameters ?? []).filter((p) => p.in === "query") : [];
			}),
		);
		const numeric = queryParameters.filter((p) => p.name === "after" || p.name === "limit");
		expect(numeric.length).toBeGreaterThanOrEqual(4);
		expect(numeric.map((p) => p.schema.type)).toEqual(numeric.map(() => "integer"));
	});

	it("gives every operation a unique operationId", async () => {
		const ids = operations(await servedDocument()).map((op) => op.operationId);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it("explains the WebSocket protocol with every frame type and error code from the frame schemas", async () => {
		const socket = operations(await servedDocument()).find((op) => op.path === "/api/sessions/{id}/ws");
		const description = socket?.description ?? "";
		for (const frame of [...frames.serverFrameSchema.def.options, ...clientFrameSchema.options]) {
			expect(description).toContain(`- **\`${frame.shape.type.def.values[0]}\`**`);
		}
		for (const code of Object.values(frames.ERROR_CODES)) expect(description).toContain(`\`${code}\``);
		expect(description).toMatch(/ping.*pong/s);
		expect(description).toMatch(/after/);
		expect(description).toContain("1009");
	});

	it("names the response, request and frame schemas as components", async () => {
		const { components } = await servedDocument();
		for (const name of ["Problem", "SessionCreated", "SessionInfo", "MessageAccepted", "MessagePage", "Message", "Article", "Health"]) {
			expect(components.schemas[name], name).toBeDefined();
		}
		for (const name of ["CreateSessionRequest", "PostMessageRequest", "ArticleInput", "WarmRequest", "ClientFrame", "ServerFrame"]) {
			expect(components.schemas[name], name).toBeDefined();
		}
	});

	it("builds the document once per isolate and version", () => {
		const generate = vi.spyOn(OpenApiGeneratorV31.prototype, "generateDocument");
		const first = openApiJson("memo-test");
		expect(openApiJson("memo-test")).toBe(first);
		expect(generate).toHaveBeenCalledTimes(1);
	});
});

describe("schema examples", () => {
	it("parse with the schema they illustrate", () => {
		// What the server sends: a Documented beside each zod/mini schema.
		const wire = [message, frames, responses, faults, dashboard].flatMap((module) => Object.values(module).filter(isDocumented));
		const wireExamples = wire.flatMap(({ schema, examples }) => (examples ?? []).map((example) => [schema, example] as const));
		// What it accepts: classic zod, documented through .meta().
		const classic: unknown[] = [...Object.values(requests), clientFrameSchema];
		const requestExamples = classic
			.filter((value): value is z.ZodType => value instanceof z.ZodType)
			.flatMap((schema) =>
				(z.array(z.unknown()).optional().parse(schema.meta()?.examples) ?? []).map((example) => [schema, example] as const),
			);
		for (const [schema, example] of [...wireExamples, ...requestExamples]) {
			expect(zm.safeParse(schema, example).error, JSON.stringify(example)).toBeUndefined();
		}
		expect(wireExamples.length).toBeGreaterThanOrEqual(20);
		expect(requestExamples.length).toBeGreaterThanOrEqual(5);
	});
});

describe("answers match the documented schemas field for field", () => {
	/** Parsing drops undocumented fields; equality then proves there were none. */
	async function expectDocumented(response: Response, status: number, schema: zm.ZodMiniType) {
		expect(response.status).toBe(status);
		const body: unknown = await response.json();
		expect(schema.parse(body)).toEqual(body);
	}

	it("for sessions and messages", async () => {
		const created = await request("/api/sessions", { method: "POST" });
		const session = responses.sessionCreatedSchema.parse(await created.clone().json());
		await expectDocumented(created, 201, responses.sessionCreatedSchema);
		const auth = { headers: { Authorization: `Bearer ${session.token}` } };
		await expectDocumented(await postMessage(session, { id: "m-1", text: "How do I reset my password?" }), 202, responses.acceptedSchema);
		await expectDocumented(await request(`/api/sessions/${session.sessionId}`, auth), 200, responses.sessionInfoSchema);
		await expectDocumented(await request(`/api/sessions/${session.sessionId}/messages`, auth), 200, responses.messagePageSchema);
		await expectDocumented(await request(`/api/sessions/${session.sessionId}`), 401, responses.problemSchema);
	});

	it("for the knowledge base and operations", async () => {
		const admin = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };
		await expectDocumented(await request("/api/kb/search?q=password"), 200, responses.kbSearchSchema);
		const article = { title: "OpenAPI test article", body: "Documented **fields** only." };
		const put = await request("/api/admin/kb/articles/openapi-test", {
			method: "PUT",
			headers: { ...admin, "Content-Type": "application/json" },
			body: JSON.stringify(article),
		});
		await expectDocumented(put, 201, responses.articleSchema);
		await expectDocumented(await request("/api/admin/kb/articles/openapi-test", { headers: admin }), 200, responses.articleSchema);
		const health = await request("/api/health");
		await expectDocumented(health, health.status === 503 ? 503 : 200, responses.healthSchema);
		await expectDocumented(await request("/api/alerts"), 200, responses.alertsSchema);
		await expectDocumented(await request("/api/admin/cache/stats", { headers: admin }), 200, responses.cacheStatsSchema);
	});
});

describe("GET /api/docs", () => {
	it("serves a page that loads the API reference from this origin only", async () => {
		const response = await request("/api/docs");
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
		const html = await response.text();
		expect(html).toContain(`src="${SCALAR_BUNDLE_PATH}"`);
		expect(html).toContain("/api/openapi.json");
		expect(html).not.toMatch(/https?:\/\//);
	});
});
