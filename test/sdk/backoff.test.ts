import { describe, expect, it } from "vitest";
import { Backoff } from "../../src/sdk";

describe("Backoff", () => {
	it("doubles the ceiling from 250 ms up to the 30 s cap", () => {
		const backoff = new Backoff({ baseMs: 250, capMs: 30_000, stableMs: 10_000, random: () => 1 });
		const delays = Array.from({ length: 10 }, () => backoff.next());
		expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
	});

	it("draws each delay uniformly below the ceiling (full jitter)", () => {
		const backoff = new Backoff({ baseMs: 250, capMs: 30_000, stableMs: 10_000, random: () => 0.5 });
		expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([125, 250, 500]);
		const zero = new Backoff({ baseMs: 250, capMs: 30_000, stableMs: 10_000, random: () => 0 });
		expect(zero.next()).toBe(0);
	});

	it("starts over after a reset", () => {
		const backoff = new Backoff({ baseMs: 250, capMs: 30_000, stableMs: 10_000, random: () => 1 });
		backoff.next();
		backoff.next();
		backoff.reset();
		expect(backoff.next()).toBe(250);
	});
});
