/**
 * The development synthetic history: every series seen gets one batch a
 * minute, and the people series get values the dashboard can draw sensibly
 * (a wait for a person in minutes, mostly good outcomes and ratings).
 */
import { describe, expect, it } from "vitest";
import { BUCKET_BOUNDS, bucketIndex } from "../../../src/shared/metrics/families";
import type { SeriesTotal } from "../../../src/shared/metrics/series";
import { syntheticHistory } from "../../../src/shared/metrics/synthetic-history";

const counter = (name: string, labels: Record<string, string>): SeriesTotal => ({
	name,
	labels,
	kind: "counter",
	value: 1,
	counts: null,
	sum: 0,
});
const histogram = (name: string): SeriesTotal => ({
	name,
	labels: {},
	kind: "histogram",
	value: 1,
	counts: new Array<number>(BUCKET_BOUNDS.length + 1).fill(0),
	sum: 0,
});

describe("syntheticHistory", () => {
	it("waits 90 s for a person, and weights outcomes, handoffs and feedback the way a healthy deployment looks", () => {
		const shapes = [
			histogram("chat_handoff_wait_seconds"),
			histogram("chat_ws_push_seconds"),
			counter("chat_messages_accepted_total", {}),
			counter("chat_conversation_outcomes_total", { outcome: "bot_resolved", basis: "assumed" }),
			counter("chat_conversation_outcomes_total", { outcome: "abandoned", basis: "assumed" }),
			counter("chat_handoffs_total", { reason: "user_request" }),
			counter("chat_feedback_total", { kind: "rating", value: "5" }),
			counter("chat_feedback_total", { kind: "rating", value: "2" }),
			counter("chat_feedback_total", { kind: "answer", value: "helpful" }),
		];
		const [batch] = syntheticHistory(shapes, { days: 3, now: Date.UTC(2026, 0, 5), minuteRetentionMs: 48 * 3_600_000 });
		const wait = batch?.histograms.find((h) => h.name === "chat_handoff_wait_seconds");
		expect(wait?.counts.indexOf(1)).toBe(bucketIndex(90));
		expect(wait?.sum).toBe(90);
		// Everything else keeps the flat shape the bench's scrape measurement was taken with.
		expect(batch?.histograms.find((h) => h.name === "chat_ws_push_seconds")?.counts.indexOf(1)).toBe(bucketIndex(0.1));
		expect(batch?.counters.map((c) => [c.name, c.labels.outcome ?? c.labels.reason ?? c.labels.value ?? "", c.value])).toEqual([
			["chat_messages_accepted_total", "", 1],
			["chat_conversation_outcomes_total", "bot_resolved", 2],
			["chat_conversation_outcomes_total", "abandoned", 1],
			["chat_handoffs_total", "user_request", 3],
			["chat_feedback_total", "5", 4],
			["chat_feedback_total", "2", 1],
			["chat_feedback_total", "helpful", 4],
		]);
	});
});
