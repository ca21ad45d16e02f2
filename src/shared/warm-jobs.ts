/**
 * Starting a cache-warming job, for the admin route and the hourly cron: the
 * job's own WarmJob object records the questions and queues them.
 */
import { newId } from "./ids";
import { questionStats, warmJob } from "./stubs";

/**
 * @example const jobId = await startWarmJob(env, ["How do I reset my password?"]);
 */
export async function startWarmJob(env: Env, questions: string[]): Promise<string> {
	const jobId = newId("job");
	await warmJob(env, jobId).start({ jobId, questions });
	// Only the dashboard reads this list: a failure here must not fail the job.
	await questionStats(env)
		.recordJob(jobId)
		.catch(() => undefined);
	return jobId;
}
