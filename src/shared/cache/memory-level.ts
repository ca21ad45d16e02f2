/**
 * L1: an LRU in isolate memory, bounded by entry count and by a UTF-8 byte
 * budget. It lives as long as the isolate (many requests), so the default
 * instance is module-level; expiry is checked by the caller against its own
 * clock, which is why each entry carries `expiresAt`.
 */
import { LRUCache } from "lru-cache";
import { utf8ByteLength } from "./codec";
import type { CacheKind } from "./kinds";
import { type CacheStats, isolateStats } from "./stats";

/** One value in memory: decoded, so a hit costs no decompression. */
export interface MemoryEntry {
	readonly value: string;
	readonly kind: CacheKind;
	/** Epoch milliseconds after which the entry is a miss. */
	readonly expiresAt: number;
}

export interface MemoryLevelOptions {
	/** Most entries held at once; default 100. */
	maxEntries?: number;
	/** Most UTF-8 bytes of values held at once; default 4 MiB. */
	maxBytes?: number;
	/** Largest single value kept; default a quarter of `maxBytes`, so one large value cannot flush the rest. */
	maxEntryBytes?: number;
	/** Where evictions are counted; default the isolate's counters. */
	stats?: CacheStats;
}

export const MEMORY_DEFAULTS = { maxEntries: 100, maxBytes: 4 * 1024 * 1024 } as const;

/**
 * The memory level.
 * @example
 * const memory = new MemoryLevel({ maxEntries: 100, maxBytes: 1 << 20 });
 * memory.set("answer:1:ab", { value: "Yes.", kind: "answer", expiresAt: Date.now() + 60_000 });
 */
export class MemoryLevel {
	readonly stats: CacheStats;
	readonly #lru: LRUCache<string, MemoryEntry>;

	constructor({
		maxEntries = MEMORY_DEFAULTS.maxEntries,
		maxBytes = MEMORY_DEFAULTS.maxBytes,
		maxEntryBytes,
		stats = isolateStats,
	}: MemoryLevelOptions = {}) {
		this.stats = stats;
		this.#lru = new LRUCache<string, MemoryEntry>({
			max: maxEntries,
			maxSize: maxBytes,
			maxEntrySize: maxEntryBytes ?? Math.max(1, Math.floor(maxBytes / 4)),
			// lru-cache wants a positive size, and an empty string still takes a slot.
			sizeCalculation: (entry) => Math.max(1, utf8ByteLength(entry.value)),
			// Only "evict" is pressure; "set", "delete" and "expire" are the cache doing its job.
			dispose: (entry, _key, reason) => {
				if (reason === "evict") stats.recordEviction(entry.kind);
			},
		});
	}

	/** The entry, fresh or not; the caller decides with its clock. */
	get(key: string): MemoryEntry | undefined {
		return this.#lru.get(key);
	}

	/** Stores the entry; false when it is over the per-entry limit and was not kept. */
	set(key: string, entry: MemoryEntry): boolean {
		this.#lru.set(key, entry);
		return this.#lru.has(key);
	}

	delete(key: string): void {
		this.#lru.delete(key);
	}

	/** Entries held now. */
	get size(): number {
		return this.#lru.size;
	}

	/** UTF-8 bytes held now. */
	get bytes(): number {
		return this.#lru.calculatedSize;
	}
}

let shared: MemoryLevel | undefined;

/**
 * The memory level every cache in this isolate shares by default, created on
 * first use and counting into `isolateStats`.
 * @example const memory = isolateMemory();
 */
export function isolateMemory(): MemoryLevel {
	shared ??= new MemoryLevel();
	return shared;
}
