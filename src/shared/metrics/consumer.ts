/**
 * Metrics for a queue consumer's invocation: each message's wait (enqueued →
 * delivered, from the queue's own timestamp), recorded before the work, and
 * one shipment when the batch is done.
 */
import { MetricsRecorder, shipMetrics } from "./recorder";

/**
 * @example const metrics = batchMetrics(batch); … ; shipMetrics(env, metrics, (p) => ctx.waitUntil(p));
 */
export function batchMetrics(batch: MessageBatch<unknown>, now = Date.now()): MetricsRecorder {
	const metrics = new MetricsRecorder();
	for (const message of batch.messages) {
		metrics.observe("chat_queue_wait_seconds", { queue: batch.queue }, (now - message.timestamp.getTime()) / 1000);
	}
	return metrics;
}

/** Runs a consumer with its batch's metrics, shipping them whatever the outcome. */
export async function withBatchMetrics(
	batch: MessageBatch<unknown>,
	env: Env,
	ctx: { waitUntil(promise: Promise<unknown>): void },
	consume: (metrics: MetricsRecorder) => Promise<void>,
): Promise<void> {
	const metrics = batchMetrics(batch);
	try {
		await consume(metrics);
	} finally {
		shipMetrics(env, metrics, (promise) => ctx.waitUntil(promise), { immediately: true });
	}
}

/** Counts a dead-letter queue's arrivals, once each: a redelivery to its consumer is not a new dead letter. */
export function countDeadLetters(batch: MessageBatch<unknown>, metrics: MetricsRecorder): void {
	const arrivals = batch.messages.filter((m) => m.attempts === 1).length;
	metrics.count("chat_dlq_messages_total", { queue: batch.queue }, arrivals);
}
