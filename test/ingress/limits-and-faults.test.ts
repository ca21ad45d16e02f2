/**
 * The ingress guards added in hardening: per-IP limits on knowledge-base
 * search and failed admin attempts, per-session connect limits, and the
 * development-only fault switch (CONTRACT §6).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { faultsSchema, NO_FAULTS } from "../../src/shared/schemas/faults";
import { faultStateSchema } from "../../src/shared/schemas/responses";
import { createSession, problemSchema, request } from "../support/api";

const ADMIN = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };

/** Each test spends its own limiter keys, so tests cannot starve one another. */
function fromIp(ip: string, headers: Record<string, string> = {}): Record<string, string> {
	return { "CF-Connecting-IP": ip, ...headers };
}

async function expectStatus(response: Response, status: number): Promise<void> {
	expect(response.status).toBe(status);
	if (status >= 400) {
		expect(response.headers.get("Content-Type")).toBe("application/problem+json");
		expect(problemSchema.parse(await response.json()).status).toBe(status);
	}
}

/**
 * The local rate limiter counts in windows aligned to the wall clock (each
 * minute); a test that crossed into the next one would see its count reset.
 * Starting with at least 15 s of the window left keeps each test inside one.
 */
async function awayFromWindowEdge(periodMs = 60_000, marginMs = 15_000): Promise<void> {
	const left = periodMs - (Date.now() % periodMs);
	if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

// Waiting out a window edge takes up to 15 s: more than the default 5 s test timeout (this was a wall-clock flake).
describe("rate limits", { timeout: 30_000 }, () => {
	it("limits knowledge-base search per client IP", async () => {
		await awayFromWindowEdge();
		for (let i = 0; i < 120; i++) await expectStatus(await request("/api/kb/search?q=password", { headers: fromIp("10.0.0.1") }), 200);
		const limited = await request("/api/kb/search?q=password", { headers: fromIp("10.0.0.1") });
		expect(limited.headers.get("Retry-After")).toBe("60");
		await expectStatus(limited, 429);
		await expectStatus(await request("/api/kb/search?q=password", { headers: fromIp("10.0.0.2") }), 200);
	});

	it("answers failed admin attempts with 429 past ten a minute from one IP", async () => {
		await awayFromWindowEdge();
		const wrong = fromIp("10.0.1.1", { Authorization: "Bearer guess" });
		for (let i = 0; i < 10; i++) await expectStatus(await request("/api/admin/kb/articles/x", { headers: wrong }), 401);
		await expectStatus(await request("/api/admin/kb/articles/x", { headers: wrong }), 429);
		await expectStatus(await request("/api/admin/kb/articles/x", { headers: fromIp("10.0.1.2", { Authorization: "Bearer guess" }) }), 401);
	});

	it("limits socket connects per session", async () => {
		const session = await createSession();
		await awayFromWindowEdge();
		const upgrade = { Upgrade: "websocket", "Sec-WebSocket-Protocol": `chat.v1, bearer.${session.token}` };
		for (let i = 0; i < 60; i++) {
			const response = await request(`/api/sessions/${session.sessionId}/ws`, { headers: upgrade });
			expect(response.status).toBe(101);
			response.webSocket?.accept();
			response.webSocket?.close(1000, "done");
		}
		await expectStatus(await request(`/api/sessions/${session.sessionId}/ws`, { headers: upgrade }), 429);
	});
});

describe("the fault switch", () => {
	it("does not exist in production, whatever the credentials", async () => {
		const production = { ...env, ENVIRONMENT: "production", SESSION_SECRET: "p".repeat(40), ADMIN_TOKEN: "a".repeat(40) };
		const headers = { Authorization: `Bearer ${"a".repeat(40)}`, "Content-Type": "application/json" };
		for (const method of ["GET", "POST", "DELETE", "PUT"]) {
			const response = await request("/api/admin/faults", { method, headers, body: method === "POST" ? "{}" : null }, production);
			await expectStatus(response, 404);
		}
	});

	it("needs the admin token in development", async () => {
		await expectStatus(await request("/api/admin/faults", { headers: fromIp("10.0.2.1") }), 401);
	});

	it("sets, reports and clears the faults", async () => {
		const headers = { ...ADMIN, "Content-Type": "application/json" };
		const set = await request("/api/admin/faults", { method: "POST", headers, body: JSON.stringify({ aiFailureRate: 0.3 }) });
		expect(set.status).toBe(200);
		expect(faultsSchema.parse(await set.json())).toEqual({ ...NO_FAULTS, aiFailureRate: 0.3 });
		const state = faultStateSchema.parse(await (await request("/api/admin/faults", { headers: ADMIN })).json());
		expect(state.faults.aiFailureRate).toBe(0.3);
		await expectStatus(await request("/api/admin/faults", { method: "DELETE", headers: ADMIN }), 204);
		const cleared = faultStateSchema.parse(await (await request("/api/admin/faults", { headers: ADMIN })).json());
		expect(cleared.faults).toEqual(NO_FAULTS);
	});

	it.each([{ aiFailureRate: 2 }, { aiDelayMs: -1 }, { aiDelayMs: 60_001 }, { aiFailureKind: "sometimes" }, { extra: true }])(
		"refuses %j with 400",
		async (body) => {
			const headers = { ...ADMIN, "Content-Type": "application/json" };
			await expectStatus(await request("/api/admin/faults", { method: "POST", headers, body: JSON.stringify(body) }), 400);
		},
	);
});
