/**
 * `GET /api/admin/metrics/series?range=1h|6h|24h` (admin): the dashboard's
 * data, from the metric rollups (summed into about 60–72 steps inside the
 * metrics stores), the firing alerts and the recent warming jobs. Besides the
 * machine's health it charts the people side (CONTRACT §7): outcomes,
 * handoffs, the wait for a person and feedback.
 */
import { Hono } from "hono";
import { counterScale } from "../../shared/metrics/families";
import { histogramQuantile } from "../../shared/metrics/quantile";
import { addCounts } from "../../shared/metrics/series";
import { metricsStores } from "../../shared/metrics/shards";
import { DASHBOARD_RANGES, type DashboardData } from "../../shared/schemas/dashboard";
import { dashboardQuerySchema } from "../../shared/schemas/http";
import { HANDOFF_REASONS } from "../../shared/schemas/wire";
import { alertState, questionStats, warmJob } from "../../shared/stubs";
import type { IngressEnv } from "../env";
import { readQuery } from "../json-body";

const LATENCY = [
	{ id: "chat_ai_response_seconds", label: "AI response", sloSeconds: 5 },
	{ id: "chat_ai_first_token_seconds", label: "First token", sloSeconds: null },
	{ id: "chat_ws_push_seconds", label: "WebSocket push", sloSeconds: 0.2 },
	{ id: "chat_do_operation_seconds", label: "Durable Object operations", sloSeconds: 1 },
	{ id: "chat_queue_wait_seconds", label: "Queue wait", sloSeconds: null },
] as const;
const NAMES = [
	...LATENCY.map((l) => l.id),
	"chat_messages_accepted_total",
	"chat_turns_total",
	"cache_requests_total",
	"chat_ai_cost_dollars_total",
	"chat_conversation_outcomes_total",
	"chat_handoffs_total",
	"chat_handoff_wait_seconds",
	"chat_feedback_total",
	"chat_tool_calls_total",
];
/** The handoff_wait alert's objective (CONTRACT §6): p95 under 5 minutes. */
const HANDOFF_WAIT_SLO_SECONDS = 300;
/** Steps per chart: a minute each for the hour, 5 and 20 minutes for the longer ranges. */
const STEP_MS = { "1h": 60_000, "6h": 5 * 60_000, "24h": 20 * 60_000 } as const;

type Step = { start: number; series: { name: string; labels: Record<string, string>; value: number; counts: number[] | null }[] };

export const dashboardData = new Hono<IngressEnv>();

dashboardData.get("/series", async (c) => {
	const { range } = readQuery(c.req.url, dashboardQuerySchema);
	const stepMs = STEP_MS[range];
	const to = Math.ceil(Date.now() / stepMs) * stepMs;
	const from = to - DASHBOARD_RANGES[range];
	const [perShard, alertList, jobs] = await Promise.all([
		Promise.all(metricsStores(c.env).map((store) => store.series({ from, to, stepMs, names: NAMES }))),
		alertState(c.env).list(),
		recentJobs(c.env),
	]);
	const byStart = new Map<number, Step["series"]>();
	for (const step of perShard.flat()) byStart.set(step.start, [...(byStart.get(step.start) ?? []), ...step.series]);
	const starts = Array.from({ length: DASHBOARD_RANGES[range] / stepMs }, (_, i) => from + i * stepMs);
	const steps = starts.map((start) => byStart.get(start) ?? []);
	const data: DashboardData = {
		range,
		stepSeconds: stepMs / 1000,
		times: starts.map((s) => s / 1000),
		latency: LATENCY.map((l) => {
			const merged = steps.map((series) => mergeCounts(series.filter((s) => s.name === l.id)));
			return {
				...l,
				p50: merged.map((m) => round(histogramQuantile(0.5, m))),
				p95: merged.map((m) => round(histogramQuantile(0.95, m))),
				p99: merged.map((m) => round(histogramQuantile(0.99, m))),
			};
		}),
		throughput: {
			accepted: steps.map((series) => perMinute(sum(series, "chat_messages_accepted_total"), stepMs)),
			turns: steps.map((series) => perMinute(sum(series, "chat_turns_total"), stepMs)),
		},
		errorRate: steps.map((series) =>
			share(
				sum(series, "chat_turns_total", (l) => l.outcome === "failed"),
				sum(series, "chat_turns_total"),
			),
		),
		cacheHitRate: hitRates(steps),
		spend: spendByModel(steps, stepMs),
		outcomes: outcomes(steps),
		handoffs: HANDOFF_REASONS.map((reason) => ({
			reason,
			counts: steps.map((series) => sum(series, "chat_handoffs_total", (l) => l.reason === reason)),
		})),
		handoffWait: handoffWait(steps),
		feedback: feedback(steps),
		toolCalls: {
			done: steps.map((series) => sum(series, "chat_tool_calls_total", (l) => l.status === "done")),
			failed: steps.map((series) => sum(series, "chat_tool_calls_total", (l) => l.status === "failed")),
			declined: steps.map((series) => sum(series, "chat_tool_calls_total", (l) => l.status === "declined")),
			cancelled: steps.map((series) => sum(series, "chat_tool_calls_total", (l) => l.status === "cancelled")),
		},
		alerts: alertList.alerts
			.filter((a) => a.state === "firing")
			.map(({ rule, severity, since, summary }) => ({ rule, severity, since, summary })),
		warmJobs: jobs,
	};
	return c.json(data, 200, { "Cache-Control": "no-store" });
});

function hitRates(steps: Step["series"][]): DashboardData["cacheHitRate"] {
	const answer = (l: Record<string, string>) => l.kind === "answer";
	const lookups = steps.map((series) => sum(series, "cache_requests_total", (l) => answer(l) && l.level === "memory"));
	const hits = (level?: string) =>
		steps.map((series, i) =>
			share(
				sum(series, "cache_requests_total", (l) => answer(l) && l.result === "hit" && (!level || l.level === level)),
				lookups[i] ?? 0,
			),
		);
	return { overall: hits(), memory: hits("memory"), kv: hits("kv"), r2: hits("r2") };
}

/** Each model's spend per step as dollars per hour (the store counts nano-dollars), the biggest spender first. */
function spendByModel(steps: Step["series"][], stepMs: number): DashboardData["spend"] {
	const name = "chat_ai_cost_dollars_total";
	const models = new Set(steps.flatMap((series) => series.filter((s) => s.name === name).map((s) => s.labels.model ?? "")));
	const perHour = (recorded: number) => Math.round(((recorded * counterScale(name)) / (stepMs / 3_600_000)) * 1e6) / 1e6;
	const lines = [...models].map((model) => {
		const recorded = steps.map((series) => sum(series, name, (l) => l.model === model));
		return { model, total: recorded.reduce((a, b) => a + b, 0), dollarsPerHour: recorded.map(perHour) };
	});
	return lines.sort((a, b) => b.total - a.total).map(({ model, dollarsPerHour }) => ({ model, dollarsPerHour }));
}

/** Outcomes by who resolved the conversation; the rate counts the assistant's, confirmed or assumed, against all. */
function outcomes(steps: Step["series"][]): DashboardData["outcomes"] {
	const name = "chat_conversation_outcomes_total";
	const counted = (outcome: string, basis?: string) =>
		steps.map((series) => sum(series, name, (l) => l.outcome === outcome && (basis === undefined || l.basis === basis)));
	const bot = counted("bot_resolved");
	return {
		botResolvedRate: steps.map((series, i) => share(bot[i] ?? 0, sum(series, name))),
		botConfirmed: counted("bot_resolved", "confirmed"),
		botAssumed: counted("bot_resolved", "assumed"),
		agentResolved: counted("agent_resolved"),
		abandoned: counted("abandoned"),
	};
}

function handoffWait(steps: Step["series"][]): DashboardData["handoffWait"] {
	const merged = steps.map((series) => mergeCounts(series.filter((s) => s.name === "chat_handoff_wait_seconds")));
	return {
		sloSeconds: HANDOFF_WAIT_SLO_SECONDS,
		p50: merged.map((m) => round(histogramQuantile(0.5, m))),
		p95: merged.map((m) => round(histogramQuantile(0.95, m))),
	};
}

/** Ratings (the CSAT share is those of 4 or 5) and answer marks, each counted in the step it arrived in. */
function feedback(steps: Step["series"][]): DashboardData["feedback"] {
	const name = "chat_feedback_total";
	const ratings = steps.map((series) => sum(series, name, (l) => l.kind === "rating"));
	const marked = (value: string) => steps.map((series) => sum(series, name, (l) => l.kind === "answer" && l.value === value));
	return {
		ratings,
		satisfiedRate: steps.map((series, i) =>
			share(
				sum(series, name, (l) => l.kind === "rating" && (l.value === "4" || l.value === "5")),
				ratings[i] ?? 0,
			),
		),
		helpful: marked("helpful"),
		unhelpful: marked("unhelpful"),
	};
}

async function recentJobs(env: Env): Promise<DashboardData["warmJobs"]> {
	const ids = await questionStats(env).recentJobs();
	const statuses = await Promise.all(ids.map((id) => warmJob(env, id).status()));
	return statuses.flatMap((s) => (s ? [{ jobId: s.jobId, state: s.state, total: s.total, done: s.done, failed: s.failed }] : []));
}

function sum(series: Step["series"], name: string, filter: (labels: Record<string, string>) => boolean = () => true): number {
	return series.filter((s) => s.name === name && filter(s.labels)).reduce((a, s) => a + s.value, 0);
}

function mergeCounts(series: Step["series"]): number[] | null {
	const withCounts = series.filter((s) => s.counts);
	if (withCounts.length === 0) return null;
	return withCounts.reduce<number[] | null>((acc, s) => addCounts(acc, s.counts ?? []), null);
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
const perMinute = (count: number, stepMs: number) => Math.round((count / (stepMs / 60_000)) * 100) / 100;
const round = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);
