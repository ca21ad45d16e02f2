/**
 * One series' sums (a counter's total, or a histogram's count, bucket counts
 * and sum), as the metrics store returns them and everything downstream
 * (the exposition, the alert rules, the dashboard) reads them.
 */

export interface SeriesTotal {
	name: string;
	labels: Record<string, string>;
	kind: "counter" | "histogram";
	/** A counter's total; a histogram's count. */
	value: number;
	/** A histogram's per-bucket counts (not cumulative), the last one +Inf. */
	counts: number[] | null;
	sum: number;
}

/**
 * Histograms share one bucket scheme, so they merge by adding counts.
 * @example addCounts([1, 0, 2], [0, 3, 1]) // [1, 3, 3]
 */
export function addCounts(a: readonly number[] | null, b: readonly number[]): number[] {
	return b.map((n, i) => n + (a?.[i] ?? 0));
}
