/** Latency histograms (HdrHistogram) and their percentile summaries. */
import * as hdr from "hdr-histogram-js";

export interface Percentiles {
	p50: number;
	p95: number;
	p99: number;
	n: number;
}

export class Latency {
	readonly #histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000, numberOfSignificantValueDigits: 3 });

	/** Records milliseconds; HDR needs integers ≥ 1, so sub-millisecond values count as 1 ms. */
	record(ms: number): void {
		this.#histogram.recordValue(Math.max(1, Math.round(ms)));
	}

	/** Adds another histogram's samples to this one. */
	merge(other: Latency): void {
		this.#histogram.add(other.#histogram);
	}

	get count(): number {
		return this.#histogram.totalCount;
	}

	percentile(p: number): number {
		return this.#histogram.totalCount === 0 ? 0 : this.#histogram.getValueAtPercentile(p);
	}

	summary(): Percentiles {
		return { p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), n: this.count };
	}
}

export function formatPercentiles(p: Percentiles): string {
	return `p50 ${p.p50} ms, p95 ${p.p95} ms, p99 ${p.p99} ms (n=${p.n})`;
}

/** The middle value; of an even count, the mean of the two middle ones (0 for none). */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
