/**
 * Starting a cache-warming job, for the admin route and the hourly cron: the
 * job's own WarmJob object records the questions and queues them.
 */
import { newId } from "./ids";

/** The name of the one QuestionStats object. */
export const QUESTION_STATS_NAME = "top-questions";

/** The one QuestionStats object. */
export function questionStats(env: Env) {
	return env.QUESTION_STATS.get(env.QUESTION_STATS.idFromName(QUESTION_STATS_NAME));
}

/**
 * @example const jobId = await startWarmJob(env, ["How do I reset my password?"]);
 */
export async function startWarmJob(env: Env, questions: string[]): Promise<string> {
	const jobId = newId("job");
	await env.WARM_JOB.get(env.WARM_JOB.idFromName(jobId)).start({ jobId, questions });
	// Only the dashboard reads this list: a failure here must not fail the job.
	await questionStats(env)
		.recordJob(jobId)
		.catch(() => undefined);
	return jobId;
}
