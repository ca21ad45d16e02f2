/**
 * What the dashboard draws from the series endpoint's data: the machine's
 * health (latency against its SLO lines, throughput, errors, cache, spend),
 * the people side of CONTRACT §7 (outcomes, handoffs, the wait for a
 * person, satisfaction and answer marks) and signed-in users' back-office
 * tool calls (CONTRACT §8). Kept apart from the DOM code: the
 * words and colors of each chart in one place.
 */
import type { DashboardData } from "../sdk";
import type { ChartLine, ChartSpec } from "./dashboard-chart";

/** One color per model on the spend chart, the biggest spender first; reused for any chart with several like lines. */
const PALETTE = ["#c62828", "#1565c0", "#2f7d32", "#6a1b9a", "#e08a00"] as const;
/** An objective's line: grey and dashed, and not read out as a measurement. */
const REFERENCE: Pick<ChartLine, "color" | "dash" | "reference"> = { color: "#555", dash: [6, 4], reference: true };

/** The bot_resolution_rate alert's objective (CONTRACT §6): more than half of outcomes resolved by the assistant. */
const BOT_RESOLUTION_TARGET_PERCENT = 50;

const REASONS: Record<DashboardData["handoffs"][number]["reason"], { label: string; color: string }> = {
	user_request: { label: "asked for a person", color: "#1565c0" },
	bot_declined: { label: "assistant declined", color: "#e08a00" },
	negative_feedback: { label: "unhelpful answer", color: "#c62828" },
	other: { label: "other", color: "#6a1b9a" },
};

/**
 * Every chart of the page, in the order it shows them.
 * @example for (const spec of chartSpecs(data)) board.draw(spec, data.times);
 */
export function chartSpecs(data: DashboardData): ChartSpec[] {
	return [...machineSpecs(data), ...peopleSpecs(data)];
}

function machineSpecs(data: DashboardData): ChartSpec[] {
	return [
		...data.latency.map((l) => ({
			id: l.id,
			title: `${l.label} latency`,
			unit: "s" as const,
			lines: [
				{ label: "p50", values: l.p50, color: "#2f7d32" },
				{ label: "p95", values: l.p95, color: "#e08a00" },
				{ label: "p99", values: l.p99, color: "#c62828" },
				...(l.sloSeconds === null ? [] : [{ label: `SLO ${l.sloSeconds} s`, values: data.times.map(() => l.sloSeconds), ...REFERENCE }]),
			],
		})),
		{
			id: "throughput",
			title: "Throughput",
			unit: "/min",
			lines: [
				{ label: "messages accepted", values: data.throughput.accepted, color: "#1565c0" },
				{ label: "turns", values: data.throughput.turns, color: "#6a1b9a" },
			],
		},
		{
			id: "errors",
			title: "Error rate (failed turns)",
			unit: "%",
			lines: [{ label: "failed", values: percent(data.errorRate), color: "#c62828" }],
		},
		{
			id: "cache",
			title: "Answer-cache hit rate",
			unit: "%",
			lines: [
				{ label: "overall", values: percent(data.cacheHitRate.overall), color: "#2f7d32", lowIsWorse: true },
				{ label: "memory", values: percent(data.cacheHitRate.memory), color: "#1565c0", lowIsWorse: true },
				{ label: "KV", values: percent(data.cacheHitRate.kv), color: "#e08a00", lowIsWorse: true },
				{ label: "R2", values: percent(data.cacheHitRate.r2), color: "#6a1b9a", lowIsWorse: true },
				{ label: "SLO 80 %", values: data.times.map(() => 80), ...REFERENCE },
			],
		},
		{
			id: "spend",
			title: "Model spend (estimated)",
			unit: "$/h",
			lines:
				data.spend.length === 0
					? [{ label: "all models", values: data.times.map(() => null), color: PALETTE[0] }]
					: data.spend.map((s, i) => ({ label: s.model, values: s.dollarsPerHour, color: PALETTE[i % PALETTE.length] ?? "#555" })),
		},
	];
}

function peopleSpecs(data: DashboardData): ChartSpec[] {
	const per = perStep(data.stepSeconds);
	const { outcomes, handoffWait, feedback } = data;
	const sloMinutes = handoffWait.sloSeconds / 60;
	return [
		{
			id: "resolution",
			title: `Resolution rate (outcomes ${per})`,
			unit: "%",
			rightUnit: "count",
			range: [0, 100],
			lines: [
				{ label: "resolved by the assistant", values: percent(outcomes.botResolvedRate), color: "#2f7d32", lowIsWorse: true },
				{ label: `target ${BOT_RESOLUTION_TARGET_PERCENT} %`, values: data.times.map(() => BOT_RESOLUTION_TARGET_PERCENT), ...REFERENCE },
				{ label: "assistant, confirmed", values: outcomes.botConfirmed, color: "#1565c0", right: true },
				{ label: "assistant, assumed", values: outcomes.botAssumed, color: "#00838f", right: true },
				{ label: "agent", values: outcomes.agentResolved, color: "#6a1b9a", right: true },
				{ label: "abandoned", values: outcomes.abandoned, color: "#c62828", right: true },
			],
		},
		{
			id: "handoffs",
			title: `Handoffs to people by reason (${per})`,
			unit: "count",
			lines: data.handoffs.map((h): ChartLine => ({ ...REASONS[h.reason], values: h.counts })),
		},
		{
			id: "handoff-wait",
			title: "Wait for a person",
			unit: "min",
			lines: [
				{ label: "p50", values: minutes(handoffWait.p50), color: "#2f7d32" },
				{ label: "p95", values: minutes(handoffWait.p95), color: "#e08a00" },
				{ label: `SLO ${sloMinutes} min`, values: data.times.map(() => sloMinutes), ...REFERENCE },
			],
		},
		{
			id: "csat",
			title: `Satisfaction (ratings ${per})`,
			unit: "%",
			rightUnit: "count",
			range: [0, 100],
			lines: [
				{ label: "rated 4 or 5", values: percent(feedback.satisfiedRate), color: "#2f7d32", lowIsWorse: true },
				{ label: "ratings", values: feedback.ratings, color: "#1565c0", right: true },
			],
		},
		{
			id: "answers",
			title: `Answers marked (${per})`,
			unit: "count",
			lines: [
				{ label: "helpful", values: feedback.helpful, color: "#2f7d32" },
				{ label: "unhelpful", values: feedback.unhelpful, color: "#c62828" },
			],
		},
		{
			id: "tool-calls",
			title: `Back-office tool calls (${per})`,
			unit: "count",
			lines: [
				{ label: "done", values: data.toolCalls.done, color: "#2f7d32" },
				{ label: "failed", values: data.toolCalls.failed, color: "#c62828" },
				{ label: "declined by the user", values: data.toolCalls.declined, color: "#e08a00" },
				{ label: "cancelled (no answer)", values: data.toolCalls.cancelled, color: "#6a1b9a" },
			],
		},
	];
}

/**
 * How long one step is, in words, for the titles of charts that count events per step.
 * @example perStep(300) // "per 5 min"
 */
function perStep(stepSeconds: number): string {
	return stepSeconds === 60 ? "per minute" : `per ${stepSeconds / 60} min`;
}

function percent(values: (number | null)[]): (number | null)[] {
	return values.map((v) => (v === null ? null : Math.round(v * 1000) / 10));
}

/** Unrounded: a wait of a few hundred milliseconds still reads as such in the text alternative. */
function minutes(seconds: (number | null)[]): (number | null)[] {
	return seconds.map((v) => (v === null ? null : v / 60));
}
