/**
 * The cache's public face: the tiered cache, its keys and kinds, question
 * normalization and the counters. Importers use this file, not the modules
 * behind it.
 */
import { TieredCache, type TieredCacheOptions } from "./tiered-cache";

export { CODEC_HEADER, COMPRESS_OVER_BYTES, decodeValue, encodeValue, utf8ByteLength } from "./codec";
export { cacheKey, canonicalJson, type KeyParts } from "./keys";
export { CACHE_KIND_NAMES, CACHE_KINDS, type CacheKind, type CacheKindPolicy, KV_MIN_TTL_SECONDS, kvExpirationTtl } from "./kinds";
export { isolateMemory, MEMORY_DEFAULTS, type MemoryEntry, MemoryLevel, type MemoryLevelOptions } from "./memory-level";
export { normalizeQuestion } from "./normalize-question";
export { R2_CACHE_PREFIX, r2CacheExpiresAt, r2ObjectKey } from "./r2-level";
export { type FlightProgress, flightsInProgress, RunningFlight } from "./single-flight";
export {
	CACHE_LEVELS,
	CACHE_OPERATIONS,
	CACHE_RESULTS,
	type CacheLevel,
	type CacheOperation,
	type CacheResult,
	type CacheSample,
	CacheStats,
	type CacheStatsSnapshot,
	isolateStats,
} from "./stats";
export { type CacheSource, type FlightComputeOptions, KV_MAX_BYTES, TieredCache, type TieredCacheOptions } from "./tiered-cache";

/**
 * The cache over this Worker's bindings, sharing the isolate's memory level
 * and counters. Cheap: build one per request and pass `ctx.waitUntil`.
 * @example const cache = createCache(env, { waitUntil: (p) => ctx.waitUntil(p) });
 */
export function createCache(
	env: { CACHE: KVNamespace; ARCHIVE: R2Bucket },
	options: Omit<TieredCacheOptions, "kv" | "r2"> = {},
): TieredCache {
	return new TieredCache({ ...options, kv: env.CACHE, r2: env.ARCHIVE });
}
