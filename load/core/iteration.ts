/** Runs one iteration and classifies how it ended; the executors never see a behaviour's exceptions. */
import { failureReason } from "./errors";
import type { Behaviour, VuContext } from "./types";

export type IterationEnd = "completed" | "failed" | "interrupted";

export async function runIteration(exec: Behaviour, ctx: VuContext): Promise<IterationEnd> {
	try {
		await exec(ctx);
		return ctx.signal.aborted ? "interrupted" : "completed";
	} catch (error) {
		if (ctx.signal.aborted) return "interrupted";
		// Behaviours count their own request failures; this is a bug or an unexpected answer.
		ctx.metrics.fail(`iteration: ${failureReason(error)}`);
		return "failed";
	}
}

export function tally(stats: { completed: number; failed: number; interrupted: number }, end: IterationEnd): void {
	stats[end]++;
}
