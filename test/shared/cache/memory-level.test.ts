import { describe, expect, it } from "vitest";
import { CacheStats, MEMORY_DEFAULTS, MemoryLevel, TieredCache } from "../../../src/shared/cache";
import { evictions, must, testKey } from "./support";

describe("memory level (L1)", () => {
	it("holds 100 entries by default and evicts the least recently used 101st, counting it", async () => {
		expect(MEMORY_DEFAULTS.maxEntries).toBe(100);
		const stats = new CacheStats();
		const memory = new MemoryLevel({ stats });
		const cache = new TieredCache({ memory });
		const keys = Array.from({ length: 101 }, (_, i) => testKey("answer", `lru-${i}`));
		for (const key of keys.slice(0, 100)) await cache.set(key, "answer", "v");
		// Reading the first key makes the second the least recently used.
		expect(await cache.get(must(keys[0]), "answer")).toBe("v");
		await cache.set(must(keys[100]), "answer", "v");

		expect(memory.size).toBe(100);
		expect(await cache.get(must(keys[0]), "answer")).toBe("v");
		expect(await cache.get(must(keys[1]), "answer")).toBeUndefined();
		expect(evictions(stats, "answer")).toBe(1);
	});

	it("evicts to stay within its byte budget, counting UTF-8 bytes", async () => {
		const stats = new CacheStats();
		const memory = new MemoryLevel({ maxBytes: 1000, stats });
		const cache = new TieredCache({ memory });
		const keys = Array.from({ length: 6 }, (_, i) => testKey("kb-search", `bytes-${i}`));
		// 100 × "é" is 200 bytes: five fill the budget exactly, the sixth pushes the oldest out.
		for (const key of keys.slice(0, 5)) await cache.set(key, "kb-search", "é".repeat(100));
		expect(memory.bytes).toBe(1000);
		expect(evictions(stats, "kb-search")).toBe(0);

		await cache.set(must(keys[5]), "kb-search", "é".repeat(100));
		expect(memory.bytes).toBe(1000);
		expect(await cache.get(must(keys[0]), "kb-search")).toBeUndefined();
		expect(evictions(stats, "kb-search")).toBe(1);
	});

	it("does not keep a value over the per-entry limit, and evicts nothing for it", async () => {
		const stats = new CacheStats();
		const memory = new MemoryLevel({ maxBytes: 1000, stats });
		const cache = new TieredCache({ memory });
		const small = testKey("answer", "small");
		const large = testKey("answer", "large");
		await cache.set(small, "answer", "x");
		await cache.set(large, "answer", "x".repeat(251));

		expect(await cache.get(large, "answer")).toBeUndefined();
		expect(await cache.get(small, "answer")).toBe("x");
		expect(evictions(stats, "answer")).toBe(0);
	});
});
