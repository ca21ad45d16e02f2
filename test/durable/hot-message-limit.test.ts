/**
 * Each session's bound on its hot messages: at most HOT_MESSAGE_LIMIT, at least
 * a segment less, the same for a session every time, and spread across
 * sessions, so that sessions growing together do not archive together
 * (history.ts).
 */
import { describe, expect, it } from "vitest";
import { HOT_MESSAGE_LIMIT, hotMessageLimit } from "../../src/durable/session-hub/history/history";
import { SEGMENT_SIZE } from "../../src/durable/session-hub/history/segments";

const ids = Array.from({ length: 2_000 }, (_, i) => `ses_${i.toString(36).padStart(6, "0")}${(i * 7919).toString(36)}`);

describe("hotMessageLimit", () => {
	it("stays within a segment under HOT_MESSAGE_LIMIT", () => {
		for (const id of ids) {
			const limit = hotMessageLimit(id);
			expect(limit).toBeLessThanOrEqual(HOT_MESSAGE_LIMIT);
			expect(limit).toBeGreaterThan(HOT_MESSAGE_LIMIT - SEGMENT_SIZE);
		}
	});

	it("is the same for a session every time", () => {
		expect(ids.map(hotMessageLimit)).toEqual(ids.map(hotMessageLimit));
	});

	it("spreads sessions opened together over the whole segment", () => {
		const counts = new Map<number, number>();
		for (const id of ids) counts.set(hotMessageLimit(id), (counts.get(hotMessageLimit(id)) ?? 0) + 1);
		// 2,000 sessions over 50 values: every value taken, none by more than three times its share.
		expect(counts.size).toBe(SEGMENT_SIZE);
		expect(Math.max(...counts.values())).toBeLessThan((3 * ids.length) / SEGMENT_SIZE);
	});
});
