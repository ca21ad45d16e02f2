/**
 * One run of a scenario: the load phase (every workload's executor for the
 * duration, then a bounded graceful stop for iterations in flight), then the
 * audit of every session. `stop` (hard deadline, SIGINT) cuts either short.
 */
import { rampingArrivalRate } from "./arrival-rate";
import { type AuditResult, auditSessions } from "./audit";
import { Metrics } from "./metrics";
import { rampingVus } from "./ramping-vus";
import { SessionLog } from "./session-log";
import { within } from "./sleep";
import { scenarioDuration } from "./stages";
import type { ExecutorStats, LoadEnv, RunClock, Scenario } from "./types";
import { warmUp } from "./warm-up";

/** Iterations in flight at the end get this long to finish (k6 `gracefulStop`); the reply timeout is 20 s. */
export const GRACEFUL_STOP_MS = 25_000;

export interface RunOutcome {
	durationS: number;
	/** From the first iteration until the load phase ended (all iterations done, or the graceful stop over). */
	loadElapsedS: number;
	executors: ExecutorStats[];
	audit: AuditResult;
	metrics: Metrics;
}

function emptyStats(workload: string, executor: ExecutorStats["executor"]): ExecutorStats {
	return { workload, executor, maxVUs: 0, iterations: 0, completed: 0, failed: 0, interrupted: 0, dropped: 0 };
}

export async function runScenario(scenario: Scenario, base: string, durationS: number | undefined, stop: AbortSignal): Promise<RunOutcome> {
	await warmUp(base, stop);
	const defaultS = scenarioDuration(scenario);
	const actualS = durationS ?? defaultS;
	const env: LoadEnv = { base, metrics: new Metrics(), sessions: new SessionLog() };
	const ending = new AbortController();
	const stopping = new AbortController();
	const onStop = () => {
		ending.abort();
		stopping.abort();
	};
	stop.addEventListener("abort", onStop, { once: true });
	const clock: RunClock = {
		startedAt: performance.now(),
		durationMs: actualS * 1000,
		scale: actualS / defaultS,
		ending: ending.signal,
		stopping: stopping.signal,
	};
	const endTimer = setTimeout(() => ending.abort(), clock.durationMs);

	const executors: ExecutorStats[] = [];
	const running = Object.entries(scenario.workloads).map(([name, workload]) => {
		const stats = emptyStats(name, workload.executor);
		executors.push(stats);
		return workload.executor === "ramping-vus" ? rampingVus(workload, clock, env, stats) : rampingArrivalRate(workload, clock, env, stats);
	});
	await within(Promise.all(running), clock.durationMs + GRACEFUL_STOP_MS, stop);
	clearTimeout(endTimer);
	onStop();
	stop.removeEventListener("abort", onStop);
	const loadElapsedS = (performance.now() - clock.startedAt) / 1000;

	// Whatever is still running was abandoned: its late results must not count, and its sockets must go.
	env.metrics.freeze();
	env.sessions.freeze();
	env.sessions.terminateAll();
	// A snapshot: abandoned iterations still tally into the live objects when they finally return.
	const final = executors.map((stats) => ({ ...stats, interrupted: stats.iterations - stats.completed - stats.failed }));

	const audit = await auditSessions(base, env.sessions.all, env.metrics, stop);
	return { durationS: actualS, loadElapsedS, executors: final, audit, metrics: env.metrics };
}
