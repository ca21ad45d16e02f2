import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CACHE_KINDS, CacheStats, KV_MAX_BYTES, MemoryLevel, r2ObjectKey, TieredCache } from "../../../src/shared/cache";
import { errors, failingKv, failingR2, incompressibleText, manualClock, requests, testKey } from "./support";

const HOUR = 60 * 60 * 1000;

/** A cache with its own memory level and counters, over whichever real bindings the test names. */
function cacheWith(levels: { memory?: boolean; kv?: KVNamespace; r2?: R2Bucket; now?: () => number; kvMaxBytes?: number }) {
	const stats = new CacheStats();
	const memory = levels.memory === false ? false : new MemoryLevel({ stats });
	const cache = new TieredCache({ memory, kv: levels.kv, r2: levels.r2, stats, now: levels.now, kvMaxBytes: levels.kvMaxBytes });
	return { cache, stats, memory };
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("each level on its own", () => {
	it("memory only: round-trips a value", async () => {
		const { cache, stats } = cacheWith({});
		const key = testKey("answer", "l1");
		await cache.set(key, "answer", "Open Settings, then Security.");
		expect(await cache.get(key, "answer")).toBe("Open Settings, then Security.");
		expect(requests(stats, "answer", "memory", "hit")).toBe(1);
	});

	it("KV only: round-trips a value, with expiresAt in the key's metadata", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ memory: false, kv: env.CACHE, now: clock.now });
		const key = testKey("kb-search", "l2");
		await cache.set(key, "kb-search", '{"hits":[1,2]}');
		expect(await cache.get(key, "kb-search")).toBe('{"hits":[1,2]}');
		expect(requests(stats, "kb-search", "kv", "hit")).toBe(1);
		const { metadata } = await env.CACHE.getWithMetadata(key);
		expect(metadata).toEqual({ expiresAt: clock.now() + CACHE_KINDS["kb-search"].ttlSeconds * 1000 });
	});

	it("R2 only: round-trips a value, with expiresAt in custom metadata", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ memory: false, r2: env.ARCHIVE, now: clock.now });
		const key = testKey("answer", "l3");
		await cache.set(key, "answer", "From the archive.");
		expect(await cache.get(key, "answer")).toBe("From the archive.");
		expect(requests(stats, "answer", "r2", "hit")).toBe(1);
		const head = await env.ARCHIVE.head(r2ObjectKey(key));
		expect(head?.customMetadata).toEqual({ expiresAt: String(clock.now() + HOUR) });
	});
});

describe("placement across levels", () => {
	it("a KV hit fills memory", async () => {
		const key = testKey("answer", "fill-l1");
		await cacheWith({ kv: env.CACHE }).cache.set(key, "answer", "filled");
		const reader = cacheWith({ kv: env.CACHE });

		expect(await reader.cache.get(key, "answer")).toBe("filled");
		expect(await reader.cache.get(key, "answer")).toBe("filled");
		expect(requests(reader.stats, "answer", "kv", "hit")).toBe(1);
		expect(requests(reader.stats, "answer", "memory", "hit")).toBe(1);
	});

	it("an R2 hit fills KV and memory, keeping the original expiry", async () => {
		const clock = manualClock();
		const key = testKey("summary", "fill-l2");
		await cacheWith({ memory: false, r2: env.ARCHIVE, now: clock.now }).cache.set(key, "summary", "a summary");
		expect(await env.CACHE.get(key)).toBeNull();
		clock.advance(1000);
		const reader = cacheWith({ kv: env.CACHE, r2: env.ARCHIVE, now: clock.now });

		expect(await reader.cache.get(key, "summary")).toBe("a summary");
		const { metadata } = await env.CACHE.getWithMetadata(key);
		expect(metadata).toEqual({ expiresAt: clock.now() - 1000 + CACHE_KINDS.summary.ttlSeconds * 1000 });
		expect(await reader.cache.get(key, "summary")).toBe("a summary");
		expect(requests(reader.stats, "summary", "r2", "hit")).toBe(1);
		expect(requests(reader.stats, "summary", "memory", "hit")).toBe(1);
	});

	it("writes an archived kind to KV and R2, and other kinds to KV only", async () => {
		const { cache } = cacheWith({ kv: env.CACHE, r2: env.ARCHIVE });
		const summary = testKey("summary", "archived");
		const answer = testKey("answer", "not-archived");
		await cache.set(summary, "summary", "kept in both");
		await cache.set(answer, "answer", "kept in KV");

		expect(await env.CACHE.get(summary)).not.toBeNull();
		expect(await env.ARCHIVE.head(r2ObjectKey(summary))).not.toBeNull();
		expect(await env.CACHE.get(answer)).not.toBeNull();
		expect(await env.ARCHIVE.head(r2ObjectKey(answer))).toBeNull();
	});

	it("sends a value over the KV cap to R2, leaves only a pointer in KV, and still serves it", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ memory: false, kv: env.CACHE, r2: env.ARCHIVE, now: clock.now });
		const key = testKey("kb-search", "large");
		const large = incompressibleText(100_000);
		await cache.set(key, "kb-search", large);

		const pointer = await env.CACHE.getWithMetadata(key, "arrayBuffer");
		expect(pointer.value?.byteLength).toBe(0);
		expect(pointer.metadata).toEqual({ expiresAt: clock.now() + CACHE_KINDS["kb-search"].ttlSeconds * 1000, r2: true });
		expect((await env.ARCHIVE.head(r2ObjectKey(key)))?.size).toBeGreaterThan(KV_MAX_BYTES);
		expect(await cache.get(key, "kb-search")).toBe(large);
		expect(requests(stats, "kb-search", "r2", "hit")).toBe(1);
	});

	it("replaces a key's smaller KV copy with a pointer when a new value outgrows KV, so reads never find the old one", async () => {
		const { cache } = cacheWith({ memory: false, kv: env.CACHE, r2: env.ARCHIVE, kvMaxBytes: 200 });
		const key = testKey("answer", "outgrown");
		await cache.set(key, "answer", "short");
		await cache.set(key, "answer", "long ".repeat(100));

		expect(await env.CACHE.get(key)).toBe("");
		expect(await cache.get(key, "answer")).toBe("long ".repeat(100));
	});

	it("with no R2, removes a key's KV copy when a new value outgrows KV, leaving no pointer to nothing", async () => {
		const { cache } = cacheWith({ memory: false, kv: env.CACHE, kvMaxBytes: 200 });
		const key = testKey("answer", "outgrown-no-r2");
		await cache.set(key, "answer", "short");
		await cache.set(key, "answer", "long ".repeat(100));

		expect(await env.CACHE.get(key)).toBeNull();
		expect(await cache.get(key, "answer")).toBeUndefined();
	});

	it("delete removes the key from every level", async () => {
		const { cache } = cacheWith({ kv: env.CACHE, r2: env.ARCHIVE });
		const key = testKey("summary", "deleted");
		await cache.set(key, "summary", "gone soon");
		await cache.delete(key);

		expect(await cache.get(key, "summary")).toBeUndefined();
		expect(await env.CACHE.get(key)).toBeNull();
		expect(await env.ARCHIVE.head(r2ObjectKey(key))).toBeNull();
	});
});

describe("a KV miss reads R2 only where the value can be", () => {
	/** Counts the GETs the cache sends to the real local bucket (restored after each test). */
	function r2Gets() {
		return vi.spyOn(env.ARCHIVE, "get");
	}

	it("a KV miss for an answer (not archived) sends no GET to R2", async () => {
		const gets = r2Gets();
		const { cache, stats } = cacheWith({ memory: false, kv: env.CACHE, r2: env.ARCHIVE });

		expect(await cache.get(testKey("answer", "kv-miss"), "answer")).toBeUndefined();
		expect(gets).not.toHaveBeenCalled();
		expect(requests(stats, "answer", "r2", "hit") + requests(stats, "answer", "r2", "miss")).toBe(0);
	});

	it("an expired KV answer sends no GET to R2", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ memory: false, kv: env.CACHE, r2: env.ARCHIVE, now: clock.now });
		const key = testKey("answer", "kv-expired");
		await cache.set(key, "answer", "stale soon");
		clock.advance(HOUR);
		const gets = r2Gets();

		expect(await cache.get(key, "answer")).toBeUndefined();
		expect(gets).not.toHaveBeenCalled();
		expect(requests(stats, "answer", "kv", "miss")).toBe(1);
	});

	it("an answer over the KV cap is found in R2 through its KV pointer", async () => {
		const key = testKey("answer", "pointer");
		const long = "a long answer ".repeat(40);
		await cacheWith({ kv: env.CACHE, r2: env.ARCHIVE, kvMaxBytes: 200 }).cache.set(key, "answer", long);
		expect((await env.CACHE.getWithMetadata(key)).metadata).toMatchObject({ r2: true });
		const gets = r2Gets();
		const reader = cacheWith({ memory: false, kv: env.CACHE, r2: env.ARCHIVE, kvMaxBytes: 200 });

		expect(await reader.cache.get(key, "answer")).toBe(long);
		expect(gets).toHaveBeenCalledTimes(1);
		expect(requests(reader.stats, "answer", "kv", "miss")).toBe(1);
		expect(requests(reader.stats, "answer", "r2", "hit")).toBe(1);
	});

	it("an archived kind (summary) still reads R2 on a KV miss", async () => {
		const key = testKey("summary", "archived-kv-miss");
		await cacheWith({ memory: false, r2: env.ARCHIVE }).cache.set(key, "summary", "only in R2");
		const gets = r2Gets();
		const { cache, stats } = cacheWith({ memory: false, kv: env.CACHE, r2: env.ARCHIVE });

		expect(await cache.get(key, "summary")).toBe("only in R2");
		expect(gets).toHaveBeenCalledTimes(1);
		expect(requests(stats, "summary", "r2", "hit")).toBe(1);
	});

	it("a KV read failure still falls through to R2 for an answer", async () => {
		vi.spyOn(console, "warn").mockImplementation(() => {});
		vi.spyOn(console, "error").mockImplementation(() => {});
		const key = testKey("answer", "kv-down-answer");
		// With no KV, an answer goes to R2: the only place it can be found while KV is down.
		await cacheWith({ memory: false, r2: env.ARCHIVE }).cache.set(key, "answer", "from R2");
		const { cache, stats } = cacheWith({ memory: false, kv: failingKv(), r2: env.ARCHIVE });

		expect(await cache.get(key, "answer")).toBe("from R2");
		expect(errors(stats, "kv", "read")).toBe(1);
		expect(requests(stats, "answer", "r2", "hit")).toBe(1);
	});
});

describe("background writes", () => {
	it("hands the store after a computation to waitUntil instead of making the caller wait", async () => {
		const pending: Promise<unknown>[] = [];
		const cache = new TieredCache({ memory: false, kv: env.CACHE, stats: new CacheStats(), waitUntil: (p) => pending.push(p) });
		const key = testKey("answer", "wait-until");

		expect(await cache.getOrCompute(key, "answer", async () => "later")).toBe("later");
		expect(pending).toHaveLength(1);
		await Promise.all(pending);
		expect(await cache.get(key, "answer")).toBe("later");
	});
});

describe("expiry on the injected clock", () => {
	it("memory: fresh until the kind's TTL, a miss from then on", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ now: clock.now });
		const key = testKey("answer", "ttl-l1");
		await cache.set(key, "answer", "v");
		clock.advance(HOUR - 1);
		expect(await cache.get(key, "answer")).toBe("v");
		clock.advance(1);
		expect(await cache.get(key, "answer")).toBeUndefined();
		expect(requests(stats, "answer", "memory", "miss")).toBe(1);
	});

	it("KV: past expiresAt is a miss although KV still holds the value", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ memory: false, kv: env.CACHE, now: clock.now });
		const key = testKey("kb-search", "ttl-l2");
		await cache.set(key, "kb-search", "v");
		clock.advance(CACHE_KINDS["kb-search"].ttlSeconds * 1000 - 1);
		expect(await cache.get(key, "kb-search")).toBe("v");
		clock.advance(1);

		expect(await cache.get(key, "kb-search")).toBeUndefined();
		expect(await env.CACHE.get(key)).not.toBeNull();
		expect(requests(stats, "kb-search", "kv", "miss")).toBe(1);
	});

	it("R2: an object past the expiresAt in its custom metadata is a miss, and is deleted", async () => {
		const clock = manualClock();
		const { cache, stats } = cacheWith({ memory: false, r2: env.ARCHIVE, now: clock.now });
		const key = testKey("summary", "ttl-l3");
		await cache.set(key, "summary", "v");
		clock.advance(CACHE_KINDS.summary.ttlSeconds * 1000);
		expect(await env.ARCHIVE.head(r2ObjectKey(key))).not.toBeNull();

		expect(await cache.get(key, "summary")).toBeUndefined();
		expect(requests(stats, "summary", "r2", "miss")).toBe(1);
		expect(await env.ARCHIVE.head(r2ObjectKey(key))).toBeNull();
	});

	it("R2: an object without valid expiry metadata is a miss, never trusted", async () => {
		const { cache, stats } = cacheWith({ memory: false, r2: env.ARCHIVE });
		vi.spyOn(console, "warn").mockImplementation(() => {});
		const key = testKey("summary", "bad-metadata");
		await env.ARCHIVE.put(r2ObjectKey(key), new Uint8Array([0, 0x61]), { customMetadata: { expiresAt: "soon" } });

		expect(await cache.get(key, "summary")).toBeUndefined();
		expect(errors(stats, "r2", "read")).toBe(1);
	});
});

describe("KV and R2 failures never fail the caller", () => {
	it("a KV read failure is a counted miss, and R2 still answers", async () => {
		const key = testKey("summary", "kv-down");
		await cacheWith({ memory: false, r2: env.ARCHIVE }).cache.set(key, "summary", "from R2");
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		// The fill back into KV fails too, and is logged.
		vi.spyOn(console, "error").mockImplementation(() => {});
		const { cache, stats } = cacheWith({ memory: false, kv: failingKv(), r2: env.ARCHIVE });

		expect(await cache.get(key, "summary")).toBe("from R2");
		expect(requests(stats, "summary", "kv", "miss")).toBe(1);
		expect(errors(stats, "kv", "read")).toBe(1);
		expect(warn).toHaveBeenCalled();
	});

	it("a KV read failure with nothing below is a plain miss", async () => {
		vi.spyOn(console, "warn").mockImplementation(() => {});
		const { cache, stats } = cacheWith({ memory: false, kv: failingKv() });
		await expect(cache.get(testKey("answer", "kv-down-miss"), "answer")).resolves.toBeUndefined();
		expect(requests(stats, "answer", "kv", "miss")).toBe(1);
	});

	it("a KV write failure is logged as one JSON line and ignored", async () => {
		const log = vi.spyOn(console, "error").mockImplementation(() => {});
		const { cache, stats } = cacheWith({ kv: failingKv() });
		const key = testKey("answer", "kv-write-down");
		await expect(cache.set(key, "answer", "still served from memory")).resolves.toBeUndefined();

		expect(await cache.get(key, "answer")).toBe("still served from memory");
		expect(errors(stats, "kv", "write")).toBe(1);
		expect(log).toHaveBeenCalledTimes(1);
		const line: unknown = JSON.parse(String(log.mock.calls[0]?.[0]));
		expect(line).toMatchObject({
			event: "cache_level_failed",
			level: "kv",
			operation: "write",
			key,
			error: "Error: KV unavailable (simulated)",
		});
	});

	it("an R2 outage on read and write leaves getOrCompute working", async () => {
		vi.spyOn(console, "warn").mockImplementation(() => {});
		vi.spyOn(console, "error").mockImplementation(() => {});
		const { cache, stats } = cacheWith({ memory: false, kv: failingKv(), r2: failingR2() });
		const key = testKey("summary", "all-down");

		expect(await cache.getOrCompute(key, "summary", async () => "computed")).toBe("computed");
		expect(errors(stats, "r2", "read")).toBe(1);
		expect(errors(stats, "r2", "write")).toBe(1);
	});
});

describe("stats", () => {
	it("reports every kind × level × result series, zeros included, for cache_requests_total", async () => {
		const { cache } = cacheWith({ kv: env.CACHE });
		await cache.get(testKey("answer", "series"), "answer");
		const { requests: series } = cache.stats();
		expect(series).toHaveLength(Object.keys(CACHE_KINDS).length * 3 * 2);
		expect(series).toContainEqual({ labels: { kind: "answer", level: "kv", result: "miss" }, value: 1 });
		expect(series).toContainEqual({ labels: { kind: "summary", level: "r2", result: "hit" }, value: 0 });
	});

	it("counts bytes written per level: UTF-8 in memory, stored bytes in KV and R2", async () => {
		const { cache, stats } = cacheWith({ kv: env.CACHE, r2: env.ARCHIVE });
		await cache.set(testKey("summary", "bytes"), "summary", "é".repeat(10));
		const written = Object.fromEntries(stats.snapshot().bytesWritten.map((s) => [s.labels.level, s.value]));
		expect(written).toEqual({ memory: 20, kv: 21, r2: 21 });
	});
});
