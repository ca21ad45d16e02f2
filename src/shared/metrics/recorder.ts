/**
 * Metric events of one invocation (a request, a queue batch, a turn),
 * folded in memory as they happen and shipped when the invocation ends, in
 * `waitUntil`: never one queue message per event, never on the request's
 * critical path. Shipments from the invocations of one isolate within
 * FLUSH_MS are merged into one queue message, so a burst of 500 socket
 * connects costs a few messages, not 500; an isolate that dies in that
 * window loses at most that window's events.
 */
import { isolateStats } from "../cache";
import { describeError } from "../errors";
import { type CounterSample, encodeMetricsBatch, type HistogramSample, type MetricsBatch } from "./batch";
import { BUCKET_BOUNDS, bucketIndex, COUNTERS, type CounterName, HISTOGRAMS, type HistogramName } from "./families";

type LabelsOf<Labels extends readonly string[]> = { [K in Labels[number]]: string };
export type CounterLabels<N extends CounterName> = LabelsOf<(typeof COUNTERS)[N]["labels"]>;
export type HistogramLabels<N extends HistogramName> = LabelsOf<(typeof HISTOGRAMS)[N]["labels"]>;

export class MetricsRecorder {
	readonly #counters = new Map<string, CounterSample>();
	readonly #histograms = new Map<string, HistogramSample>();

	/** Adds `n` to a counter. */
	count<N extends CounterName>(name: N, labels: CounterLabels<N>, n = 1): void {
		if (n <= 0) return;
		const key = memoryKey(name, labels);
		const sample = this.#counters.get(key) ?? { name, labels: { ...labels }, value: 0 };
		sample.value += n;
		this.#counters.set(key, sample);
	}

	/** Records one observation, in seconds. */
	observe<N extends HistogramName>(name: N, labels: HistogramLabels<N>, seconds: number): void {
		if (!Number.isFinite(seconds)) return;
		const value = Math.max(0, seconds);
		const key = memoryKey(name, labels);
		const sample = this.#histograms.get(key) ?? {
			name,
			labels: { ...labels },
			counts: new Array<number>(BUCKET_BOUNDS.length + 1).fill(0),
			sum: 0,
			count: 0,
		};
		const bucket = bucketIndex(value);
		sample.counts[bucket] = (sample.counts[bucket] ?? 0) + 1;
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

	/**
	 * Moves everything `other` recorded into this recorder; false when it had nothing. Series are merged
	 * by the key both recorders filed them under, with no batch in between: every turn ships twice.
	 */
	absorb(other: MetricsRecorder): boolean {
		if (other.#counters.size === 0 && other.#histograms.size === 0) return false;
		for (const [key, theirs] of other.#counters) {
			const mine = this.#counters.get(key);
			if (mine) mine.value += theirs.value;
			else this.#counters.set(key, theirs);
		}
		for (const [key, theirs] of other.#histograms) {
			const mine = this.#histograms.get(key);
			if (!mine) this.#histograms.set(key, theirs);
			else {
				for (let i = 0; i < mine.counts.length; i++) mine.counts[i] = (mine.counts[i] ?? 0) + (theirs.counts[i] ?? 0);
				mine.sum += theirs.sum;
				mine.count += theirs.count;
			}
		}
		// Its samples are this recorder's now.
		other.#counters.clear();
		other.#histograms.clear();
		return true;
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

/**
 * A series' identity within one recorder: its name and its label values in the order its family
 * declares them (families.ts), so no call sorts or lists keys (every turn records a dozen
 * events: bench:overhead --profile). Cheaper than the stored form (batch.ts `seriesKey`), which
 * nests arrays; it never leaves this isolate.
 */
function memoryKey(name: CounterName | HistogramName, labels: Record<string, string>): string {
	let key: string = name;
	for (const label of FAMILY_LABELS.get(name) ?? []) key += `,${JSON.stringify(labels[label] ?? "")}`;
	return key;
}

/** Each family's label names, in the order families.ts declares them. */
const FAMILY_LABELS: ReadonlyMap<string, readonly string[]> = new Map(
	[...Object.entries(COUNTERS), ...Object.entries(HISTOGRAMS)].map(([name, family]) => [name, family.labels]),
);

/** The cache counters already shipped from this isolate, so each lookup is counted once. */
const shippedCacheRequests = new Map<string, number>();
/** The isolate's cache lookups as of the last drain: an isolate that looked nothing up since skips the snapshot. */
let drainedRequests = 0;

/** Moves the isolate's cache lookups since the last shipment into `recorder`. */
function drainCacheRequests(recorder: MetricsRecorder): void {
	if (isolateStats.requestTotal === drainedRequests) return;
	drainedRequests = isolateStats.requestTotal;
	for (const sample of isolateStats.snapshot().requests) {
		const key = memoryKey("cache_requests_total", sample.labels);
		const before = shippedCacheRequests.get(key) ?? 0;
		if (sample.value > before) recorder.count("cache_requests_total", sample.labels, sample.value - before);
		shippedCacheRequests.set(key, sample.value);
	}
}

/**
 * Events counted where no invocation's recorder is at hand: a model call's tokens and cost, a
 * routing decision, deep inside a turn or a consumer (src/shared/ai/usage.ts,
 * src/shared/turn/routed-reply.ts). Like cache lookups, they move into the isolate's next
 * shipment, whichever invocation sends it (the hub's turns and the consumers all ship when they
 * end), each into exactly one, so each is counted once.
 * @example isolateMetrics.count("chat_ai_routing_total", { model: "small", reason: "first_turn" })
 */
export const isolateMetrics = new MetricsRecorder();

/** What shipping needs of the `metrics` queue binding (a test passes a plain object). */
interface MetricsQueue {
	send(body: string, options: { contentType: "json" }): Promise<unknown>;
}

/** How long an isolate gathers shipments before sending them as one message. */
export const FLUSH_MS = 1000;

/** The isolate's shipments waiting for the next flush. */
const pending = new MetricsRecorder();
/**
 * When the scheduled flush is due. A flush still unsent well past that was
 * lost with the invocation whose timer it was (an evicted object), and the
 * next shipment schedules another instead of waiting on it forever.
 */
let flushDueAt: number | undefined;

function flushScheduled(now = Date.now()): boolean {
	return flushDueAt !== undefined && now < flushDueAt + 5 * FLUSH_MS;
}

/**
 * Ships what `recorder` holds (and `isolateMetrics`, and at the flush the isolate's new cache lookups): merged
 * into the isolate's pending batch, sent within FLUSH_MS as one message, the
 * send kept alive by `waitUntil`. A Durable Object passes no `waitUntil`:
 * since compatibility date 2026-10-01 its pending timers keep it alive, and
 * its `ctx.waitUntil` would tie the flush to whichever call it is serving
 * (measured in the bench: first-delta p95 up 20–40 %, locally).
 * `immediately` is for queue consumers: the
 * local queue delivers a consumer's next batch only once its `waitUntil`
 * work is done, so a consumer must not wait for a flush. It joins a flush
 * another invocation already holds (in a busy isolate, the usual case: no
 * message of its own), or else sends now. Never throws: losing metrics must
 * never fail the work they measured.
 * @example shipMetrics(env, metrics, (p) => ctx.waitUntil(p));
 */
export function shipMetrics(
	env: { METRICS_QUEUE: MetricsQueue; METRICS?: string },
	recorder: MetricsRecorder,
	waitUntil: ((promise: Promise<unknown>) => void) | undefined,
	options: { immediately?: boolean } = {},
): void {
	if (env.METRICS === "off") return;
	recorder.absorb(isolateMetrics);
	// The isolate's cache lookups are drained when the batch is sent, once, not on every shipment.
	if (!pending.absorb(recorder) && isolateStats.requestTotal === drainedRequests) return;
	if (flushScheduled()) return;
	if (options.immediately) {
		const sent = send(env);
		waitUntil?.(sent);
		return;
	}
	flushDueAt = Date.now() + FLUSH_MS;
	const flush = scheduler.wait(FLUSH_MS).then(() => {
		flushDueAt = undefined;
		return send(env);
	});
	waitUntil?.(flush);
}

/** Sends the pending batch, if any, as one message. */
async function send(env: { METRICS_QUEUE: MetricsQueue }): Promise<void> {
	drainCacheRequests(pending);
	const batch = pending.take();
	if (!batch) return;
	try {
		await env.METRICS_QUEUE.send(encodeMetricsBatch(batch), { contentType: "json" });
	} catch (error) {
		console.warn(JSON.stringify({ event: "metrics_unshipped", counters: batch.counters.length, error: describeError(error) }));
	}
}
