/**
 * Metric events of one invocation (a request, a queue batch, a turn),
 * folded in memory as they happen and shipped as one message to the
 * `metrics` queue when the invocation ends, in `waitUntil`: never one queue
 * message per event, never on the request's critical path.
 */
import { isolateStats } from "../cache";
import { describeError } from "../errors";
import { type CounterSample, encodeMetricsBatch, type HistogramSample, type MetricsBatch, seriesKey } from "./batch";
import { BUCKET_BOUNDS, bucketIndex, type COUNTERS, type CounterName, type HISTOGRAMS, type HistogramName } from "./families";

type LabelsOf<Labels extends readonly string[]> = { [K in Labels[number]]: string };
export type CounterLabels<N extends CounterName> = LabelsOf<(typeof COUNTERS)[N]["labels"]>;
export type HistogramLabels<N extends HistogramName> = LabelsOf<(typeof HISTOGRAMS)[N]["labels"]>;

export class MetricsRecorder {
	readonly #counters = new Map<string, CounterSample>();
	readonly #histograms = new Map<string, HistogramSample>();

	/** Adds `n` to a counter. */
	count<N extends CounterName>(name: N, labels: CounterLabels<N>, n = 1): void {
		if (n <= 0) return;
		const key = seriesKey(name, labels);
		const sample = this.#counters.get(key) ?? { name, labels: { ...labels }, value: 0 };
		sample.value += n;
		this.#counters.set(key, sample);
	}

	/** Records one observation, in seconds. */
	observe<N extends HistogramName>(name: N, labels: HistogramLabels<N>, seconds: number): void {
		if (!Number.isFinite(seconds)) return;
		const value = Math.max(0, seconds);
		const key = seriesKey(name, labels);
		const sample = this.#histograms.get(key) ?? {
			name,
			labels: { ...labels },
			counts: new Array<number>(BUCKET_BOUNDS.length + 1).fill(0),
			sum: 0,
			count: 0,
		};
		sample.counts[bucketIndex(value)] = (sample.counts[bucketIndex(value)] ?? 0) + 1;
		sample.sum += value;
		sample.count += 1;
		this.#histograms.set(key, sample);
	}

	/**
	 * Times `operation` as its caller sees it, into `chat_do_operation_seconds{op}`.
	 * @example const info = await metrics.timeOperation("hub.info", hub.info());
	 */
	async timeOperation<P extends PromiseLike<unknown>>(op: string, operation: P): Promise<Awaited<P>> {
		const started = Date.now();
		try {
			return await operation;
		} finally {
			this.observe("chat_do_operation_seconds", { op }, (Date.now() - started) / 1000);
		}
	}

	/** Everything recorded so far as one batch, emptying the recorder; undefined when there is nothing. */
	take(at = Date.now()): MetricsBatch | undefined {
		if (this.#counters.size === 0 && this.#histograms.size === 0) return undefined;
		const batch: MetricsBatch = {
			type: "metrics.batch",
			v: 1,
			id: crypto.randomUUID(),
			at,
			counters: [...this.#counters.values()],
			histograms: [...this.#histograms.values()],
		};
		this.#counters.clear();
		this.#histograms.clear();
		return batch;
	}
}

/** The cache counters already shipped from this isolate, so each lookup is counted once. */
const shippedCacheRequests = new Map<string, number>();

/** Moves the isolate's cache lookups since the last shipment into `recorder`. */
function drainCacheRequests(recorder: MetricsRecorder): void {
	for (const sample of isolateStats.snapshot().requests) {
		const key = seriesKey("cache", sample.labels);
		const before = shippedCacheRequests.get(key) ?? 0;
		if (sample.value > before) recorder.count("cache_requests_total", sample.labels, sample.value - before);
		shippedCacheRequests.set(key, sample.value);
	}
}

/**
 * Ships what `recorder` holds (and the isolate's new cache lookups) as one
 * message, in `waitUntil`. Never throws: losing a batch of metrics must
 * never fail the work it measured.
 * @example shipMetrics(env, metrics, (p) => ctx.waitUntil(p));
 */
export function shipMetrics(
	env: { METRICS_QUEUE: Queue; METRICS?: string },
	recorder: MetricsRecorder,
	waitUntil: (promise: Promise<unknown>) => void,
): void {
	if (env.METRICS === "off") return;
	drainCacheRequests(recorder);
	const batch = recorder.take();
	if (!batch) return;
	waitUntil(
		env.METRICS_QUEUE.send(encodeMetricsBatch(batch), { contentType: "json" }).catch((error: unknown) => {
			console.warn(JSON.stringify({ event: "metrics_unshipped", counters: batch.counters.length, error: describeError(error) }));
		}),
	);
}
