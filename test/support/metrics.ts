/** Helpers for metrics tests: a batch as one isolate's recorder would ship it. */
import type { MetricsBatch } from "../../src/shared/metrics/batch";
import { MetricsRecorder } from "../../src/shared/metrics/recorder";

/**
 * The batch a recorder takes after `record` ran on it, stamped `at`.
 * @example await store.ingest([metricsBatchOf((m) => m.count("chat_messages_accepted_total", {}))])
 */
export function metricsBatchOf(record: (m: MetricsRecorder) => void, at = Date.now()): MetricsBatch {
	const recorder = new MetricsRecorder();
	record(recorder);
	const batch = recorder.take(at);
	if (!batch) throw new Error("nothing recorded");
	return batch;
}
