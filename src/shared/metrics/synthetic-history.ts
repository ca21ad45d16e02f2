/**
 * Metric batches shaped like a store's own series, spread over `days`: one a
 * minute for the minute retention, one an hour before that (inside the hour
 * retention: the oldest full hour would already be pruned). The bench times a
 * scrape against a store filled with them (MetricsStore.synthesizeHistory,
 * development only), and the development dashboard draws them, so the
 * series whose flat default would chart nonsense get plausible values.
 */
import { z } from "zod";
import { counterSampleSchema, histogramSampleSchema, type MetricsBatch } from "./batch";
import { BUCKET_BOUNDS, bucketIndex } from "./families";
import type { SeriesTotal } from "./series";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** What each histogram observes once per batch, in seconds, unless SYNTHETIC_SECONDS says otherwise. */
const DEFAULT_SECONDS = 0.1;
/** People answer in minutes, not milliseconds: 90 s sits under the 5-minute objective with room to spare. */
const SYNTHETIC_SECONDS: Readonly<Record<string, number>> = { chat_handoff_wait_seconds: 90 };

/**
 * Increments per batch of the counters whose proportions the dashboard
 * charts (series not listed add 1): most outcomes resolved by the
 * assistant, most handoffs asked for, most ratings 4 or 5 and most answers
 * helpful, as a healthy deployment would look.
 */
const SYNTHETIC_COUNTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
	chat_conversation_outcomes_total: { bot_resolved: 2, agent_resolved: 1, abandoned: 1 },
	chat_handoffs_total: { user_request: 3, bot_declined: 2, negative_feedback: 1, other: 1 },
	chat_feedback_total: { "5": 4, "4": 3, "3": 1, "2": 1, "1": 1, helpful: 4, unhelpful: 1 },
};

/**
 * @example syntheticHistory(await store.totals(), { days: 30, now: Date.now(), minuteRetentionMs: 48 * 3_600_000 })
 */
export function syntheticHistory(
	shapes: readonly SeriesTotal[],
	{ days, now, minuteRetentionMs }: { days: number; now: number; minuteRetentionMs: number },
): MetricsBatch[] {
	const times = [
		...Array.from({ length: minuteRetentionMs / MINUTE_MS }, (_, i) => now - i * MINUTE_MS),
		...Array.from({ length: days * 24 - minuteRetentionMs / HOUR_MS - 1 }, (_, i) => now - minuteRetentionMs - (i + 1) * HOUR_MS),
	];
	// One event per series per batch (more where SYNTHETIC_COUNTS says); parsed once, so every batch is well formed.
	const counters = z
		.array(counterSampleSchema)
		.parse(shapes.filter((t) => t.kind === "counter").map((t) => ({ name: t.name, labels: t.labels, value: countOf(t) })));
	const histograms = z.array(histogramSampleSchema).parse(
		shapes
			.filter((t) => t.kind === "histogram")
			.map((t) => {
				const seconds = SYNTHETIC_SECONDS[t.name] ?? DEFAULT_SECONDS;
				const counts = [...BUCKET_BOUNDS, Number.POSITIVE_INFINITY].map((_, i) => (i === bucketIndex(seconds) ? 1 : 0));
				return { name: t.name, labels: t.labels, counts, sum: seconds, count: 1 };
			}),
	);
	return times.map((at) => ({ type: "metrics.batch", v: 1, id: crypto.randomUUID(), at, counters, histograms }));
}

/** A counter's increment per batch: by the value of the label that tells its series apart (outcome, reason, value). */
function countOf(series: SeriesTotal): number {
	const weights = SYNTHETIC_COUNTS[series.name];
	if (!weights) return 1;
	const label = series.labels.outcome ?? series.labels.reason ?? series.labels.value ?? "";
	return weights[label] ?? 1;
}
