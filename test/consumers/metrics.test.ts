/**
 * The metrics consumer (src/consumers/metrics.ts) inside workerd with the
 * real stores: it splits a batch's families over the shards, which read them
 * back whole, and through the runtime's own batch it acks a malformed
 * message without folding anything in while the good ones are folded.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeMetrics, ingest } from "../../src/consumers/metrics";
import { encodeMetricsBatch, type MetricsBatch } from "../../src/shared/metrics/batch";
import { metricsShardOf, metricsStoreName } from "../../src/shared/metrics/shards";
import { QUEUE_NAMES } from "../../src/shared/queues";
import { metricsStore } from "../../src/shared/stubs";
import { metricsBatchOf } from "../support/metrics";

describe("the metrics consumer", () => {
	it("splits families over shards and reads them back whole", async () => {
		const shards = 3;
		const bindings = { ...env, METRICS_SHARDS: String(shards) };
		const tag = crypto.randomUUID();
		const batch = metricsBatchOf((m) => {
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
		const good = metricsBatchOf((m) => m.count("chat_errors_total", { category: `good-${tag}` }, 4));
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
