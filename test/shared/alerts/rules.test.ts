/**
 * The alert rules, pure: bad and total events per SLO from window sums,
 * multi-window burn rates, the minimum event count, hysteresis, the cache
 * rule's ticket-only factors and the dead-letter rule; recommendations
 * carry the figures that triggered them.
 */
import { describe, expect, it } from "vitest";
import { recommend } from "../../../src/shared/alerts/recommendations";
import { evaluateRules, MIN_EVENTS, type SeriesSum, SLO_RULES, windowsNeeded } from "../../../src/shared/alerts/rules";
import { BUCKET_BOUNDS } from "../../../src/shared/metrics/families";

const turns = (answered: number, failed: number): SeriesSum[] => [
	{ name: "chat_turns_total", labels: { outcome: "answered", source: "model" }, value: answered, counts: null },
	{ name: "chat_turns_total", labels: { outcome: "failed", source: "model" }, value: failed, counts: null },
];

/** A histogram of `fast` observations at 0.1 s and `slow` at 10 s. */
function histogram(name: string, fast: number, slow: number, labels: Record<string, string> = {}): SeriesSum {
	const counts = new Array<number>(BUCKET_BOUNDS.length + 1).fill(0);
	counts[BUCKET_BOUNDS.indexOf(0.1)] = fast;
	counts[BUCKET_BOUNDS.indexOf(10)] = slow;
	return { name, labels, value: fast + slow, counts };
}

/** The same sums in every window. */
const everywhere = (sums: SeriesSum[]) => windowsNeeded().map(() => sums);
const verdict = (sums: SeriesSum[][], rule: string, firing: string[] = []) =>
	evaluateRules(sums, 1, new Set(firing)).find((e) => e.rule === rule);

describe("alert rules", () => {
	it("pages on errors burning the budget over 14.4× in both the 1 h and 5 min windows", () => {
		const e = verdict(everywhere(turns(20, 80)), "error_rate");
		expect(e).toMatchObject({ firing: true, severity: "page", value: 0.8, threshold: 0.05 });
		expect(e?.summary).toContain("80 % bad of 100 events");
	});

	it("does not fire below the minimum event count, nor when only the long window burns", () => {
		expect(verdict(everywhere(turns(0, MIN_EVENTS - 1)), "error_rate")?.firing).toBe(false);
		const windows = windowsNeeded();
		// Only the 3-day window burns: every pair's short window is clean.
		const onlyLongest = windows.map((ms) => (ms < 3 * 24 * 3_600_000 ? turns(100, 0) : turns(20, 80)));
		expect(verdict(onlyLongest, "error_rate")?.firing).toBe(false);
		// The 1 h window burns but the 5 min one is clean: the first page pair holds no more.
		const recovered = windows.map((ms) => (ms <= 30 * 60_000 ? turns(100, 0) : turns(20, 80)));
		expect(verdict(recovered, "error_rate")).toMatchObject({ firing: true, severity: "ticket" });
	});

	it("tickets at a slow burn over 3 days and 6 hours, without paging", () => {
		expect(verdict(everywhere(turns(90, 10)), "error_rate")).toMatchObject({ firing: true, severity: "ticket" });
	});

	it("holds a firing alert until the burn falls below 90 % of the factor (hysteresis)", () => {
		// 5.2 % failed: a burn of 1.04, over the ticket factor of 1.
		const slightly = everywhere(turns(948, 52));
		expect(verdict(slightly, "error_rate")?.firing).toBe(true);
		// 4.8 %: under the factor, above 90 % of it: a firing alert stays, a quiet one does not start.
		const under = everywhere(turns(952, 48));
		expect(verdict(under, "error_rate")?.firing).toBe(false);
		expect(verdict(under, "error_rate", ["error_rate"])?.firing).toBe(true);
		expect(verdict(everywhere(turns(960, 40)), "error_rate", ["error_rate"])?.firing).toBe(false);
	});

	it("counts latency above each SLO's threshold from the histogram buckets", () => {
		expect(verdict(everywhere([histogram("chat_ai_response_seconds", 50, 50, { source: "model" })]), "ai_latency")?.firing).toBe(true);
		expect(verdict(everywhere([histogram("chat_ai_response_seconds", 100, 0, { source: "model" })]), "ai_latency")?.firing).toBe(false);
		expect(verdict(everywhere([histogram("chat_ws_push_seconds", 10, 90)]), "ws_push_latency")?.firing).toBe(true);
		expect(verdict(everywhere([histogram("chat_do_operation_seconds", 0, 100, { op: "hub.accept" })]), "do_latency")?.firing).toBe(true);
	});

	it("tickets a cache hit rate under 60 %, and never pages for it", () => {
		const lookups = (hits: number, misses: number): SeriesSum[] => [
			{ name: "cache_requests_total", labels: { kind: "answer", level: "memory", result: "hit" }, value: hits, counts: null },
			{ name: "cache_requests_total", labels: { kind: "answer", level: "memory", result: "miss" }, value: misses, counts: null },
			{ name: "cache_requests_total", labels: { kind: "answer", level: "kv", result: "miss" }, value: misses, counts: null },
		];
		expect(verdict(everywhere(lookups(10, 90)), "cache_hit_rate")).toMatchObject({ firing: true, severity: "ticket", value: 0.9 });
		expect(verdict(everywhere(lookups(90, 10)), "cache_hit_rate")?.firing).toBe(false);
		expect(SLO_RULES.find((r) => r.id === "cache_hit_rate")?.windows.every((w) => w.severity === "ticket")).toBe(true);
	});

	it("fires the dead-letter rule on any dead letter in the last hour", () => {
		const dead: SeriesSum[] = [{ name: "chat_dlq_messages_total", labels: { queue: "chat-turns-dlq" }, value: 1, counts: null }];
		expect(verdict(everywhere(dead), "dlq")).toMatchObject({ firing: true, value: 1 });
		expect(verdict(everywhere([]), "dlq")?.firing).toBe(false);
	});

	it("pages when handed-off conversations wait over 5 minutes for a person, beyond the budget", () => {
		const waits = (fast: number, slow: number): SeriesSum => {
			const counts = new Array<number>(BUCKET_BOUNDS.length + 1).fill(0);
			counts[BUCKET_BOUNDS.indexOf(60)] = fast;
			counts[BUCKET_BOUNDS.indexOf(900)] = slow;
			return { name: "chat_handoff_wait_seconds", labels: {}, value: fast + slow, counts };
		};
		expect(verdict(everywhere([waits(10, 30)]), "handoff_wait")).toMatchObject({ firing: true, severity: "page", value: 0.75 });
		expect(verdict(everywhere([waits(40, 0)]), "handoff_wait")?.firing).toBe(false);
	});

	it("tickets when the assistant resolves half the conversations or fewer over 24 h, given enough outcomes", () => {
		const outcomes = (bot: number, agent: number, abandoned: number): SeriesSum[] => [
			{ name: "chat_conversation_outcomes_total", labels: { outcome: "bot_resolved", basis: "assumed" }, value: bot, counts: null },
			{ name: "chat_conversation_outcomes_total", labels: { outcome: "agent_resolved", basis: "confirmed" }, value: agent, counts: null },
			{ name: "chat_conversation_outcomes_total", labels: { outcome: "abandoned", basis: "assumed" }, value: abandoned, counts: null },
		];
		expect(verdict(everywhere(outcomes(8, 10, 4)), "bot_resolution_rate")).toMatchObject({
			firing: true,
			severity: "ticket",
			threshold: 0.5,
		});
		expect(verdict(everywhere(outcomes(30, 10, 0)), "bot_resolution_rate")?.firing).toBe(false);
		expect(verdict(everywhere(outcomes(2, 10, 5)), "bot_resolution_rate")?.firing, "too few outcomes to tell").toBe(false);
		// Hysteresis: at 52 % a firing alert holds; a quiet one does not start.
		expect(verdict(everywhere(outcomes(26, 24, 0)), "bot_resolution_rate")?.firing).toBe(false);
		expect(verdict(everywhere(outcomes(26, 24, 0)), "bot_resolution_rate", ["bot_resolution_rate"])?.firing).toBe(true);
	});

	it("recommends with evidence", () => {
		const sums: SeriesSum[] = [
			histogram("chat_ai_response_seconds", 20, 30, { source: "model" }),
			...turns(50, 0),
			{ name: "chat_replies_capped_total", labels: {}, value: 25, counts: null },
			{ name: "chat_dlq_messages_total", labels: { queue: "chat-turns-dlq" }, value: 2, counts: null },
		];
		const recommendations = recommend(sums);
		expect(recommendations.find((r) => r.id === "lower_max_tokens")?.evidence).toBe(
			"AI response p95 ≤ 10 s over 30 min; 50 % of 50 answered turns hit the cap",
		);
		expect(recommendations.find((r) => r.id === "inspect_dead_letters")?.evidence).toBe("2 dead letter(s) over 30 min");
		expect(recommend([])).toEqual([]);
	});
});
