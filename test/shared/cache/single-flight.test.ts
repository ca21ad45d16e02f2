import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CacheStats, flightsInProgress, MemoryLevel, TieredCache } from "../../../src/shared/cache";
import { testKey } from "./support";

function freshCache(): { cache: TieredCache; stats: CacheStats } {
	const stats = new CacheStats();
	return { cache: new TieredCache({ memory: new MemoryLevel({ stats }), kv: env.CACHE, r2: env.ARCHIVE, stats }), stats };
}

describe("getOrCompute single flight", () => {
	it("runs one computation for 50 concurrent identical misses", async () => {
		const { cache, stats } = freshCache();
		const key = testKey("answer", "flight");
		let runs = 0;
		const compute = async () => {
			runs++;
			await scheduler.wait(20);
			return "the answer";
		};

		const results = await Promise.all(Array.from({ length: 50 }, () => cache.getOrComputeWithSource(key, "answer", compute)));

		expect(runs).toBe(1);
		expect(results.every((r) => r.value === "the answer")).toBe(true);
		expect(results.filter((r) => r.source === "computed")).toHaveLength(1);
		expect(results.filter((r) => r.source === "shared")).toHaveLength(49);
		expect(stats.snapshot().coalesced.find((s) => s.labels.kind === "answer")?.value).toBe(49);
		expect(await cache.get(key, "answer")).toBe("the answer");
	});

	it("shares the flight between cache objects in one isolate", async () => {
		const key = testKey("answer", "flight-shared");
		let runs = 0;
		const compute = async () => {
			runs++;
			await scheduler.wait(20);
			return "once";
		};
		const values = await Promise.all(Array.from({ length: 10 }, () => freshCache().cache.getOrCompute(key, "answer", compute)));
		expect(runs).toBe(1);
		expect(new Set(values)).toEqual(new Set(["once"]));
	});

	it("rejects all 50 callers when the computation fails, caches nothing, and lets the next caller compute again", async () => {
		const { cache } = freshCache();
		const key = testKey("answer", "flight-fails");
		let runs = 0;
		const failing = async (): Promise<string> => {
			runs++;
			await scheduler.wait(20);
			throw new Error("model unavailable");
		};

		const settled = await Promise.allSettled(Array.from({ length: 50 }, () => cache.getOrCompute(key, "answer", failing)));

		expect(runs).toBe(1);
		expect(settled.every((s) => s.status === "rejected" && s.reason instanceof Error && s.reason.message === "model unavailable")).toBe(
			true,
		);
		expect(flightsInProgress()).toBe(0);
		expect(await cache.get(key, "answer")).toBeUndefined();
		expect(await cache.getOrCompute(key, "answer", async () => `retried after ${runs} run`)).toBe("retried after 1 run");
	});

	it("answers from the cache without computing when the value is already there", async () => {
		const { cache } = freshCache();
		const key = testKey("kb-search", "flight-hit");
		await cache.set(key, "kb-search", "cached");
		const result = await cache.getOrComputeWithSource(key, "kb-search", () => Promise.reject(new Error("must not run")));
		expect(result).toEqual({ value: "cached", source: "memory" });
	});
});
