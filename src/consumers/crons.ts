/**
 * The cron triggers (`scheduled`), dispatched on the cron expression like
 * queues are on their names. `wrangler dev` never fires them by itself:
 * `npm run dev` drives them on their schedule (scripts/dev.ts), and tests
 * call `scheduled` with `createScheduledController`.
 */
import { describeError } from "../shared/errors";
import { QUESTION_STATS_NAME, startWarmJob } from "../shared/warm-jobs";

export const CRONS = {
	/** Every hour: warm the 100 most asked first questions. */
	warmTopQuestions: "0 * * * *",
} as const;

/** How many of the most asked questions the hourly cron warms. */
export const WARM_TOP_K = 100;

export async function runCron(controller: ScheduledController, env: Env): Promise<void> {
	switch (controller.cron) {
		case CRONS.warmTopQuestions:
			return warmTopQuestions(env);
		default:
			// A trigger in wrangler.toml with no handler here is a deployment bug: fail loudly.
			throw new Error(`no handler for cron ${controller.cron}`);
	}
}

async function warmTopQuestions(env: Env): Promise<void> {
	const stats = env.QUESTION_STATS.get(env.QUESTION_STATS.idFromName(QUESTION_STATS_NAME));
	const top = await stats.top(WARM_TOP_K);
	if (top.length === 0) return;
	try {
		const jobId = await startWarmJob(
			env,
			top.map((q) => q.text),
		);
		await stats.setLastWarmJob(jobId);
		console.log(JSON.stringify({ event: "warm_cron_started", jobId, questions: top.length }));
	} catch (error) {
		console.error(JSON.stringify({ event: "warm_cron_failed", error: describeError(error) }));
		throw error;
	}
}
