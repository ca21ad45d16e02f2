/**
 * MetricsStore inside workerd: exact counts and bucket placement for known
 * events, a redelivered batch counted once, and retention (minutes folded
 * into hours after 48 h, hours dropped after 30 days). How the metrics
 * consumer feeds the stores: test/consumers/metrics.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "../../src/durable/metrics-store/metrics-store";
import { BUCKET_BOUNDS } from "../../src/shared/metrics/families";
import { metricsBatchOf } from "../support/metrics";

function freshStore() {
	return env.METRICS_STORE.get(env.METRICS_STORE.idFromName(`test-${crypto.randomUUID()}`));
}

describe("MetricsStore", () => {
	it("counts known events exactly and places observations in the right buckets", async () => {
		const store = freshStore();
		const batches = Array.from({ length: 10 }, (_, i) =>
			metricsBatchOf((m) => {
				m.count("chat_messages_accepted_total", {}, 3);
				m.count("chat_turns_total", { outcome: i % 5 === 0 ? "failed" : "answered", source: "model" });
				m.observe("chat_ai_response_seconds", { source: "model" }, 0.2);
				m.observe("chat_ai_response_seconds", { source: "model" }, 0.2001);
				m.observe("chat_ai_response_seconds", { source: "model" }, 9999);
			}),
		);
		expect(await store.ingest(batches)).toEqual({ ingested: 10, duplicates: 0 });
		const totals = await store.totals();
		expect(totals.find((t) => t.name === "chat_messages_accepted_total")?.value).toBe(30);
		expect(totals.find((t) => t.name === "chat_turns_total" && t.labels.outcome === "failed")?.value).toBe(2);
		expect(totals.find((t) => t.name === "chat_turns_total" && t.labels.outcome === "answered")?.value).toBe(8);
		const response = totals.find((t) => t.name === "chat_ai_response_seconds");
		const at = (bound: number) => response?.counts?.[BUCKET_BOUNDS.indexOf(bound as (typeof BUCKET_BOUNDS)[number])];
		expect(at(0.2)).toBe(10);
		expect(at(0.5)).toBe(10);
		expect(response?.counts?.at(-1)).toBe(10);
		expect(response?.value).toBe(30);
		expect(response?.sum).toBeCloseTo(10 * (0.2 + 0.2001 + 9999), 6);
	});

	it("counts a redelivered batch once", async () => {
		const store = freshStore();
		const batch = metricsBatchOf((m) => m.count("chat_dlq_messages_total", { queue: "chat-turns-dlq" }, 2));
		expect(await store.ingest([batch])).toEqual({ ingested: 1, duplicates: 0 });
		expect(await store.ingest([batch, batch])).toEqual({ ingested: 0, duplicates: 2 });
		expect((await store.totals()).find((t) => t.name === "chat_dlq_messages_total")?.value).toBe(2);
	});

	it("keeps minutes 48 h, then hours, and drops hours after 30 days", async () => {
		const store = freshStore();
		const now = Date.now();
		const ages = [60_000, MINUTE_RETENTION_MS + 60_000, MINUTE_RETENTION_MS + 120_000, HOUR_RETENTION_MS + 3_600_000];
		await store.ingest(ages.map((age) => metricsBatchOf((m) => m.count("chat_messages_accepted_total", {}), now - age)));
		expect(await store.sizes()).toMatchObject({ minutes: 4, hours: 0 });
		const pruned = await store.prune(now);
		expect(pruned.folded).toBe(3);
		const sizes = await store.sizes();
		expect(sizes.minutes).toBe(1);
		// Two old minutes in the same hour fold into one hourly row; the 30-day-old one is gone.
		expect(sizes.hours).toBeLessThanOrEqual(2);
		expect(sizes.hours).toBeGreaterThanOrEqual(1);
		const old = await store.range({ from: 0, to: now - MINUTE_RETENTION_MS });
		expect(old.reduce((sum, p) => sum + p.value, 0)).toBe(2);
		// Totals are cumulative since the store began: retention never lowers them.
		expect((await store.totals())[0]?.value).toBe(4);
	});

	it("synthesizes 30 days of history through the real ingest and retention paths (development only)", async () => {
		const store = freshStore();
		const now = Date.now();
		await store.ingest([
			metricsBatchOf((m) => {
				m.count("chat_messages_accepted_total", {});
				m.observe("chat_ws_push_seconds", {}, 0.01);
			}, now),
		]);
		const result = await store.synthesizeHistory({ days: 30, now });
		const minutes = MINUTE_RETENTION_MS / 60_000;
		const hours = 30 * 24 - MINUTE_RETENTION_MS / 3_600_000 - 1;
		expect(result).toEqual({ batches: minutes + hours, minutes: 2 * minutes, hours: 2 * hours });
		const totals = await store.totals();
		expect(totals.find((t) => t.name === "chat_messages_accepted_total")?.value).toBe(1 + minutes + hours);
		expect(totals.find((t) => t.name === "chat_ws_push_seconds")?.counts?.[4]).toBe(minutes + hours);
	});
});
