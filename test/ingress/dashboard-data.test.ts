/**
 * The dashboard's series endpoint (admin): chart-ready data built from the
 * real rollups, and clear problems for bad input.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ingest } from "../../src/consumers/metrics";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { MetricsRecorder } from "../../src/shared/metrics/recorder";
import { dashboardDataSchema } from "../../src/shared/schemas/dashboard";
import { problemSchema, request } from "../support/api";

const admin = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };

describe("GET /api/admin/metrics/series", () => {
	it("answers a minute-by-minute hour with percentiles, throughput, error rate and hit rates", async () => {
		const recorder = new MetricsRecorder();
		recorder.count("chat_messages_accepted_total", {}, 6);
		recorder.count("chat_turns_total", { outcome: "answered", source: "model" }, 3);
		recorder.count("chat_turns_total", { outcome: "failed", source: "model" }, 1);
		for (const s of [0.3, 0.4, 7]) recorder.observe("chat_ai_response_seconds", { source: "model" }, s);
		const batch = recorder.take();
		if (batch) await ingest(env, [batch]);

		const response = await request("/api/admin/metrics/series?range=1h", { headers: admin });
		expect(response.status).toBe(200);
		const data = dashboardDataSchema.parse(await response.json());
		expect(data.times).toHaveLength(60);
		expect(data.stepSeconds).toBe(60);
		const last = data.times.length - 1;
		const ai = data.latency.find((l) => l.id === "chat_ai_response_seconds");
		expect(ai?.sloSeconds).toBe(5);
		expect(ai?.p99[last]).toBeGreaterThan(5);
		expect(ai?.p50[last]).toBeGreaterThan(0.2);
		expect(ai?.p50[last]).toBeLessThanOrEqual(0.5);
		expect(data.throughput.accepted[last]).toBeGreaterThanOrEqual(6);
		expect(data.errorRate[last]).toBeGreaterThan(0);
		expect(data.latency.map((l) => l.id)).toContain("chat_ws_push_seconds");
	});

	it("charts each model's spend in dollars per hour, the biggest spender first", async () => {
		const recorder = new MetricsRecorder();
		// Nano-dollars, as the spend counter records them: $0.012 and $0.0006 in this minute.
		recorder.count("chat_ai_cost_dollars_total", { model: "@cf/test/small" }, 600_000);
		recorder.count("chat_ai_cost_dollars_total", { model: "@cf/test/large" }, 12_000_000);
		const batch = recorder.take();
		if (batch) await ingest(env, [batch]);

		const response = await request("/api/admin/metrics/series?range=1h", { headers: admin });
		const data = dashboardDataSchema.parse(await response.json());
		const last = data.times.length - 1;
		expect(data.spend.map((s) => s.model)).toEqual(["@cf/test/large", "@cf/test/small"]);
		// A one-minute step: a minute's spend times 60 is the hourly rate.
		expect(data.spend[0]?.dollarsPerHour[last]).toBeCloseTo(0.72, 9);
		expect(data.spend[1]?.dollarsPerHour[last]).toBeCloseTo(0.036, 9);
		expect(data.spend[0]?.dollarsPerHour).toHaveLength(data.times.length);
	});

	it("refuses an unknown range (400), extra parameters (400) and a missing token (401)", async () => {
		for (const query of ["range=2h", "range=", "range=1h&x=1"]) {
			const response = await request(`/api/admin/metrics/series?${query}`, { headers: admin });
			expect(response.status).toBe(400);
			expect(problemSchema.parse(await response.json()).status).toBe(400);
		}
		expect((await request("/api/admin/metrics/series")).status).toBe(401);
	});
});

describe("POST /api/admin/metrics/synthetic (development only)", () => {
	it("refuses bad input (400) and a missing token (401)", async () => {
		for (const body of ['{"days":1}', '{"days":31}', '{"days":"30"}', '{"days":30,"x":1}', "not json"]) {
			const response = await request("/api/admin/metrics/synthetic", {
				method: "POST",
				headers: { ...admin, "Content-Type": "application/json" },
				body,
			});
			expect(response.status).toBe(400);
			expect(problemSchema.parse(await response.json()).status).toBe(400);
		}
		expect((await request("/api/admin/metrics/synthetic", { method: "POST", body: '{"days":30}' })).status).toBe(401);
	});

	it("does not exist in production, whatever the credentials", async () => {
		const production = { ...env, ENVIRONMENT: "production", SESSION_SECRET: "p".repeat(40), ADMIN_TOKEN: "a".repeat(40) };
		const headers = { Authorization: `Bearer ${"a".repeat(40)}`, "Content-Type": "application/json" };
		const response = await request("/api/admin/metrics/synthetic", { method: "POST", headers, body: '{"days":30}' }, production);
		expect(response.status).toBe(404);
	});
});
