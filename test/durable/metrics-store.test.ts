/**
 * MetricsStore inside workerd: exact counts and bucket placement for known
 * events, a redelivered batch counted once, families split over shards and
 * read back whole, and retention (minutes folded into hours after 48 h,
 * hours dropped after 30 days).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeMetrics, ingest } from "../../src/consumers/metrics";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "../../src/durable/metrics-store/metrics-store";
import { encodeMetricsBatch, type MetricsBatch } from "../../src/shared/metrics/batch";
import { BUCKET_BOUNDS } from "../../src/shared/metrics/families";
import { MetricsRecorder } from "../../src/shared/metrics/recorder";
import { metricsShardOf, metricsStoreName } from "../../src/shared/metrics/shards";
import { QUEUE_NAMES } from "../../src/shared/queues";
import { metricsStore } from "../../src/shared/stubs";

function freshStore() {
	return env.METRICS_STORE.get(env.METRICS_STORE.idFromName(`test-${crypto.randomUUID()}`));
}

function batchOf(record: (m: MetricsRecorder) => void, at = Date.now()): MetricsBatch {
	const recorder = new MetricsRecorder();
	record(recorder);
	const batch = recorder.take(at);
	if (!batch) throw new Error("nothing recorded");
	return batch;
}

describe("MetricsStore", () => {
	it("counts known events exactly and places observations in the right buckets", async () => {
		const store = freshStore();
		const batches = Array.from({ length: 10 }, (_, i) =>
			batchOf((m) => {
				m.count("chat_messages_accepted_total", {}, 3);
				m.count("chat_turns_total", { outcome: i % 5 === 0 ? "failed" : "answered", source: "model" });
				m.observe("chat_ai_response_seconds", { source: "model" }, 0.2);
				m.observe("chat_ai_response_seconds", { source: "model" }, 0.2001);
				m.observe("chat_ai_response_seconds", { source: "model" }, 99);
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
		expect(response?.sum).toBeCloseTo(10 * (0.2 + 0.2001 + 99), 6);
	});

	it("counts a redelivered batch once", async () => {
		const store = freshStore();
		const batch = batchOf((m) => m.count("chat_dlq_messages_total", { queue: "chat-turns-dlq" }, 2));
		expect(await store.ingest([batch])).toEqual({ ingested: 1, duplicates: 0 });
		expect(await store.ingest([batch, batch])).toEqual({ ingested: 0, duplicates: 2 });
		expect((await store.totals()).find((t) => t.name === "chat_dlq_messages_total")?.value).toBe(2);
	});

	it("keeps minutes 48 h, then hours, and drops hours after 30 days", async () => {
		const store = freshStore();
		const now = Date.now();
		const ages = [60_000, MINUTE_RETENTION_MS + 60_000, MINUTE_RETENTION_MS + 120_000, HOUR_RETENTION_MS + 3_600_000];
		await store.ingest(ages.map((age) => batchOf((m) => m.count("chat_messages_accepted_total", {}), now - age)));
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
			batchOf((m) => {
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

	it("splits families over shards and reads them back whole", async () => {
		const shards = 3;
		const bindings = { ...env, METRICS_SHARDS: String(shards) };
		const tag = crypto.randomUUID();
		const batch = batchOf((m) => {
			m.count("chat_errors_total", { category: `test-${tag}` }, 5);
			m.count("cache_warm_questions_total", { result: "warmed" }, 7);
			m.observe("chat_queue_wait_seconds", { queue: `q-${tag}` }, 0.05);
		});
		await ingest(bindings, [batch]);
		await ingest(bindings, [batch]);
		const store = (family: string) => metricsStore(env, metricsStoreName(metricsShardOf(family, shards)));
		const errors = (await store("chat_errors_total").totals()).find((t) => t.labels.category === `test-${tag}`);
		expect(errors?.value).toBe(5);
		const wait = (await store("chat_queue_wait_seconds").totals()).find((t) => t.labels.queue === `q-${tag}`);
		expect(wait?.value).toBe(1);
	});

	it("acks a malformed queue message without folding anything in, and folds the good ones", async () => {
		const tag = crypto.randomUUID();
		const good = batchOf((m) => m.count("chat_errors_total", { category: `good-${tag}` }, 4));
		const bad = { ...good, id: crypto.randomUUID(), counters: [{ name: "made_up_total", labels: {}, value: 1 }] };
		const batch = createMessageBatch(QUEUE_NAMES.metrics, [
			{ id: "bad", timestamp: new Date(), attempts: 1, body: encodeMetricsBatch(bad as unknown as MetricsBatch) },
			{ id: "garbage", timestamp: new Date(), attempts: 1, body: "not superjson" },
			{ id: "good", timestamp: new Date(), attempts: 1, body: encodeMetricsBatch(good) },
		]);
		const ctx = createExecutionContext();
		await consumeMetrics(batch, env);
		const result = await getQueueResult(batch, ctx);
		expect(result.explicitAcks.sort()).toEqual(["bad", "garbage", "good"]);
		const totals = await metricsStore(env, metricsStoreName(0)).totals();
		expect(totals.find((t) => t.labels.category === `good-${tag}`)?.value).toBe(4);
		expect(totals.some((t) => t.name === "made_up_total")).toBe(false);
	});
});
