/**
 * Admin routes are safe by default: every operation the OpenAPI document
 * marks as admin answers 401 without the admin token (with a session token,
 * or a wrong one), whatever its method, body or path; and the 405 table is
 * derived from the app's routes, so a new route gets its `Allow` header
 * without a hand-kept list.
 */
import { describe, expect, it } from "vitest";
import { allowedMethods, app } from "../../src/ingress/app";
import { openApiDocument } from "../../src/ingress/openapi/document";
import { problemSchema, request } from "../support/api";

type Operation = { method: string; path: string };

/** Every documented operation with the admin scheme, its path parameters filled in. */
function adminOperations(): Operation[] {
	const paths = openApiDocument("test").paths ?? {};
	return Object.entries(paths).flatMap(([path, item]) =>
		Object.entries(item ?? {}).flatMap(([method, operation]) => {
			const security: unknown = typeof operation === "object" && operation !== null ? Reflect.get(operation, "security") : undefined;
			const admin =
				Array.isArray(security) && security.some((scheme) => typeof scheme === "object" && scheme !== null && "adminToken" in scheme);
			return admin ? [{ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x1") }] : [];
		}),
	);
}

describe("admin routes", () => {
	const operations = adminOperations();

	it("are all found in the document (the check below is not vacuous)", () => {
		expect(operations.length).toBeGreaterThanOrEqual(13);
	});

	it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))("%s answers 401 without the admin token", async (_name, op) => {
		for (const headers of [{}, { Authorization: "Bearer not-the-admin-token" }] as Record<string, string>[]) {
			const response = await request(op.path, {
				method: op.method,
				headers: { ...headers, "Content-Type": "application/json", "CF-Connecting-IP": `203.0.113.${Math.floor(Math.random() * 250)}` },
				...(op.method === "GET" || op.method === "DELETE" ? {} : { body: "{}" }),
			});
			expect(response.status).toBe(401);
			expect(problemSchema.parse(await response.json()).status).toBe(401);
		}
	});

	it("answers 401, not 404, for an unknown path under /api/admin: nothing there can be enumerated", async () => {
		expect((await request("/api/admin/no-such-thing")).status).toBe(401);
	});
});

describe("the 405 table", () => {
	it("is derived from the routes: each path lists exactly the methods it answers", () => {
		const table = allowedMethods(app.routes);
		expect(table.get("/api/sessions/:id")).toBe("GET, DELETE");
		expect(table.get("/api/sessions/:id/messages")).toBe("GET, POST");
		expect(table.get("/api/admin/kb/articles/:id")).toBe("GET, PUT, DELETE");
		expect(table.get("/api/admin/sessions/:id")).toBe("DELETE");
		expect([...table.keys()].some((path) => path.includes("*"))).toBe(false);
	});

	it("answers 405 with Allow for a method a path does not take", async () => {
		const response = await request("/api/sessions", { method: "GET" });
		expect(response.status).toBe(405);
		expect(response.headers.get("Allow")).toBe("POST");
	});
});
