/**
 * Open model (k6 `ramping-arrival-rate`): starts iterations at the stage's
 * rate per second whatever the system's speed, so a slow server sees a queue
 * of arrivals instead of fewer requests. Arrivals beyond `maxVUs` in flight
 * are dropped and counted.
 */
import { runIteration, tally } from "./iteration";
import { sleep } from "./sleep";
import { targetAt } from "./stages";
import type { ExecutorStats, LoadEnv, RampingArrivalRate, RunClock } from "./types";

const TICK_MS = 50;

export async function rampingArrivalRate(
	workload: RampingArrivalRate,
	clock: RunClock,
	{ base, metrics, sessions }: LoadEnv,
	/** Filled in as the run goes, so a run cut short still reports what happened. */
	stats: ExecutorStats,
): Promise<void> {
	const inFlight = new Set<Promise<void>>();
	let credit = 0;
	let last = performance.now();
	const maxTicks = Math.ceil(clock.durationMs / TICK_MS) + 1;
	for (let tick = 0; tick < maxTicks && !clock.ending.aborted; tick++) {
		const now = performance.now();
		const rate = targetAt(workload.startRate, workload.stages, (now - clock.startedAt) / 1000, clock.scale);
		credit += (rate * (now - last)) / 1000;
		last = now;
		// Bounded per tick: a stalled event loop must not release a burst of thousands.
		for (let burst = 0; credit >= 1 && burst < 100; burst++) {
			credit--;
			if (inFlight.size >= workload.maxVUs) {
				stats.dropped++;
				metrics.add("droppedIterations");
				continue;
			}
			const ctx = { base, vu: inFlight.size + 1, iteration: stats.iterations++, metrics, sessions, signal: clock.stopping };
			const run: Promise<void> = runIteration(workload.exec, ctx).then((end) => {
				tally(stats, end);
				inFlight.delete(run);
			});
			inFlight.add(run);
			stats.maxVUs = Math.max(stats.maxVUs, inFlight.size);
		}
		await sleep(TICK_MS, clock.ending);
	}
	await Promise.all(inFlight);
}
