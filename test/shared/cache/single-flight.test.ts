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

	it("lets a joiner follow a streaming flight: the text published before it joined, then each piece, then the value", async () => {
		const { cache } = freshCache();
		const key = testKey("answer", "flight-follow");
		const { flight: owner } = cache.flight(key, "answer", async (progress) => {
			progress.publish("one ");
			await scheduler.wait(20);
			progress.publish("two ");
			await scheduler.wait(20);
			progress.publish("three");
			return "one two three";
		});
		await scheduler.wait(10);
		const { flight, joined } = freshCache().cache.flight(key, "answer", () => Promise.reject(new Error("must not run")));
		expect(joined).toBe(true);
		expect(flight).toBe(owner);

		const seen: string[] = [];
		for (let shown = 0; ; shown = flight.text.length) {
			const event = await flight.next(shown);
			if (flight.text.length > shown) seen.push(flight.text.slice(shown));
			if (event === "settled") break;
		}
		expect(seen).toEqual(["one ", "two ", "three"]);
		expect(await flight.promise).toEqual({ value: "one two three", source: "computed" });
	});

	it("passes over a flight silent past its deadline: a joiner waiting on it, and every later caller, compute afresh", async () => {
		const { cache } = freshCache();
		const key = testKey("answer", "flight-silent");
		// A starter whose context was cancelled: its promise never settles.
		const dead = cache.flight(key, "answer", () => new Promise<string>(() => undefined), { silenceMs: 50 });
		expect(dead.joined).toBe(false);
		let runs = 0;
		const compute = async () => `computed after ${++runs} silent flight`;

		const started = Date.now();
		expect(await cache.getOrComputeWithSource(key, "answer", compute)).toEqual({
			value: "computed after 1 silent flight",
			source: "computed",
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(50);
		expect(dead.flight.stale()).toBe(true);
		expect(await cache.getOrCompute(key, "answer", compute)).toBe("computed after 1 silent flight");
		expect(runs).toBe(1);
	});

	it("keeps a flight that shows signs of life though it publishes nothing", async () => {
		const { cache } = freshCache();
		const key = testKey("answer", "flight-alive");
		cache.flight(
			key,
			"answer",
			async (progress) => {
				for (let i = 0; i < 4; i++) {
					await scheduler.wait(30);
					progress.alive();
				}
				return "worth the wait";
			},
			{ silenceMs: 50 },
		);
		const joiner = await cache.getOrComputeWithSource(key, "answer", () => Promise.reject(new Error("must not run")));
		expect(joiner).toEqual({ value: "worth the wait", source: "shared" });
	});

	it("starts a second flight when asked not to join, and later callers join the newer one", async () => {
		const { cache } = freshCache();
		const key = testKey("answer", "flight-no-join");
		const first = cache.flight(key, "answer", async () => {
			await scheduler.wait(50);
			return "first";
		});
		const second = cache.flight(key, "answer", async () => "second", { join: false });
		expect(second.joined).toBe(false);
		expect(cache.flight(key, "answer", () => Promise.reject(new Error("must not run"))).flight).toBe(second.flight);
		expect((await first.flight.promise).value).toBe("first");
		expect((await second.flight.promise).value).toBe("second");
	});
});
