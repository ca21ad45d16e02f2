/**
 * The `metrics-dlq` consumer (issue 17, item 10): one last idempotent ingest,
 * and when that fails too, a loud drop: a `metrics_dead_letters_dropped` log
 * line, `chat_dlq_messages_total{queue="metrics-dlq"}` written straight into
 * the store when it can be, and every message acked.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import worker from "../../src/index";
import { encodeMetricsBatch, type MetricsBatch } from "../../src/shared/metrics/batch";
import { MetricsRecorder } from "../../src/shared/metrics/recorder";
import { metricsStoreName } from "../../src/shared/metrics/shards";
import { QUEUE_NAMES } from "../../src/shared/queues";

const droppedLogSchema = z.object({
	event: z.literal("metrics_dead_letters_dropped"),
	batches: z.number(),
	batchIds: z.array(z.string()),
	counted: z.boolean(),
});

function batchOf(category: string): MetricsBatch {
	const recorder = new MetricsRecorder();
	recorder.count("chat_errors_total", { category }, 2);
	const batch = recorder.take();
	if (!batch) throw new Error("nothing recorded");
	return batch;
}

/**
 * The bindings with stores of this test's own (fresh names), whose ingest
 * fails for any batch that `fails` picks: the last attempt can fail while
 * the drop counter still lands, or both can fail.
 */
function storesThatFail(fails: (batch: MetricsBatch) => boolean) {
	const tag = crypto.randomUUID();
	const idOf = (name: string) => env.METRICS_STORE.idFromName(`${tag}-${name}`);
	const namespace = Object.assign(Object.create(env.METRICS_STORE), {
		idFromName: idOf,
		get: (id: DurableObjectId) => ({
			ingest: async (batches: MetricsBatch[]) => {
				if (batches.some(fails)) throw new Error("store unavailable");
				return env.METRICS_STORE.get(id).ingest(batches);
			},
		}),
	});
	const bindings: Env = { ...env, METRICS_STORE: namespace };
	return { bindings, store: () => env.METRICS_STORE.get(idOf(metricsStoreName(0))) };
}

async function deliverDeadLetters(batches: MetricsBatch[], bindings: Env, ids = batches.map((_, i) => `dead-${i}`)) {
	const batch = createMessageBatch(
		QUEUE_NAMES.metricsDlq,
		batches.map((b, i) => ({ id: ids[i] ?? `dead-${i}`, timestamp: new Date(), attempts: 1, body: encodeMetricsBatch(b) })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch, bindings, ctx);
	return getQueueResult(batch, ctx);
}

function droppedLogs(spy: { mock: { calls: unknown[][] } }) {
	return spy.mock.calls.flatMap(([line]) => {
		const parsed = droppedLogSchema.safeParse(typeof line === "string" ? JSON.parse(line) : undefined);
		return parsed.success ? [parsed.data] : [];
	});
}

const isDropCounter = (b: MetricsBatch) => b.counters.every((c) => c.name === "chat_dlq_messages_total");

afterEach(() => {
	vi.restoreAllMocks();
});

describe("metrics-dlq consumer", () => {
	it("folds dead-lettered batches in with one last attempt and acks them, dropping nothing", async () => {
		const errors = vi.spyOn(console, "error");
		const { bindings, store } = storesThatFail(() => false);
		const category = `dlq-${crypto.randomUUID()}`;
		const result = await deliverDeadLetters([batchOf(category), batchOf(category)], bindings);
		expect(result.explicitAcks.sort()).toEqual(["dead-0", "dead-1"]);
		expect(result.retryMessages).toEqual([]);
		const totals = await store().totals();
		expect(totals.find((t) => t.labels.category === category)?.value).toBe(4);
		expect(totals.some((t) => t.name === "chat_dlq_messages_total")).toBe(false);
		expect(droppedLogs(errors)).toEqual([]);
	});

	it("drops loudly when the last attempt fails: logs metrics_dead_letters_dropped, counts each batch once, acks", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const { bindings, store } = storesThatFail((b) => !isDropCounter(b));
		const batches = [batchOf("lost"), batchOf("lost")];
		const first = await deliverDeadLetters(batches, bindings);
		expect(first.explicitAcks.sort()).toEqual(["dead-0", "dead-1"]);
		expect(first.retryMessages).toEqual([]);
		// The same batches again (a redelivery after a crash, say): still counted once each.
		await deliverDeadLetters(batches, bindings, ["again-0", "again-1"]);
		const logs = droppedLogs(errors);
		expect(logs).toHaveLength(2);
		expect(logs[0]).toMatchObject({ batches: 2, batchIds: batches.map((b) => b.id), counted: true });
		const totals = await store().totals();
		const dropped = totals.find((t) => t.name === "chat_dlq_messages_total");
		expect(dropped).toMatchObject({ labels: { queue: "metrics-dlq" }, value: 2 });
		expect(totals.some((t) => t.name === "chat_errors_total")).toBe(false);
	});

	it("still logs and acks when the drop cannot be counted either", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
		vi.spyOn(console, "warn").mockImplementation(() => undefined);
		const { bindings } = storesThatFail(() => true);
		const result = await deliverDeadLetters([batchOf("lost")], bindings);
		expect(result.explicitAcks).toEqual(["dead-0"]);
		expect(result.retryMessages).toEqual([]);
		expect(droppedLogs(errors)).toMatchObject([{ batches: 1, counted: false }]);
	});
});
