/**
 * The `metrics` consumer: decodes the batches of a queue delivery, splits
 * them by MetricsStore shard (metrics/shards.ts) and folds them in with one
 * call per shard. The store remembers batch ids, so a redelivery after a
 * partial failure counts each batch once. It ships no metrics of its own:
 * each of its invocations would otherwise feed the queue it drains (the
 * dead-letter consumer's drop count goes straight into the store instead).
 */
import { describeError } from "../shared/errors";
import { sha256Hex } from "../shared/hash";
import { decodeMetricsBatch, type MetricsBatch } from "../shared/metrics/batch";
import { metricsShardCount, metricsShardOf, metricsStores } from "../shared/metrics/shards";
import { QUEUE_NAMES } from "../shared/queues";
import { decodeEach } from "./queue-runner";

export async function consumeMetrics(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const decoded = decodeEach(batch, decodeMetricsBatch);
	if (decoded.length === 0) return;
	try {
		await ingest(
			env,
			decoded.map((d) => d.job),
		);
		for (const d of decoded) d.message.ack();
	} catch (error) {
		console.warn(JSON.stringify({ event: "metrics_ingest_failed", batches: decoded.length, error: describeError(error) }));
		for (const d of decoded) d.message.retry({ delaySeconds: 5 });
	}
}

/**
 * `metrics-dlq`: batches the `metrics` consumer could not fold in through
 * all its retries. One last attempt (idempotent: the store skips batch ids
 * it has seen); if that fails too, the batches are dropped, loudly, and
 * acked, since a retry here would only be a slower drop.
 */
export async function consumeMetricsDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const decoded = decodeEach(batch, decodeMetricsBatch);
	if (decoded.length === 0) return;
	const batches = decoded.map((d) => d.job);
	try {
		await ingest(env, batches);
	} catch (error) {
		const counted = await countDropped(env, batches);
		console.error(
			JSON.stringify({
				event: "metrics_dead_letters_dropped",
				batches: batches.length,
				batchIds: batches.map((b) => b.id),
				counted,
				error: describeError(error),
			}),
		);
	}
	for (const d of decoded) d.message.ack();
}

/**
 * Adds the dropped batches to `chat_dlq_messages_total{queue="metrics-dlq"}`
 * (what the `dlq` alert reads), written straight into the store: shipped
 * through the `metrics` queue, a drop while the store is down would be one
 * more message bound for this queue, and so on forever. It often fails with
 * the ingest it reports (same store), so the log line is the record that
 * always exists; when it lands (the store came back, or only another
 * shard failed), the alert fires. One sample per dropped batch, under an id
 * derived from that batch's, so a redelivered drop counts once. Never throws.
 */
async function countDropped(env: Env, dropped: MetricsBatch[]): Promise<boolean> {
	try {
		const at = Date.now();
		const samples = await Promise.all(
			dropped.map(
				async (b): Promise<MetricsBatch> => ({
					type: "metrics.batch",
					v: 1,
					id: await droppedSampleId(b.id),
					at,
					counters: [{ name: "chat_dlq_messages_total", labels: { queue: QUEUE_NAMES.metricsDlq }, value: 1 }],
					histograms: [],
				}),
			),
		);
		await ingest(env, samples);
		return true;
	} catch (error) {
		console.warn(JSON.stringify({ event: "metrics_dead_letters_uncounted", batches: dropped.length, error: describeError(error) }));
		return false;
	}
}

/** 64 hex characters (the schema's most) from the dropped batch's id, which may itself be 64 long. */
function droppedSampleId(batchId: string): Promise<string> {
	return sha256Hex(`metrics-dlq-dropped:${batchId}`);
}

/** Splits each batch by shard (same id in every part) and ingests every shard's part in one call. */
export async function ingest(env: Env, batches: MetricsBatch[]): Promise<void> {
	const shards = metricsShardCount(env);
	const parts = Array.from({ length: shards }, () => [] as MetricsBatch[]);
	for (const b of batches) {
		for (let shard = 0; shard < shards; shard++) {
			const counters = b.counters.filter((c) => metricsShardOf(c.name, shards) === shard);
			const histograms = b.histograms.filter((h) => metricsShardOf(h.name, shards) === shard);
			if (counters.length + histograms.length > 0) parts[shard]?.push({ ...b, counters, histograms });
		}
	}
	const stores = metricsStores(env);
	await Promise.all(parts.map((part, shard) => (part.length > 0 ? stores[shard]?.ingest(part) : undefined)));
}
