/**
 * The daily R2 sweep (issue 17 item 3), against the real local bucket: expired
 * and malformed cache objects go, fresh ones and session archive segments
 * stay, a run is bounded by pages, and the cron dispatches to it.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { CRONS } from "../../src/consumers/crons";
import { sweepR2Cache } from "../../src/consumers/sweep-r2";
import worker from "../../src/index";
import { r2ObjectKey } from "../../src/shared/cache";

const NOW = 1_800_000_000_000;

const sweepLogSchema = z.object({ event: z.literal("r2_sweep"), listed: z.number(), deleted: z.number(), finished: z.boolean() });

/** Puts an object with the given custom metadata, as the cache or the session archive would. */
async function put(key: string, customMetadata: Record<string, string>): Promise<string> {
	await env.ARCHIVE.put(key, new Uint8Array([0, 0x61]), { customMetadata });
	return key;
}

async function exists(key: string): Promise<boolean> {
	return (await env.ARCHIVE.head(key)) !== null;
}

// Each test file has its own local storage, but tests in a file share it: start every test from an empty bucket.
beforeEach(async () => {
	let cursor: string | undefined;
	do {
		const listing = await env.ARCHIVE.list({ cursor });
		if (listing.objects.length > 0) await env.ARCHIVE.delete(listing.objects.map((object) => object.key));
		cursor = listing.truncated ? listing.cursor : undefined;
	} while (cursor);
	vi.spyOn(console, "log").mockImplementation(() => {});
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("the R2 cache sweep", () => {
	it("deletes cache objects past their expiresAt and keeps fresh ones", async () => {
		const expired = await put(r2ObjectKey("answer:2:expired"), { expiresAt: String(NOW - 1) });
		const expiringNow = await put(r2ObjectKey("answer:2:expiring-now"), { expiresAt: String(NOW) });
		const fresh = await put(r2ObjectKey("summary:1:fresh"), { expiresAt: String(NOW + 1) });

		expect(await sweepR2Cache(env.ARCHIVE, NOW)).toEqual({ listed: 3, deleted: 2, finished: true });
		expect(await exists(expired)).toBe(false);
		expect(await exists(expiringNow)).toBe(false);
		expect(await exists(fresh)).toBe(true);
	});

	it("deletes cache objects whose expiry metadata is missing or malformed", async () => {
		const missing = await put(r2ObjectKey("answer:2:no-metadata"), {});
		const malformed = await put(r2ObjectKey("answer:2:bad-metadata"), { expiresAt: "soon" });

		expect(await sweepR2Cache(env.ARCHIVE, NOW)).toMatchObject({ deleted: 2 });
		expect(await exists(missing)).toBe(false);
		expect(await exists(malformed)).toBe(false);
	});

	it("never touches session archive segments, however old or unlabelled", async () => {
		const segments = [
			await put("sessions/s1/00000000-00000049.jsonl.gz", {}),
			await put("sessions/s2/00000000-00000049.jsonl.gz", { expiresAt: "1" }),
		];

		expect(await sweepR2Cache(env.ARCHIVE, NOW)).toEqual({ listed: 0, deleted: 0, finished: true });
		for (const segment of segments) expect(await exists(segment)).toBe(true);
	});

	it("walks every listing page, deleting as it goes", async () => {
		const keys = await Promise.all(
			Array.from({ length: 5 }, (_, i) => put(r2ObjectKey(`answer:2:page-${i}`), { expiresAt: String(i % 2 === 0 ? NOW - 1 : NOW + 1) })),
		);

		expect(await sweepR2Cache(env.ARCHIVE, NOW, { pageSize: 2 })).toEqual({ listed: 5, deleted: 3, finished: true });
		expect(await Promise.all(keys.map(exists))).toEqual([false, true, false, true, false]);
	});

	it("stops at the page bound, says it did not finish, and logs what it did", async () => {
		for (let i = 0; i < 5; i++) await put(r2ObjectKey(`answer:2:bound-${i}`), { expiresAt: "1" });
		const log = vi.spyOn(console, "log").mockImplementation(() => {});

		expect(await sweepR2Cache(env.ARCHIVE, NOW, { pageSize: 2, maxPages: 2 })).toEqual({ listed: 4, deleted: 4, finished: false });
		expect(sweepLogSchema.parse(JSON.parse(String(log.mock.calls.at(-1)?.[0])))).toEqual({
			event: "r2_sweep",
			listed: 4,
			deleted: 4,
			finished: false,
		});
		expect((await env.ARCHIVE.list({ prefix: r2ObjectKey("") })).objects).toHaveLength(1);
	});

	it("runs as the daily cron", async () => {
		const expired = await put(r2ObjectKey("answer:2:cron-expired"), { expiresAt: String(Date.now() - 1) });
		const fresh = await put(r2ObjectKey("answer:2:cron-fresh"), { expiresAt: String(Date.now() + 60 * 60 * 1000) });

		await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: CRONS.sweepR2Cache }), env);
		expect(await exists(expired)).toBe(false);
		expect(await exists(fresh)).toBe(true);
	});
});
