/**
 * The `metrics` queue's message: the events of one invocation, already
 * folded (a counter's increments summed, a histogram's observations
 * bucketed), under an id that makes a redelivered batch count once.
 */
import superjson from "superjson";
import { z } from "zod";
import { bodyText, isSuperjsonEnvelope } from "../schemas/inputs";
import { BUCKET_BOUNDS, COUNTERS, HISTOGRAMS } from "./families";

const labelsSchema = z.record(z.string().max(64), z.string().max(128));

export const counterSampleSchema = z.object({
	name: z.enum(Object.keys(COUNTERS) as [keyof typeof COUNTERS]),
	labels: labelsSchema,
	value: z.number().int().min(0),
});
export type CounterSample = z.infer<typeof counterSampleSchema>;

export const histogramSampleSchema = z.object({
	name: z.enum(Object.keys(HISTOGRAMS) as [keyof typeof HISTOGRAMS]),
	labels: labelsSchema,
	/** Per bucket, not cumulative; the last is +Inf. */
	counts: z.array(z.number().int().min(0)).length(BUCKET_BOUNDS.length + 1),
	sum: z.number().min(0),
	count: z.number().int().min(0),
});
export type HistogramSample = z.infer<typeof histogramSampleSchema>;

export const metricsBatchSchema = z.object({
	type: z.literal("metrics.batch"),
	v: z.literal(1),
	id: z.string().min(8).max(64),
	/** When the invocation ended (ms): the minute it counts in. */
	at: z.number().int().min(0),
	counters: z.array(counterSampleSchema).max(500),
	histograms: z.array(histogramSampleSchema).max(200),
});
export type MetricsBatch = z.infer<typeof metricsBatchSchema>;

/**
 * Plain JSON: a batch is strings and numbers only, and superjson's walk over
 * its hundreds of bucket counts was the largest single cost of shipping
 * metrics (bench/overhead.ts profile, docs/benchmarks.md).
 */
export function encodeMetricsBatch(batch: MetricsBatch): string {
	return JSON.stringify(batch);
}

/**
 * Throws (a permanent failure) when the body is malformed. Batches sent
 * before plain JSON are superjson envelopes (`{ "json": … }`), read as such
 * so that none in flight during a deploy is lost.
 */
export function decodeMetricsBatch(body: unknown): MetricsBatch {
	const text = bodyText.parse(body);
	const parsed: unknown = JSON.parse(text);
	return metricsBatchSchema.parse(isSuperjsonEnvelope(parsed) ? superjson.parse(text) : parsed);
}

/** A series' identity: its name and its labels in a fixed order. */
export function seriesKey(name: string, labels: Record<string, string>): string {
	return JSON.stringify([name, Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
}
