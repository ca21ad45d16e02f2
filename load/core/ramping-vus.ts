/**
 * Closed model (k6 `ramping-vus`): keeps the number of looping virtual users
 * at the stage target. Users above a falling target finish their iteration
 * and leave (k6's graceful ramp-down); nobody starts an iteration once the
 * duration is over.
 */
import { runIteration, tally } from "./iteration";
import { between, sleep } from "./sleep";
import { peakTarget, targetAt } from "./stages";
import type { ExecutorStats, LoadEnv, RampingVus, RunClock } from "./types";

const TICK_MS = 200;
/** A user iterates at most this often; with ≥ 1 s iterations no run here comes near it. */
const MAX_ITERATIONS_PER_VU = 10_000;

interface Vu {
	retired: boolean;
	done: Promise<void>;
}

export async function rampingVus(
	workload: RampingVus,
	clock: RunClock,
	{ base, metrics, sessions }: LoadEnv,
	/** Filled in as the run goes, so a run cut short still reports what happened. */
	stats: ExecutorStats,
): Promise<void> {
	const maxVus = peakTarget(workload.startVUs, workload.stages);
	const vus: Vu[] = [];

	const loop = async (vu: Vu, id: number) => {
		for (let iteration = 0; iteration < MAX_ITERATIONS_PER_VU; iteration++) {
			if (vu.retired || clock.ending.aborted) return;
			stats.iterations++;
			const ctx = { base, vu: id, iteration, metrics, sessions, signal: clock.stopping };
			tally(stats, await runIteration(workload.exec, ctx));
			await sleep(between(...workload.pauseMs), clock.ending);
		}
	};

	const maxTicks = Math.ceil(clock.durationMs / TICK_MS) + 1;
	for (let tick = 0; tick < maxTicks && !clock.ending.aborted; tick++) {
		const elapsedS = (performance.now() - clock.startedAt) / 1000;
		const target = Math.round(targetAt(workload.startVUs, workload.stages, elapsedS, clock.scale));
		const active = vus.filter((vu) => !vu.retired);
		for (let n = active.length; n < target && vus.length < maxVus * 4; n++) {
			const vu: Vu = { retired: false, done: Promise.resolve() };
			vu.done = loop(vu, vus.length + 1);
			vus.push(vu);
		}
		for (const vu of active.slice(target)) vu.retired = true;
		stats.maxVUs = Math.max(stats.maxVUs, vus.filter((vu) => !vu.retired).length);
		await sleep(TICK_MS, clock.ending);
	}
	// The caller bounds this wait (graceful stop) by racing it with its own deadline.
	await Promise.all(vus.map((vu) => vu.done));
}
