/**
 * The shape of a scenario, modelled on k6: workloads run by executors
 * (closed `ramping-vus`, open `ramping-arrival-rate`) over `stages`, and
 * thresholds written as k6 expressions.
 */
import type { Metrics } from "./metrics";
import type { SessionLog } from "./session-log";

/** Move linearly to `target` over `duration` seconds (seconds of the scenario's default length; --duration scales them). */
export interface Stage {
	duration: number;
	target: number;
}

/** What one iteration of a virtual user gets. */
export interface VuContext {
	readonly base: string;
	readonly vu: number;
	readonly iteration: number;
	readonly metrics: Metrics;
	readonly sessions: SessionLog;
	/** Aborted when the run stops waiting for this iteration: give up at the next step. */
	readonly signal: AbortSignal;
}

/** One iteration of a virtual user (one visitor of the chat, start to end). */
export type Behaviour = (ctx: VuContext) => Promise<void>;

/** Closed model: `target` is the number of looping virtual users. */
export interface RampingVus {
	executor: "ramping-vus";
	startVUs: number;
	stages: Stage[];
	exec: Behaviour;
	/** Pause between a user's iterations, [min, max] ms: the next visitor does not arrive on the same tick. */
	pauseMs: [number, number];
}

/** Open model: `target` is iterations started per second, whether or not earlier ones finished. */
export interface RampingArrivalRate {
	executor: "ramping-arrival-rate";
	startRate: number;
	stages: Stage[];
	/** Iterations in flight at most; an arrival beyond it is dropped and counted (k6 `dropped_iterations`). */
	maxVUs: number;
	exec: Behaviour;
}

export type Workload = RampingVus | RampingArrivalRate;

export interface Scenario {
	name: string;
	description: string;
	workloads: Record<string, Workload>;
	/** Metric name → k6 expressions: "p(95)<200" (trends, ms), "rate<0.05" (errors), "count==0" (counters). */
	thresholds: Record<string, string[]>;
}

/** The run's clock, shared by the executors. */
export interface RunClock {
	readonly startedAt: number;
	readonly durationMs: number;
	/** Actual duration ÷ the scenario's default one; stage durations are multiplied by it. */
	readonly scale: number;
	/** Aborted when the duration is over: start nothing new, let iterations finish. */
	readonly ending: AbortSignal;
	/** Aborted when the run stops waiting for iterations in flight. */
	readonly stopping: AbortSignal;
}

/** What the executors hand to every iteration besides the clock. */
export interface LoadEnv {
	readonly base: string;
	readonly metrics: Metrics;
	readonly sessions: SessionLog;
}

export interface ExecutorStats {
	workload: string;
	executor: Workload["executor"];
	maxVUs: number;
	iterations: number;
	completed: number;
	failed: number;
	interrupted: number;
	dropped: number;
}
