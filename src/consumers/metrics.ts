/**
 * The `metrics` consumer: decodes the batches of a queue delivery, splits
 * them by MetricsStore shard (metrics/shards.ts) and folds them in with one
 * call per shard. The store remembers batch ids, so a redelivery after a
 * partial failure counts each batch once. It ships no metrics of its own:
 * each of its invocations would otherwise feed the queue it drains.
 */
import { describeError } from "../shared/errors";
import { decodeMetricsBatch, type MetricsBatch } from "../shared/metrics/batch";
import { metricsShardCount, metricsShardOf, metricsStores } from "../shared/metrics/shards";

export async function consumeMetrics(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const decoded: { message: Message<unknown>; batch: MetricsBatch }[] = [];
	for (const message of batch.messages) {
		try {
			decoded.push({ message, batch: decodeMetricsBatch(message.body) });
		} catch (error) {
			console.error(JSON.stringify({ event: "malformed_metrics_batch", messageId: message.id, error: describeError(error) }));
			message.ack();
		}
	}
	if (decoded.length === 0) return;
	try {
		await ingest(
			env,
			decoded.map((d) => d.batch),
		);
		for (const d of decoded) d.message.ack();
	} catch (error) {
		console.warn(JSON.stringify({ event: "metrics_ingest_failed", batches: decoded.length, error: describeError(error) }));
		for (const d of decoded) d.message.retry({ delaySeconds: 5 });
	}
}

/** `metrics-dlq`: one last idempotent attempt, then the batches are dropped, loudly. */
export async function consumeMetricsDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	try {
		await consumeMetrics(batch, env);
	} catch (error) {
		console.error(JSON.stringify({ event: "metrics_dead_letters_dropped", batches: batch.messages.length, error: describeError(error) }));
		batch.ackAll();
	}
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
