/**
 * Quantiles from bucket counts, as Prometheus's `histogram_quantile` does:
 * linear interpolation inside the bucket the quantile falls in. Exact at the
 * bucket bounds; in between, an estimate good enough for a chart.
 */
import { BUCKET_BOUNDS } from "./families";

/**
 * @example histogramQuantile(0.5, counts) // 0.15 when half the observations sit at or under 0.15 s
 * Returns null with no observations; a quantile in the +Inf bucket is the last finite bound.
 */
export function histogramQuantile(q: number, counts: readonly number[] | null): number | null {
	if (!counts) return null;
	const total = counts.reduce((a, b) => a + b, 0);
	if (total === 0) return null;
	const rank = q * total;
	let below = 0;
	for (const [i, n] of counts.entries()) {
		if (below + n >= rank && n > 0) {
			const upper = BUCKET_BOUNDS[i];
			if (upper === undefined) return BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1] ?? null;
			const lower = i === 0 ? 0 : (BUCKET_BOUNDS[i - 1] ?? 0);
			return lower + (upper - lower) * ((rank - below) / n);
		}
		below += n;
	}
	return BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1] ?? null;
}
