/**
 * The cache's counters: requests by kind, level and result, evictions,
 * joined computations, failures and bytes written. They live in isolate
 * memory because KV takes one write per second per key and must never hold
 * counters; a metrics endpoint reads `snapshot()` and shapes it for
 * Prometheus (`cache_requests_total{kind,level,result}` and friends).
 */
import { CACHE_KIND_NAMES, type CacheKind } from "./kinds";

/** The three levels, fastest first. */
export const CACHE_LEVELS = ["memory", "kv", "r2"] as const;
export type CacheLevel = (typeof CACHE_LEVELS)[number];

export const CACHE_RESULTS = ["hit", "miss"] as const;
export type CacheResult = (typeof CACHE_RESULTS)[number];

/** What a level was asked to do when it failed. */
export const CACHE_OPERATIONS = ["read", "write", "delete"] as const;
export type CacheOperation = (typeof CACHE_OPERATIONS)[number];

/** One counter with its labels: one Prometheus sample. */
export interface CacheSample<Labels> {
	readonly labels: Labels;
	readonly value: number;
}

/**
 * Every counter, zeros included, so a scrape always sees the full label set
 * and rates never start from a missing series.
 */
export interface CacheStatsSnapshot {
	/** `cache_requests_total{kind,level,result}`: a failed or expired read counts as a miss. */
	readonly requests: readonly CacheSample<{ kind: CacheKind; level: CacheLevel; result: CacheResult }>[];
	/** `cache_evictions_total{kind}`: memory entries pushed out by the entry count or the byte budget. */
	readonly evictions: readonly CacheSample<{ kind: CacheKind }>[];
	/** `cache_coalesced_total{kind}`: `getOrCompute` calls that joined one already in flight. */
	readonly coalesced: readonly CacheSample<{ kind: CacheKind }>[];
	/** `cache_errors_total{level,operation}`: KV or R2 failures, each swallowed. */
	readonly errors: readonly CacheSample<{ level: CacheLevel; operation: CacheOperation }>[];
	/** `cache_bytes_written_total{level}`: stored bytes (after compression for KV and R2). */
	readonly bytesWritten: readonly CacheSample<{ level: CacheLevel }>[];
}

/**
 * Counters for one or more caches. The isolate's caches share `isolateStats`
 * unless given their own (tests do).
 * @example
 * const stats = new CacheStats();
 * stats.recordRequest("answer", "memory", "hit");
 * stats.snapshot().requests.find((s) => s.labels.result === "hit" && s.labels.kind === "answer" && s.labels.level === "memory")?.value // 1
 */
export class CacheStats {
	readonly #counts = new Map<string, number>();
	#requestTotal = 0;

	recordRequest(kind: CacheKind, level: CacheLevel, result: CacheResult): void {
		this.#requestTotal++;
		this.#add(`request|${kind}|${level}|${result}`, 1);
	}

	/** Every request recorded so far, of any kind, level and result: a cheap "anything new?" for shippers. */
	get requestTotal(): number {
		return this.#requestTotal;
	}

	recordEviction(kind: CacheKind): void {
		this.#add(`eviction|${kind}`, 1);
	}

	recordCoalesced(kind: CacheKind): void {
		this.#add(`coalesced|${kind}`, 1);
	}

	recordError(level: CacheLevel, operation: CacheOperation): void {
		this.#add(`error|${level}|${operation}`, 1);
	}

	recordBytesWritten(level: CacheLevel, bytes: number): void {
		this.#add(`bytes|${level}`, bytes);
	}

	/** A copy of every counter; later records do not change it. */
	snapshot(): CacheStatsSnapshot {
		const count = (id: string) => this.#counts.get(id) ?? 0;
		return {
			requests: CACHE_KIND_NAMES.flatMap((kind) =>
				CACHE_LEVELS.flatMap((level) =>
					CACHE_RESULTS.map((result) => ({ labels: { kind, level, result }, value: count(`request|${kind}|${level}|${result}`) })),
				),
			),
			evictions: CACHE_KIND_NAMES.map((kind) => ({ labels: { kind }, value: count(`eviction|${kind}`) })),
			coalesced: CACHE_KIND_NAMES.map((kind) => ({ labels: { kind }, value: count(`coalesced|${kind}`) })),
			errors: CACHE_LEVELS.flatMap((level) =>
				CACHE_OPERATIONS.map((operation) => ({ labels: { level, operation }, value: count(`error|${level}|${operation}`) })),
			),
			bytesWritten: CACHE_LEVELS.map((level) => ({ labels: { level }, value: count(`bytes|${level}`) })),
		};
	}

	#add(id: string, amount: number): void {
		this.#counts.set(id, (this.#counts.get(id) ?? 0) + amount);
	}
}

/** The counters every cache in this isolate shares by default. */
export const isolateStats = new CacheStats();
