/**
 * The dashboard's series endpoint (admin): chart-ready data built from the
 * real rollups (the machine's health and the people side: outcomes,
 * handoffs, the wait for a person, feedback), and clear problems for bad
 * input.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ingest } from "../../src/consumers/metrics";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { MetricsRecorder } from "../../src/shared/metrics/recorder";
import { type DashboardData, dashboardDataSchema } from "../../src/shared/schemas/dashboard";
import { problemSchema, request } from "../support/api";

const admin = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };

/** Ingests what `record` records as one batch, and answers the minute it counts in (ms). */
async function seed(record: (recorder: MetricsRecorder) => void): Promise<number> {
	const recorder = new MetricsRecorder();
	record(recorder);
	const batch = recorder.take();
	if (!batch) throw new Error("seed recorded nothing");
	await ingest(env, [batch]);
	return batch.at;
}

async function lastHour(): Promise<DashboardData> {
	const response = await request("/api/admin/metrics/series?range=1h", { headers: admin });
	expect(response.status).toBe(200);
	return dashboardDataSchema.parse(await response.json());
}

/** The index of the one-minute step holding `at`: the seeded step, even if the clock has turned a minute since. */
function stepOf(data: DashboardData, at: number): number {
	const index = data.times.indexOf(Math.floor(at / 60_000) * 60);
	expect(index).toBeGreaterThanOrEqual(0);
	return index;
}

/** Every step's value but the seeded one's. */
const others = <T>(values: T[], index: number): T[] => values.filter((_, i) => i !== index);

describe("GET /api/admin/metrics/series", () => {
	it("answers a minute-by-minute hour with percentiles, throughput, error rate and hit rates", async () => {
		const recorder = new MetricsRecorder();
		recorder.count("chat_messages_accepted_total", {}, 6);
		recorder.count("chat_turns_total", { outcome: "answered", source: "model" }, 3);
		recorder.count("chat_turns_total", { outcome: "failed", source: "model" }, 1);
		for (const s of [0.3, 0.4, 7]) recorder.observe("chat_ai_response_seconds", { source: "model" }, s);
		const batch = recorder.take();
		if (!batch) throw new Error("recorded nothing");
		await ingest(env, [batch]);

		const data = await lastHour();
		expect(data.times).toHaveLength(60);
		expect(data.stepSeconds).toBe(60);
		// The seeded minute, not the newest one: the clock may have turned a minute since the ingest.
		const last = stepOf(data, batch.at);
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

	it("charts the share of outcomes the assistant resolved, and the outcomes counted, per step", async () => {
		const at = await seed((m) => {
			m.count("chat_conversation_outcomes_total", { outcome: "bot_resolved", basis: "confirmed" }, 3);
			m.count("chat_conversation_outcomes_total", { outcome: "bot_resolved", basis: "assumed" }, 2);
			m.count("chat_conversation_outcomes_total", { outcome: "agent_resolved", basis: "confirmed" }, 2);
			m.count("chat_conversation_outcomes_total", { outcome: "abandoned", basis: "assumed" }, 1);
		});
		const data = await lastHour();
		const i = stepOf(data, at);
		const { botResolvedRate, botConfirmed, botAssumed, agentResolved, abandoned } = data.outcomes;
		// 5 of 8 outcomes were the assistant's, confirmed or assumed.
		expect(botResolvedRate[i]).toBe(0.625);
		expect([botConfirmed[i], botAssumed[i], agentResolved[i], abandoned[i]]).toEqual([3, 2, 2, 1]);
		// A step without outcomes has no rate, and counts none.
		expect(new Set(others(botResolvedRate, i))).toEqual(new Set([null]));
		expect(new Set([botConfirmed, botAssumed, agentResolved, abandoned].flatMap((c) => others(c, i)))).toEqual(new Set([0]));
		expect(botResolvedRate).toHaveLength(data.times.length);
	});

	it("charts handoffs per step by reason, and the wait for a person's p50 and p95 against 300 s", async () => {
		const at = await seed((m) => {
			m.count("chat_handoffs_total", { reason: "user_request" }, 3);
			m.count("chat_handoffs_total", { reason: "bot_declined" }, 2);
			m.count("chat_handoffs_total", { reason: "negative_feedback" }, 1);
			// Nine people answered in 200 s (the bucket up to 300 s), one in 1000 s (the bucket up to 3600 s).
			for (let n = 0; n < 9; n++) m.observe("chat_handoff_wait_seconds", {}, 200);
			m.observe("chat_handoff_wait_seconds", {}, 1000);
		});
		const data = await lastHour();
		const i = stepOf(data, at);
		expect(data.handoffs.map((h) => [h.reason, h.counts[i]])).toEqual([
			["user_request", 3],
			["bot_declined", 2],
			["negative_feedback", 1],
			["other", 0],
		]);
		expect(new Set(data.handoffs.flatMap((h) => others(h.counts, i)))).toEqual(new Set([0]));
		expect(data.handoffWait.sloSeconds).toBe(300);
		// Interpolated inside the buckets, as histogram_quantile does: 120 + 180 × 5/9, and 900 + 2700 × 0.5/1.
		expect(data.handoffWait.p50[i]).toBe(220);
		expect(data.handoffWait.p95[i]).toBe(2250);
		expect(new Set(others(data.handoffWait.p95, i))).toEqual(new Set([null]));
	});

	it("charts back-office tool calls per step by how they ended", async () => {
		const at = await seed((m) => {
			m.count("chat_tool_calls_total", { tool: "list_invoices", status: "done" }, 4);
			m.count("chat_tool_calls_total", { tool: "get_subscription", status: "done" }, 1);
			m.count("chat_tool_calls_total", { tool: "request_refund", status: "declined" }, 2);
			m.count("chat_tool_calls_total", { tool: "get_subscription", status: "failed" }, 1);
		});
		const data = await lastHour();
		const i = stepOf(data, at);
		const { done, failed, declined, cancelled } = data.toolCalls;
		expect([done[i], failed[i], declined[i], cancelled[i]]).toEqual([5, 1, 2, 0]);
		expect(new Set([done, failed, declined, cancelled].flatMap((c) => others(c, i)))).toEqual(new Set([0]));
	});

	it("charts ratings per step with the share rated 4 or 5, and answers marked helpful and unhelpful", async () => {
		const at = await seed((m) => {
			m.count("chat_feedback_total", { kind: "rating", value: "5" }, 2);
			m.count("chat_feedback_total", { kind: "rating", value: "4" }, 1);
			m.count("chat_feedback_total", { kind: "rating", value: "3" }, 1);
			m.count("chat_feedback_total", { kind: "answer", value: "helpful" }, 3);
			m.count("chat_feedback_total", { kind: "answer", value: "unhelpful" }, 1);
		});
		const data = await lastHour();
		const i = stepOf(data, at);
		const { ratings, satisfiedRate, helpful, unhelpful } = data.feedback;
		// Answer marks are not ratings: 3 of the 4 ratings were 4 or 5.
		expect([ratings[i], satisfiedRate[i], helpful[i], unhelpful[i]]).toEqual([4, 0.75, 3, 1]);
		expect(new Set(others(satisfiedRate, i))).toEqual(new Set([null]));
		expect(new Set([ratings, helpful, unhelpful].flatMap((c) => others(c, i)))).toEqual(new Set([0]));
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
