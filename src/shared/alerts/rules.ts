/**
 * The alert rules (CONTRACT §6 ids), evaluated every minute from the metric
 * rollups. Latency and error SLOs use multi-window, multi-burn-rate alerts
 * (Google SRE workbook, ch. 5): burn rate = the share of bad events over the
 * share the SLO allows; a pair of windows fires only when both burn faster
 * than the factor, so a long window proves it matters and a short one that
 * it is still happening. Pure: windows in, evaluations out.
 */
import { BUCKET_BOUNDS } from "../metrics/families";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type Severity = "page" | "ticket";

/** A pair of windows and the burn rate both must exceed. */
export interface BurnWindow {
	severity: Severity;
	longMs: number;
	shortMs: number;
	factor: number;
}

/** The SRE workbook's pairs for a 30-day SLO. */
export const SLO_WINDOWS: readonly BurnWindow[] = [
	{ severity: "page", longMs: HOUR, shortMs: 5 * MINUTE, factor: 14.4 },
	{ severity: "page", longMs: 6 * HOUR, shortMs: 30 * MINUTE, factor: 6 },
	{ severity: "ticket", longMs: 3 * 24 * HOUR, shortMs: 6 * HOUR, factor: 1 },
];

/**
 * A cache-hit SLO of 80 % leaves a 20 % budget, so its burn rate can never
 * exceed 5: the page factors would never fire. It tickets on its own pairs:
 * hit rate under 60 % for an hour (burn 2), or under 80 % for six.
 */
export const CACHE_WINDOWS: readonly BurnWindow[] = [
	{ severity: "ticket", longMs: HOUR, shortMs: 5 * MINUTE, factor: 2 },
	{ severity: "ticket", longMs: 6 * HOUR, shortMs: 30 * MINUTE, factor: 1 },
];

/** Below this many events in the long window a rule does not fire: one failure at 3 a.m. is not a page. */
export const MIN_EVENTS = 20;

/** A firing pair resolves only once its burn rates fall below this share of the factor (no flapping at the line). */
export const HYSTERESIS = 0.9;

/** The window used for the dead-letter rule: any dead letter in the last hour. */
export const DLQ_WINDOW_MS = HOUR;

/** The window of the resolution-rate rule (CONTRACT §6: over 24 h). */
export const RESOLUTION_WINDOW_MS = 24 * HOUR;
/** The share of outcomes the assistant should resolve on its own (`bot_resolution_rate`). */
export const RESOLUTION_TARGET = 0.5;

/** Good and bad events of one SLO in one window. */
export interface Events {
	total: number;
	bad: number;
}

export interface SloRule {
	id: "ai_latency" | "ws_push_latency" | "do_latency" | "error_rate" | "cache_hit_rate" | "admission_wait" | "handoff_wait";
	/** The share of events that may be bad. */
	budget: number;
	windows: readonly BurnWindow[];
	/** What is promised, for people: `threshold` in the API is this rule's bad-share limit. */
	objective: string;
	/** The metric families the rule reads. */
	families: readonly string[];
}

export const SLO_RULES: readonly SloRule[] = [
	{
		id: "ai_latency",
		budget: 0.05,
		windows: SLO_WINDOWS,
		objective: "95 % of AI responses within 5 s",
		families: ["chat_ai_response_seconds"],
	},
	{
		id: "ws_push_latency",
		budget: 0.05,
		windows: SLO_WINDOWS,
		objective: "95 % of pushes within 200 ms",
		families: ["chat_ws_push_seconds"],
	},
	{
		id: "do_latency",
		budget: 0.05,
		windows: SLO_WINDOWS,
		objective: "95 % of Durable Object operations within 1 s",
		families: ["chat_do_operation_seconds"],
	},
	{ id: "error_rate", budget: 0.05, windows: SLO_WINDOWS, objective: "under 5 % of turns failed", families: ["chat_turns_total"] },
	{
		id: "admission_wait",
		budget: 0.05,
		windows: SLO_WINDOWS,
		objective: "95 % of model calls admitted within 10 s",
		families: ["chat_admission_wait_seconds"],
	},
	{
		id: "handoff_wait",
		budget: 0.05,
		windows: SLO_WINDOWS,
		objective: "95 % of handed-off conversations get a person within 5 min",
		families: ["chat_handoff_wait_seconds"],
	},
	{
		id: "cache_hit_rate",
		budget: 0.2,
		windows: CACHE_WINDOWS,
		objective: "over 80 % of AI-answer lookups hit",
		families: ["cache_requests_total"],
	},
];

/** Every window any rule reads, distinct, for one aggregate query. */
export function windowsNeeded(scale = 1): number[] {
	const all = [...SLO_RULES.flatMap((r) => r.windows.flatMap((w) => [w.longMs, w.shortMs])), DLQ_WINDOW_MS, RESOLUTION_WINDOW_MS];
	return [...new Set(all)].map((ms) => Math.max(1, Math.round(ms * scale)));
}

/** The sums of one series over a window (MetricsStore.aggregate). */
export interface SeriesSum {
	name: string;
	labels: Record<string, string>;
	value: number;
	counts: number[] | null;
}

/** Observations above `seconds` in a histogram's sums (the bound is one of the bucket bounds). */
function above(series: SeriesSum, seconds: number): number {
	const index = BUCKET_BOUNDS.indexOf(seconds as (typeof BUCKET_BOUNDS)[number]);
	const within = (series.counts ?? []).slice(0, index + 1).reduce((a, b) => a + b, 0);
	return series.value - within;
}

/**
 * The good and bad events of `rule` in one window's sums.
 * @example events(SLO_RULES[3], sums) // { total: 40, bad: 3 } for error_rate
 */
export function events(rule: SloRule, sums: readonly SeriesSum[]): Events {
	const of = (name: string) => sums.filter((s) => s.name === name);
	const histogram = (name: string, limit: number) =>
		of(name).reduce((acc, s) => ({ total: acc.total + s.value, bad: acc.bad + above(s, limit) }), { total: 0, bad: 0 });
	switch (rule.id) {
		case "ai_latency":
			return histogram("chat_ai_response_seconds", 5);
		case "ws_push_latency":
			return histogram("chat_ws_push_seconds", 0.2);
		case "do_latency":
			return histogram("chat_do_operation_seconds", 1);
		case "admission_wait":
			return histogram("chat_admission_wait_seconds", 10);
		case "handoff_wait":
			return histogram("chat_handoff_wait_seconds", 300);
		case "error_rate": {
			const turns = of("chat_turns_total");
			const total = turns.reduce((a, s) => a + s.value, 0);
			return { total, bad: turns.filter((s) => s.labels.outcome === "failed").reduce((a, s) => a + s.value, 0) };
		}
		case "cache_hit_rate": {
			// Every answer lookup starts at the memory level; a hit at any level is a hit.
			const answers = of("cache_requests_total").filter((s) => s.labels.kind === "answer");
			const total = answers.filter((s) => s.labels.level === "memory").reduce((a, s) => a + s.value, 0);
			const hits = answers.filter((s) => s.labels.result === "hit").reduce((a, s) => a + s.value, 0);
			return { total, bad: Math.max(0, total - hits) };
		}
	}
}

export function burnRate(e: Events, budget: number): number {
	return e.total === 0 ? 0 : e.bad / e.total / budget;
}

/** One rule's verdict at one evaluation. */
export interface Evaluation {
	rule: string;
	severity: Severity;
	/** Whether the rule's condition holds (with hysteresis when it was firing). */
	firing: boolean;
	/** The bad share over the deciding long window (the dead-letter count for `dlq`). */
	value: number;
	/** The bad share the SLO allows (0 for `dlq`). */
	threshold: number;
	summary: string;
}

/**
 * Evaluates every rule. `sums[i]` holds the window `windowsNeeded(scale)[i]`;
 * `wasFiring` lists the rules firing before, for hysteresis.
 */
export function evaluateRules(sums: readonly (readonly SeriesSum[])[], scale: number, wasFiring: ReadonlySet<string>): Evaluation[] {
	const windows = windowsNeeded(scale);
	const at = (ms: number) => sums[windows.indexOf(Math.max(1, Math.round(ms * scale)))] ?? [];
	const out: Evaluation[] = SLO_RULES.map((rule) => evaluateSlo(rule, at, wasFiring.has(rule.id)));
	const dead = at(DLQ_WINDOW_MS)
		.filter((s) => s.name === "chat_dlq_messages_total")
		.reduce((a, s) => a + s.value, 0);
	out.push({
		rule: "dlq",
		severity: "ticket",
		firing: dead > 0,
		value: dead,
		threshold: 0,
		summary: dead > 0 ? `${dead} job(s) reached a dead-letter queue in the last hour` : "no dead letters in the last hour",
	});
	out.push(evaluateResolution(at(RESOLUTION_WINDOW_MS), wasFiring.has("bot_resolution_rate")));
	return out;
}

/**
 * `bot_resolution_rate` (CONTRACT §6): the share of conversations the assistant resolved on its
 * own, of every outcome counted over 24 h, should stay above half. A ticket, not a page: it moves
 * over days and the fix is content (articles, answers), not an operator at night. Quiet below
 * MIN_EVENTS outcomes; once firing it resolves only above the target plus a margin.
 */
export function evaluateResolution(sums: readonly SeriesSum[], wasFiring: boolean): Evaluation {
	const outcomes = sums.filter((s) => s.name === "chat_conversation_outcomes_total");
	const total = outcomes.reduce((a, s) => a + s.value, 0);
	const resolved = outcomes.filter((s) => s.labels.outcome === "bot_resolved").reduce((a, s) => a + s.value, 0);
	const share = total === 0 ? 1 : resolved / total;
	const line = wasFiring ? RESOLUTION_TARGET + (1 - HYSTERESIS) * RESOLUTION_TARGET : RESOLUTION_TARGET;
	const pct = (n: number) => `${Math.round(n * 1000) / 10} %`;
	return {
		rule: "bot_resolution_rate",
		severity: "ticket",
		firing: total >= MIN_EVENTS && share < line,
		value: Math.round(share * 10_000) / 10_000,
		threshold: RESOLUTION_TARGET,
		summary: `the assistant resolved ${pct(share)} of ${total} conversations with an outcome in 24 h (target over ${pct(RESOLUTION_TARGET)})`,
	};
}

function evaluateSlo(rule: SloRule, at: (ms: number) => readonly SeriesSum[], wasFiring: boolean): Evaluation {
	// The most severe pair that holds decides; with none, the first pair describes the state.
	const checked = rule.windows.map((w) => {
		const long = events(rule, at(w.longMs));
		const short = events(rule, at(w.shortMs));
		const factor = wasFiring ? w.factor * HYSTERESIS : w.factor;
		const holds = long.total >= MIN_EVENTS && burnRate(long, rule.budget) > factor && burnRate(short, rule.budget) > factor;
		return { w, long, holds };
	});
	const deciding = checked.find((c) => c.holds) ?? checked[0];
	const long = deciding?.long ?? { total: 0, bad: 0 };
	const share = long.total === 0 ? 0 : long.bad / long.total;
	const pct = (n: number) => `${Math.round(n * 1000) / 10} %`;
	return {
		rule: rule.id,
		severity: deciding?.w.severity ?? "ticket",
		firing: checked.some((c) => c.holds),
		value: Math.round(share * 10_000) / 10_000,
		threshold: rule.budget,
		summary: `${rule.objective}: ${pct(share)} bad of ${long.total} events (budget ${pct(rule.budget)})`,
	};
}
