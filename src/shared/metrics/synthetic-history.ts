/**
 * Metric batches shaped like a store's own series, spread over `days`: one a
 * minute for the minute retention, one an hour before that (inside the hour
 * retention: the oldest full hour would already be pruned). The bench times a
 * scrape against a store filled with them (MetricsStore.synthesizeHistory,
 * development only).
 */
import { z } from "zod";
import { counterSampleSchema, histogramSampleSchema, type MetricsBatch } from "./batch";
import { BUCKET_BOUNDS, bucketIndex } from "./families";
import type { SeriesTotal } from "./series";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export function syntheticHistory(
	shapes: readonly SeriesTotal[],
	{ days, now, minuteRetentionMs }: { days: number; now: number; minuteRetentionMs: number },
): MetricsBatch[] {
	const times = [
		...Array.from({ length: minuteRetentionMs / MINUTE_MS }, (_, i) => now - i * MINUTE_MS),
		...Array.from({ length: days * 24 - minuteRetentionMs / HOUR_MS - 1 }, (_, i) => now - minuteRetentionMs - (i + 1) * HOUR_MS),
	];
	// One event per series per batch; parsed once, so every batch is well formed.
	const counters = z
		.array(counterSampleSchema)
		.parse(shapes.filter((t) => t.kind === "counter").map((t) => ({ name: t.name, labels: t.labels, value: 1 })));
	// Each histogram observes 100 ms once per batch.
	const counts = [...BUCKET_BOUNDS, Number.POSITIVE_INFINITY].map((_, i) => (i === bucketIndex(0.1) ? 1 : 0));
	const histograms = z
		.array(histogramSampleSchema)
		.parse(shapes.filter((t) => t.kind === "histogram").map((t) => ({ name: t.name, labels: t.labels, counts, sum: 0.1, count: 1 })));
	return times.map((at) => ({ type: "metrics.batch", v: 1, id: crypto.randomUUID(), at, counters, histograms }));
}
