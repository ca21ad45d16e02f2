/** Stage arithmetic shared by both executors. */
import type { Scenario, Stage } from "./types";

export function stagesDuration(stages: readonly Stage[]): number {
	return stages.reduce((sum, stage) => sum + stage.duration, 0);
}

/** The scenario's default length: its longest workload. */
export function scenarioDuration(scenario: Scenario): number {
	return Math.max(...Object.values(scenario.workloads).map((w) => stagesDuration(w.stages)));
}

/** The target `elapsedS` seconds in, interpolating linearly from `start` through the (scaled) stages; the last target holds after them. */
export function targetAt(start: number, stages: readonly Stage[], elapsedS: number, scale: number): number {
	let from = start;
	let stageStart = 0;
	for (const stage of stages) {
		const length = stage.duration * scale;
		if (elapsedS < stageStart + length) return from + (stage.target - from) * ((elapsedS - stageStart) / length);
		from = stage.target;
		stageStart += length;
	}
	return from;
}

export function peakTarget(start: number, stages: readonly Stage[]): number {
	return Math.max(start, ...stages.map((s) => s.target));
}
