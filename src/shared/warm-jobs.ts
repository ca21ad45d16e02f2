/**
 * Starting a cache-warming job, for the admin route and the hourly cron:
 * the job is recorded in its own WarmJob object, then one `cache-warm`
 * message per question is sent in batches under both sendBatch limits.
 */
import { newId } from "./ids";
import { encodeWarmMessage } from "./schemas/warm";

/** Queues.sendBatch takes at most 100 messages and 256 KB per call; stay under both. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200 * 1024;

/** The name of the one QuestionStats object. */
export const QUESTION_STATS_NAME = "top-questions";

/**
 * @example const jobId = await startWarmJob(env, ["How do I reset my password?"]);
 */
export async function startWarmJob(env: Env, questions: string[]): Promise<string> {
	const jobId = newId("job");
	const job = env.WARM_JOB.get(env.WARM_JOB.idFromName(jobId));
	await job.create({ jobId, total: questions.length });
	try {
		const bodies = questions.map((question, index) => encodeWarmMessage({ type: "cache.warm", v: 1, jobId, index, question }));
		for (const batch of batches(bodies)) {
			await env.CACHE_WARM_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
		}
	} catch (error) {
		// Whatever was queued still runs; the job says it could not all be sent.
		await job.sendFailed();
		throw error;
	}
	return jobId;
}

/** Groups encoded messages under both sendBatch limits. */
export function batches(bodies: string[]): string[][] {
	const out: string[][] = [];
	let current: string[] = [];
	let bytes = 0;
	for (const body of bodies) {
		const size = new TextEncoder().encode(body).byteLength + 100;
		if (current.length === BATCH_MESSAGES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
			out.push(current);
			current = [];
			bytes = 0;
		}
		current.push(body);
		bytes += size;
	}
	if (current.length > 0) out.push(current);
	return out;
}
