/**
 * The operators' dashboard (/dashboard): uPlot charts of the metric rollups
 * over the last hour, six hours or day (what they show: dashboard-specs.ts;
 * how, with a text alternative each: dashboard-chart.ts), the firing alerts
 * and the warming jobs, refreshed every 10 s. The admin token is kept for
 * the tab only (sessionStorage); the data comes through the SDK's AdminApi,
 * validated against the type the server builds it with.
 */
import "uplot/dist/uPlot.min.css";
import { AdminApi, type DashboardData, type DashboardRange, ProblemError } from "../sdk";
import { ChartBoard } from "./dashboard-chart";
import { chartSpecs } from "./dashboard-specs";

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

const board = new ChartBoard(chartsBox);
let timer: ReturnType<typeof setTimeout> | undefined;

byId("controls", HTMLFormElement).addEventListener("submit", (event) => {
	event.preventDefault();
	sessionStorage.setItem("adminToken", token.value);
	void refresh();
});
range.addEventListener("change", () => void refresh());
window.addEventListener("resize", () => board.resize());
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
	for (const spec of chartSpecs(data)) board.draw(spec, data.times);
	alertsList.replaceChildren(
		...(data.alerts.length === 0
			? [item("None firing.")]
			: data.alerts.map((a) => item(`${a.rule} (${a.severity}) since ${new Date(a.since).toLocaleString()}: ${a.summary}`))),
	);
	jobsList.replaceChildren(...(data.warmJobs.length === 0 ? [item("No warming job yet.")] : data.warmJobs.map(jobItem)));
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
