/** The end-of-run report: one object, printed as a table and written to load/results/<scenario>-latest.json. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import type { AuditResult } from "./audit";
import type { RunOutcome } from "./run-scenario";
import type { ThresholdResult } from "./thresholds";
import type { ExecutorStats, Scenario } from "./types";

export interface TrendSummary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
}

export interface Summary {
	scenario: string;
	description: string;
	pass: boolean;
	/** One line per breached threshold (and the reason a run stopped early). */
	failures: string[];
	stoppedBy: string | null;
	target: string;
	startedBy: "runner" | "external";
	/** The local provider's pacing when the runner started the product: profile and pauses. */
	pacing: { profile: string; firstChunkDelayMs: number; chunkDelayMs: number } | null;
	durationS: number;
	loadElapsedS: number;
	requests: number;
	failedRequests: number;
	errorRate: number;
	requestsPerSecond: number;
	peakRssMb: number | "n/a";
	/** The Worker isolate's peak V8 heap in MB (target: under 64), sampled through the inspector: garbage not yet collected included. */
	peakIsolateHeapMb: number | "n/a";
	/** Its heap in MB after a full collection at the end of the load: what the product keeps. */
	retainedIsolateHeapMb: number | "n/a";
	trends: Record<string, TrendSummary>;
	counters: Record<string, number>;
	errors: Record<string, number>;
	executors: ExecutorStats[];
	audit: AuditResult;
	thresholds: ThresholdResult[];
	finishedAt: string;
}

/** The order of the table; other trends follow alphabetically. */
const TREND_ORDER = [
	"wsPush",
	"doOps",
	"aiResponse",
	"quickResponse",
	"complexResponse",
	"kbSearch",
	"firstDelta",
	"sessionCreate",
	"wsConnect",
	"dropToReply",
];

function formatValue(value: number | null, unit: ThresholdResult["unit"]): string {
	if (value === null) return "no samples";
	if (unit === "ratio") return `${(value * 100).toFixed(2)}%`;
	return unit === "ms" ? `${value} ms` : String(value);
}

function describeBreach(t: ThresholdResult): string {
	return `${t.metric} ${t.expression}: observed ${formatValue(t.observed, t.unit)}, limit ${t.operator} ${formatValue(t.limit, t.unit)}`;
}

export interface SummaryInput {
	scenario: Scenario;
	outcome: RunOutcome;
	thresholds: ThresholdResult[];
	target: string;
	startedBy: "runner" | "external";
	pacing: { profile: string; firstChunkDelayMs: number; chunkDelayMs: number };
	peakRssMb: number | "n/a";
	peakIsolateHeapMb: number | "n/a";
	retainedIsolateHeapMb: number | "n/a";
	stoppedBy: string | null;
}

/** The promise the product replaces made: memory under 100 MB; the isolate's heap gets a tighter target. */
export const ISOLATE_HEAP_TARGET_MB = 64;

export function buildSummary(input: SummaryInput): Summary {
	const { outcome, thresholds } = input;
	const { metrics } = outcome;
	const names = [...TREND_ORDER.filter((n) => metrics.trend(n)), ...metrics.trendNames.filter((n) => !TREND_ORDER.includes(n)).sort()];
	const trends: Record<string, TrendSummary> = {};
	for (const name of names) {
		const summary = metrics.trend(name)?.summary();
		if (summary) trends[name] = { count: summary.n, p50: summary.p50, p95: summary.p95, p99: summary.p99 };
	}
	const failures = thresholds.filter((t) => !t.pass).map(describeBreach);
	if (input.stoppedBy) failures.push(`run stopped early: ${input.stoppedBy}`);
	return {
		scenario: input.scenario.name,
		description: input.scenario.description,
		pass: failures.length === 0,
		failures,
		stoppedBy: input.stoppedBy,
		target: input.target,
		startedBy: input.startedBy,
		pacing: input.startedBy === "runner" ? input.pacing : null,
		durationS: outcome.durationS,
		loadElapsedS: Math.round(outcome.loadElapsedS * 10) / 10,
		requests: metrics.requests,
		failedRequests: metrics.failures,
		errorRate: metrics.errorRate,
		requestsPerSecond: Math.round((metrics.requests / outcome.loadElapsedS) * 10) / 10,
		peakRssMb: input.peakRssMb,
		peakIsolateHeapMb: input.peakIsolateHeapMb,
		retainedIsolateHeapMb: input.retainedIsolateHeapMb,
		trends,
		counters: metrics.counters,
		errors: Object.fromEntries(metrics.errorReasons),
		executors: outcome.executors,
		audit: outcome.audit,
		thresholds,
		finishedAt: new Date().toISOString(),
	};
}

const pad = (value: string | number, width: number) => String(value).padStart(width);

export function printSummary(s: Summary): void {
	const lines: string[] = [];
	const server =
		s.pacing === null
			? "external"
			: `started by the runner, local provider profile ${s.pacing.profile} (first chunk ${s.pacing.firstChunkDelayMs} ms, then ${s.pacing.chunkDelayMs} ms)`;
	lines.push(
		"",
		`scenario ${s.scenario}: ${s.description}`,
		`target ${s.target} (${server}); ${s.durationS} s of load, ${s.loadElapsedS} s with the graceful stop`,
	);
	lines.push("", `${"metric".padEnd(16)}${pad("count", 7)}${pad("p50", 8)}${pad("p95", 8)}${pad("p99", 8)}   (ms)`);
	for (const [name, t] of Object.entries(s.trends))
		lines.push(`${name.padEnd(16)}${pad(t.count, 7)}${pad(t.p50, 8)}${pad(t.p95, 8)}${pad(t.p99, 8)}`);
	lines.push("");
	for (const e of s.executors) {
		lines.push(
			`${e.workload} (${e.executor}): max ${e.maxVUs} VUs, ${e.iterations} iterations (${e.completed} completed, ${e.failed} failed, ${e.interrupted} interrupted, ${e.dropped} dropped)`,
		);
	}
	lines.push(
		`requests ${s.requests} (${s.requestsPerSecond}/s), failed ${s.failedRequests} (error rate ${(s.errorRate * 100).toFixed(2)}%)`,
	);
	for (const [reason, count] of Object.entries(s.errors)) lines.push(`  ${pad(count, 5)} × ${reason}`);
	lines.push(`peak workerd RSS: ${s.peakRssMb === "n/a" ? "n/a (external target)" : `${s.peakRssMb} MB`}`);
	lines.push(
		`peak Worker isolate heap: ${s.peakIsolateHeapMb === "n/a" ? "n/a (external target or no inspector)" : `${s.peakIsolateHeapMb} MB (target < ${ISOLATE_HEAP_TARGET_MB} MB; uncollected garbage included)`}`,
		`Worker isolate heap after a full collection at the end: ${s.retainedIsolateHeapMb === "n/a" ? "n/a" : `${s.retainedIsolateHeapMb} MB`}`,
	);
	const a = s.audit;
	lines.push(
		`audit: ${a.audited}/${a.sessions} sessions, lost ${a.lost}, duplicated ${a.duplicated}, gaps ${a.gaps}, undelivered ${a.undelivered}, redelivered ${a.redelivered}`,
	);
	const info = Object.entries(s.counters).filter(
		([name]) => !["lost", "duplicated", "gaps", "undelivered", "redelivered", "unaudited"].includes(name),
	);
	if (info.length > 0) lines.push(`counters: ${info.map(([name, value]) => `${name} ${value}`).join(", ")}`);
	lines.push("", "thresholds:");
	for (const t of s.thresholds)
		lines.push(`  ${t.pass ? "PASS" : "FAIL"}  ${`${t.metric} ${t.expression}`.padEnd(30)} observed ${formatValue(t.observed, t.unit)}`);
	lines.push("", s.pass ? "RESULT: PASS" : `RESULT: FAIL (${s.failures.length}):`);
	for (const failure of s.failures) lines.push(`  - ${failure}`);
	console.log(lines.join("\n"));
}

/** Writes load/results/<scenario>-latest.json; the folder's own .gitignore keeps results out of git. */
export function writeSummary(s: Summary): string {
	const folder = new URL("../results/", import.meta.url);
	mkdirSync(folder, { recursive: true });
	const ignore = new URL(".gitignore", folder);
	if (!existsSync(ignore)) writeFileSync(ignore, "*\n!.gitignore\n");
	const file = new URL(`${s.scenario}-latest.json`, folder);
	writeFileSync(file, `${JSON.stringify(s, null, "\t")}\n`);
	return file.pathname;
}
