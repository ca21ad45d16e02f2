/**
 * The operators' dashboard (/dashboard): uPlot charts of the metric rollups
 * over the last hour, six hours or day (latency percentiles against their
 * SLO lines, throughput, error rate, cache hit rate per level, model spend
 * per model), the firing alerts and the warming jobs, refreshed every 10 s.
 * Every chart has a text alternative: a sentence with its latest and worst
 * values. The admin token
 * is kept for the tab only (sessionStorage); the data comes through the
 * SDK's AdminApi, validated against the type the server builds it with.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { AdminApi, type DashboardData, type DashboardRange, ProblemError } from "../sdk";

const REFRESH_MS = 10_000;

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
	const element = document.getElementById(id);
	if (!(element instanceof type)) throw new Error(`#${id} is missing`);
	return element;
};
const token = byId("token", HTMLInputElement);
const range = byId("range", HTMLSelectElement);
const status = byId("status", HTMLParagraphElement);
const chartsBox = byId("charts", HTMLDivElement);
const alertsList = byId("alerts", HTMLUListElement);
const jobsList = byId("jobs", HTMLUListElement);
token.value = sessionStorage.getItem("adminToken") ?? "";

interface ChartSpec {
	id: string;
	title: string;
	unit: "s" | "/min" | "%" | "$/h";
	lines: { label: string; values: (number | null)[]; color: string; dash?: number[] }[];
}

/** One color per model on the spend chart, the biggest spender first. */
const SPEND_COLORS = ["#c62828", "#1565c0", "#2f7d32", "#6a1b9a", "#e08a00"] as const;

const charts = new Map<string, { plot: uPlot; summary: HTMLParagraphElement; labels: string }>();
let timer: ReturnType<typeof setTimeout> | undefined;

byId("controls", HTMLFormElement).addEventListener("submit", (event) => {
	event.preventDefault();
	sessionStorage.setItem("adminToken", token.value);
	void refresh();
});
range.addEventListener("change", () => void refresh());
window.addEventListener("resize", () => {
	for (const { plot } of charts.values()) plot.setSize(size());
});
if (token.value) void refresh();

/** The range the select shows; its options are exactly the API's ranges. */
function selectedRange(): DashboardRange {
	const ranges: readonly DashboardRange[] = ["1h", "6h", "24h"];
	return ranges.find((r) => r === range.value) ?? "1h";
}

async function refresh(): Promise<void> {
	clearTimeout(timer);
	try {
		const admin = new AdminApi({ baseUrl: location.origin, adminToken: token.value });
		const data = await admin.dashboardSeries(selectedRange());
		draw(data);
		status.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshing every ${REFRESH_MS / 1000} s.`;
	} catch (error) {
		if (error instanceof ProblemError && (error.status === 401 || error.status === 429)) {
			status.textContent = "That admin token was refused.";
			return;
		}
		status.textContent = `Could not load the data (${error instanceof Error ? error.message : String(error)}); retrying.`;
	}
	timer = setTimeout(() => void refresh(), REFRESH_MS);
}

function draw(data: DashboardData): void {
	const specs: ChartSpec[] = [
		...data.latency.map((l) => ({
			id: l.id,
			title: `${l.label} latency`,
			unit: "s" as const,
			lines: [
				{ label: "p50", values: l.p50, color: "#2f7d32" },
				{ label: "p95", values: l.p95, color: "#e08a00" },
				{ label: "p99", values: l.p99, color: "#c62828" },
				...(l.sloSeconds === null
					? []
					: [{ label: `SLO ${l.sloSeconds} s`, values: data.times.map(() => l.sloSeconds), color: "#555", dash: [6, 4] }]),
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
				{ label: "overall", values: percent(data.cacheHitRate.overall), color: "#2f7d32" },
				{ label: "memory", values: percent(data.cacheHitRate.memory), color: "#1565c0" },
				{ label: "KV", values: percent(data.cacheHitRate.kv), color: "#e08a00" },
				{ label: "R2", values: percent(data.cacheHitRate.r2), color: "#6a1b9a" },
				{ label: "SLO 80 %", values: data.times.map(() => 80), color: "#555", dash: [6, 4] },
			],
		},
		{
			id: "spend",
			title: "Model spend (estimated)",
			unit: "$/h",
			lines:
				data.spend.length === 0
					? [{ label: "all models", values: data.times.map(() => null), color: SPEND_COLORS[0] }]
					: data.spend.map((s, i) => ({
							label: s.model,
							values: s.dollarsPerHour,
							color: SPEND_COLORS[i % SPEND_COLORS.length] ?? "#555",
						})),
		},
	];
	for (const spec of specs) drawChart(spec, data.times);
	alertsList.replaceChildren(
		...(data.alerts.length === 0
			? [item("None firing.")]
			: data.alerts.map((a) => item(`${a.rule} (${a.severity}) since ${new Date(a.since).toLocaleString()}: ${a.summary}`))),
	);
	jobsList.replaceChildren(...(data.warmJobs.length === 0 ? [item("No warming job yet.")] : data.warmJobs.map(jobItem)));
}

function drawChart(spec: ChartSpec, times: number[]): void {
	const existing = charts.get(spec.id);
	const values: uPlot.AlignedData = [times, ...spec.lines.map((l) => l.values)];
	const text = summarize(spec);
	// The spend chart's lines are the models that spent: a new one needs a new chart.
	const labels = spec.lines.map((l) => l.label).join("\n");
	if (existing && existing.labels === labels) {
		existing.plot.setData(values);
		existing.summary.textContent = text;
		return;
	}
	existing?.plot.destroy();
	const figure = document.createElement("figure");
	figure.className = "chart";
	figure.id = `chart-${spec.id}`;
	const caption = document.createElement("figcaption");
	caption.textContent = spec.title;
	const summary = document.createElement("p");
	summary.className = "chart-summary";
	summary.id = `summary-${spec.id}`;
	summary.textContent = text;
	figure.append(caption);
	const holder = document.createElement("div");
	holder.setAttribute("role", "img");
	holder.setAttribute("aria-label", spec.title);
	holder.setAttribute("aria-describedby", summary.id);
	figure.append(holder, summary);
	const old = document.getElementById(figure.id);
	if (old) old.replaceWith(figure);
	else chartsBox.append(figure);
	const plot = new uPlot(
		{
			...size(),
			series: [
				{},
				...spec.lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, ...(l.dash ? { dash: l.dash } : {}), spanGaps: true })),
			],
			axes: [{}, { values: (_u, ticks) => ticks.map((t) => axisLabel(t, spec.unit)), size: 60 }],
			scales: { x: { time: true } },
		},
		values,
		holder,
	);
	charts.set(spec.id, { plot, summary, labels });
}

/** The chart's text alternative: each line's latest and highest value. */
function summarize(spec: ChartSpec): string {
	const parts = spec.lines
		.filter((l) => !l.label.startsWith("SLO"))
		.map((l) => {
			const present = l.values.filter((v): v is number => v !== null);
			if (present.length === 0) return `${l.label}: no data`;
			return `${l.label} latest ${format(present.at(-1) ?? 0, spec.unit)}, highest ${format(Math.max(...present), spec.unit)}`;
		});
	return `${spec.title}: ${parts.join("; ")}.`;
}

function format(value: number, unit: ChartSpec["unit"]): string {
	if (unit === "s") return value < 1 ? `${Math.round(value * 1000)} ms` : `${Math.round(value * 100) / 100} s`;
	if (unit === "%") return `${Math.round(value * 10) / 10} %`;
	// Two significant digits below a dollar, never in exponent notation ($0.0027/h, not $2.7e-3/h).
	if (unit === "$/h") return `$${value < 1 ? value.toLocaleString("en-US", { maximumSignificantDigits: 2 }) : value.toFixed(2)}/h`;
	return `${Math.round(value * 10) / 10}/min`;
}

function axisLabel(tick: number, unit: ChartSpec["unit"]): string {
	if (unit === "s") return `${tick} s`;
	if (unit === "%") return `${tick} %`;
	if (unit === "$/h") return `$${tick}`;
	return String(tick);
}

function percent(values: (number | null)[]): (number | null)[] {
	return values.map((v) => (v === null ? null : Math.round(v * 1000) / 10));
}

function size(): { width: number; height: number } {
	const width = Math.max(280, Math.min(chartsBox.clientWidth || 600, 940));
	return { width: width >= 860 ? Math.min(460, Math.floor(width / 2) - 16) : width - 8, height: 200 };
}

function item(text: string): HTMLLIElement {
	const li = document.createElement("li");
	li.textContent = text;
	return li;
}

function jobItem(job: DashboardData["warmJobs"][number]): HTMLLIElement {
	const li = item(`${job.jobId}: ${job.state}, ${job.done + job.failed} of ${job.total} (${job.failed} failed) `);
	const bar = document.createElement("progress");
	bar.max = Math.max(1, job.total);
	bar.value = job.done + job.failed;
	bar.setAttribute("aria-label", `Progress of ${job.jobId}`);
	li.append(bar);
	return li;
}
