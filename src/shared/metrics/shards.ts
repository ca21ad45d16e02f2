/**
 * Where a metric family's rollups live. One MetricsStore takes hundreds of
 * batches a second; a deployment that outgrows it sets METRICS_SHARDS and
 * each family goes to one shard (a family never spans two, so a scrape and
 * the alerts read whole families from one object each).
 */
import { fnv1a } from "../hash";
import { metricsStore } from "../stubs";
import { seriesKey } from "./batch";

export const MAX_METRICS_SHARDS = 16;

/** The configured shard count, 1 to MAX_METRICS_SHARDS. */
export function metricsShardCount(env: { METRICS_SHARDS?: string }): number {
	const n = Number(env.METRICS_SHARDS ?? "1");
	return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_METRICS_SHARDS) : 1;
}

/**
 * @example metricsShardOf("chat_turns_total", 1) // 0
 */
export function metricsShardOf(family: string, shards: number): number {
	return fnv1a(seriesKey(family, {})) % shards;
}

export function metricsStoreName(shard: number): string {
	return `metrics-${shard}`;
}

/** Every shard's stub, in order. */
export function metricsStores(env: Env): ReturnType<typeof metricsStore>[] {
	return Array.from({ length: metricsShardCount(env) }, (_, shard) => metricsStore(env, metricsStoreName(shard)));
}
