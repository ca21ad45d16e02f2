/**
 * The three-level cache behind one interface. Reads go memory → KV → R2 and a
 * hit fills the levels above it; writes go to memory, to KV when the stored
 * value fits under the KV cap, and to R2 when it does not (leaving a pointer
 * in KV), when the kind is archived, or when there is no KV. A KV miss reads
 * R2 only where the value can be: archived kinds, a pointer, a failed KV read
 * or no KV. Every level checks `expiresAt` against the injected clock. KV and
 * R2 failures never reach the caller: a failed read is a miss, a failed write
 * a log line.
 */
import { describeError } from "../errors";
import { decodeValue, encodeValue, utf8ByteLength } from "./codec";
import { CACHE_KINDS, type CacheKind } from "./kinds";
import { type KvRead, readKv, type StoredValue, writeKv, writeKvPointer } from "./kv-level";
import { isolateMemory, type MemoryLevel } from "./memory-level";
import { deleteR2, readR2, writeR2 } from "./r2-level";
import { type Flight, type FlightProgress, type RunningFlight, singleFlight } from "./single-flight";
import { type CacheLevel, type CacheOperation, type CacheStats, type CacheStatsSnapshot, isolateStats } from "./stats";

/**
 * Stored values above this go to R2 only. KV takes up to 25 MiB, but large
 * values are slow to read and replicate and cost more; 64 KiB holds any
 * answer or search result, compressed, with room to spare.
 */
export const KV_MAX_BYTES = 64 * 1024;

export interface TieredCacheOptions {
	/** L1; default the memory level this isolate shares; `false` for none. */
	memory?: MemoryLevel | false;
	/** L2 (the `CACHE` binding); absent for none. */
	kv?: KVNamespace;
	/** L3 (the `ARCHIVE` binding); absent for none. */
	r2?: R2Bucket;
	/** Counters; default the memory level's, so its evictions land beside the requests. */
	stats?: CacheStats;
	/** Epoch milliseconds; tests move it instead of waiting. Default `Date.now`. */
	now?: () => number;
	/** Stored size above which a value skips KV; default `KV_MAX_BYTES`. */
	kvMaxBytes?: number;
	/**
	 * `ctx.waitUntil`. When given, the writes a reader need not wait for (fills
	 * after a lower-level hit, storing a computed value, lazy deletes) finish
	 * after the response instead of before it.
	 */
	waitUntil?: (promise: Promise<unknown>) => void;
}

/** Where `getOrComputeWithSource` found its value; `shared` means it joined another caller's flight. */
export type CacheSource = Flight["source"] | "shared";

export interface FlightComputeOptions {
	/** Keeps a computed value out of the cache when false (callers in the same flight still get it). */
	shouldStore?: (value: string) => boolean;
	/** How long the computation may go without publishing before joiners leave it (single-flight.ts). */
	silenceMs?: number;
}

/** Silent flights a caller gives up on before it computes on its own instead of joining another. */
const MAX_SILENT_JOINS = 2;

type Found = { readonly value: string; readonly level: CacheLevel };
type Decoded =
	| { readonly state: "fresh"; readonly value: string; readonly stored: StoredValue }
	| { readonly state: "absent" | "expired" | "failed" | "in-r2" };

/**
 * @example
 * const cache = new TieredCache({ kv: env.CACHE, r2: env.ARCHIVE, waitUntil: (p) => ctx.waitUntil(p) });
 * const key = await cacheKey("answer", { question: normalizeQuestion(text) });
 * const answer = await cache.getOrCompute(key, "answer", () => askModel(text));
 */
export class TieredCache {
	readonly #memory: MemoryLevel | undefined;
	readonly #kv: KVNamespace | undefined;
	readonly #r2: R2Bucket | undefined;
	readonly #stats: CacheStats;
	readonly #now: () => number;
	readonly #kvMaxBytes: number;
	readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;

	constructor(options: TieredCacheOptions = {}) {
		this.#memory = options.memory === false ? undefined : (options.memory ?? isolateMemory());
		this.#kv = options.kv;
		this.#r2 = options.r2;
		this.#stats = options.stats ?? this.#memory?.stats ?? isolateStats;
		this.#now = options.now ?? Date.now;
		this.#kvMaxBytes = options.kvMaxBytes ?? KV_MAX_BYTES;
		this.#waitUntil = options.waitUntil;
	}

	/**
	 * The fresh value under `key`, from the fastest level that has it.
	 * @example await cache.get(key, "kb-search") // '{"hits":[…]}' or undefined
	 */
	async get(key: string, kind: CacheKind): Promise<string | undefined> {
		return (await this.#lookup(key, kind))?.value;
	}

	/**
	 * Stores `value` for the kind's TTL. Resolves once every level has been
	 * written or has failed (and logged); never rejects.
	 * @example await cache.set(key, "summary", JSON.stringify(summary))
	 */
	async set(key: string, kind: CacheKind, value: string): Promise<void> {
		const now = this.#now();
		const expiresAt = now + CACHE_KINDS[kind].ttlSeconds * 1000;
		this.#fillMemory(key, kind, value, expiresAt);
		if (!this.#kv && !this.#r2) return;
		const stored: StoredValue = { bytes: await encodeValue(value), expiresAt };
		const fitsKv = stored.bytes.byteLength <= this.#kvMaxBytes;
		const writes: Promise<void>[] = [];
		// A value too big for KV leaves a pointer there, so readers know R2 has it; the pointer also replaces
		// the key's older, smaller copy, which reads would find first. With no R2 there is nothing to point at.
		// The pointer is written beside the R2 object, not after it: if that write fails, readers pay one R2 miss
		// until the pointer expires, rather than every set paying two round trips in a row.
		if (this.#kv) {
			const kvWrite = fitsKv ? this.#putKv(key, stored, now) : this.#r2 ? this.#putKvPointer(key, expiresAt, now) : this.#deleteKv(key);
			writes.push(kvWrite);
		}
		if (this.#r2 && (!fitsKv || CACHE_KINDS[kind].archive || !this.#kv)) writes.push(this.#putR2(key, stored));
		await Promise.all(writes);
	}

	/**
	 * Removes `key` from every level; failures are logged, never thrown.
	 * @example await cache.delete(key)
	 */
	async delete(key: string): Promise<void> {
		this.#memory?.delete(key);
		await Promise.all([this.#kv ? this.#deleteKv(key) : undefined, this.#r2 ? this.#deleteR2(key) : undefined]);
	}

	/**
	 * The cached value, or `compute`'s result, stored for next time. Identical
	 * concurrent calls in this isolate share one lookup and one computation; a
	 * computation that fails rejects every caller waiting on it and is not stored.
	 * @example const text = await cache.getOrCompute(key, "answer", () => askModel(question));
	 */
	async getOrCompute(key: string, kind: CacheKind, compute: (progress: FlightProgress) => Promise<string>): Promise<string> {
		return (await this.getOrComputeWithSource(key, kind, compute)).value;
	}

	/**
	 * `getOrCompute`, also saying where the value came from: a level,
	 * `computed` (this call ran `compute`) or `shared` (it joined a flight).
	 * `shouldStore` can keep a computed value out of the cache (callers in the
	 * same flight still get it). A joined flight that goes silent (its starter
	 * may be gone) is left behind, and this call starts afresh.
	 * @example const { value, source } = await cache.getOrComputeWithSource(key, "answer", ask); // source: "kv"
	 */
	async getOrComputeWithSource(
		key: string,
		kind: CacheKind,
		compute: (progress: FlightProgress) => Promise<string>,
		options: FlightComputeOptions = {},
	): Promise<{ value: string; source: CacheSource }> {
		for (let joins = 0; ; joins++) {
			// After MAX_SILENT_JOINS silent flights, this caller computes on its own rather than join yet another.
			const { flight, joined } = this.flight(key, kind, compute, { ...options, join: joins < MAX_SILENT_JOINS });
			if (!joined) {
				const own = await flight.promise;
				return { value: own.value, source: own.source };
			}
			const shared = await flight.outcome();
			if (shared) return { value: shared.value, source: "shared" };
		}
	}

	/**
	 * Starts the lookup-and-compute for `key` in this isolate, or joins the one
	 * running, without waiting for it: a joiner can follow the text the
	 * computation publishes as it goes (`RunningFlight.next`), or await its end.
	 * @example const { flight, joined } = cache.flight(key, "answer", (progress) => ask(question, progress));
	 */
	flight(
		key: string,
		kind: CacheKind,
		compute: (progress: FlightProgress) => Promise<string>,
		options: FlightComputeOptions & { join?: boolean } = {},
	): { flight: RunningFlight; joined: boolean } {
		const started = singleFlight(
			key,
			async (progress) => {
				const found = await this.#lookup(key, kind);
				if (found) return { value: found.value, source: found.level };
				const value = await compute(progress);
				if (options.shouldStore?.(value) ?? true) await this.#later(this.set(key, kind, value));
				return { value, source: "computed" };
			},
			{ ...(options.silenceMs === undefined ? {} : { silenceMs: options.silenceMs }), join: options.join ?? true },
		);
		if (started.joined) this.#stats.recordCoalesced(kind);
		return started;
	}

	/**
	 * The counters this cache records into (shared by every cache using the
	 * same `CacheStats`), every label combination included.
	 * @example cache.stats().requests // [{ labels: { kind: "answer", level: "memory", result: "hit" }, value: 12 }, …]
	 */
	stats(): CacheStatsSnapshot {
		return this.#stats.snapshot();
	}

	async #lookup(key: string, kind: CacheKind): Promise<Found | undefined> {
		const now = this.#now();
		if (this.#memory) {
			const entry = this.#memory.get(key);
			if (entry && entry.expiresAt > now) {
				this.#stats.recordRequest(kind, "memory", "hit");
				return { value: entry.value, level: "memory" };
			}
			if (entry) this.#memory.delete(key);
			this.#stats.recordRequest(kind, "memory", "miss");
		}
		const kv = this.#kv;
		let kvState: Decoded["state"] | undefined;
		if (kv) {
			const read = await this.#read("kv", kind, key, () => readKv(kv, key, now));
			if (read.state === "fresh") {
				this.#fillMemory(key, kind, read.value, read.stored.expiresAt);
				return { value: read.value, level: "kv" };
			}
			kvState = read.state;
		}
		const r2 = this.#r2;
		if (r2 && this.#mayBeInR2(kind, kvState)) {
			const read = await this.#read("r2", kind, key, () => readR2(r2, key, now));
			// R2 never expires anything itself: the first reader past `expiresAt` removes it.
			if (read.state === "expired") await this.#later(this.#deleteR2(key));
			if (read.state === "fresh") {
				this.#fillMemory(key, kind, read.value, read.stored.expiresAt);
				if (this.#kv && read.stored.bytes.byteLength <= this.#kvMaxBytes) await this.#later(this.#putKv(key, read.stored, now));
				return { value: read.value, level: "r2" };
			}
		}
		return undefined;
	}

	/**
	 * Whether a KV miss is worth an R2 read. A non-archived kind reaches R2 only
	 * when too big for KV, and then KV holds a pointer: without one, an R2 GET
	 * would be a sure miss on the first-token path (issue 17 item 8). A failed
	 * KV read proves nothing, and with no KV (`kvState` undefined) every value
	 * is in R2. The cost: a pointer not yet replicated to this KV location
	 * hides its R2 value for a while (KV is eventually consistent), and the
	 * value is computed again.
	 */
	#mayBeInR2(kind: CacheKind, kvState: Decoded["state"] | undefined): boolean {
		return kvState === undefined || kvState === "failed" || kvState === "in-r2" || CACHE_KINDS[kind].archive;
	}

	/** One level's read, decoded and counted; a failure, a pointer or a value that will not decode is a miss. */
	async #read(level: "kv" | "r2", kind: CacheKind, key: string, read: () => Promise<KvRead>): Promise<Decoded> {
		let decoded: Decoded;
		try {
			const result = await read();
			decoded = result.state === "fresh" ? { state: "fresh", value: await decodeValue(result.bytes), stored: result } : result;
		} catch (error) {
			this.#failed(level, "read", key, error);
			decoded = { state: "failed" };
		}
		this.#stats.recordRequest(kind, level, decoded.state === "fresh" ? "hit" : "miss");
		return decoded;
	}

	#fillMemory(key: string, kind: CacheKind, value: string, expiresAt: number): void {
		if (this.#memory?.set(key, { value, kind, expiresAt })) this.#stats.recordBytesWritten("memory", utf8ByteLength(value));
	}

	async #putKv(key: string, stored: StoredValue, now: number): Promise<void> {
		if (!this.#kv) return;
		try {
			await writeKv(this.#kv, key, stored, now);
			this.#stats.recordBytesWritten("kv", stored.bytes.byteLength);
		} catch (error) {
			this.#failed("kv", "write", key, error);
		}
	}

	async #putKvPointer(key: string, expiresAt: number, now: number): Promise<void> {
		if (!this.#kv) return;
		try {
			await writeKvPointer(this.#kv, key, expiresAt, now);
		} catch (error) {
			this.#failed("kv", "write", key, error);
		}
	}

	async #putR2(key: string, stored: StoredValue): Promise<void> {
		if (!this.#r2) return;
		try {
			await writeR2(this.#r2, key, stored);
			this.#stats.recordBytesWritten("r2", stored.bytes.byteLength);
		} catch (error) {
			this.#failed("r2", "write", key, error);
		}
	}

	async #deleteKv(key: string): Promise<void> {
		try {
			await this.#kv?.delete(key);
		} catch (error) {
			this.#failed("kv", "delete", key, error);
		}
	}

	async #deleteR2(key: string): Promise<void> {
		try {
			if (this.#r2) await deleteR2(this.#r2, key);
		} catch (error) {
			this.#failed("r2", "delete", key, error);
		}
	}

	/** Hands a never-rejecting write to `waitUntil` when there is one, else lets the caller await it. */
	#later(write: Promise<void>): Promise<void> {
		if (!this.#waitUntil) return write;
		this.#waitUntil(write);
		return Promise.resolve();
	}

	/** Counts and logs a KV or R2 failure; the key is a hash, so the line carries no user text. */
	#failed(level: CacheLevel, operation: CacheOperation, key: string, error: unknown): void {
		this.#stats.recordError(level, operation);
		const line = JSON.stringify({ event: "cache_level_failed", level, operation, key, error: describeError(error) });
		if (operation === "read") console.warn(line);
		else console.error(line);
	}
}
