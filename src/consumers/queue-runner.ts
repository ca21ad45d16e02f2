/**
 * The one loop every queue consumer runs: decode each message's body (a body
 * that does not parse never will, so it is logged and acked), handle the job,
 * ack it; a transient failure is retried with jittered backoff, a permanent
 * one is logged, reported to the consumer, and acked. Consumers write only
 * what differs: how to decode, how to handle, what a permanent failure means.
 */
import { backoffSeconds, describeError, isTransient } from "../shared/errors";

/** A message and the job its body decoded to. */
export interface Delivery<Job> {
	message: Message<unknown>;
	job: Job;
}

/**
 * The batch's messages whose bodies decode; the others are logged and acked.
 * @example const deliveries = decodeEach(batch, decodeJob);
 */
export function decodeEach<Job>(batch: MessageBatch<unknown>, decode: (body: unknown) => Job): Delivery<Job>[] {
	return batch.messages.flatMap((message) => {
		try {
			return [{ message, job: decode(message.body) }];
		} catch (error) {
			console.error(JSON.stringify({ event: "malformed_message", queue: batch.queue, messageId: message.id, error: describeError(error) }));
			message.ack();
			return [];
		}
	});
}

export interface JobHandler<Job> {
	handle(job: Job, message: Message<unknown>): Promise<void>;
	/** Whether a failure may pass on a later attempt; default `isTransient`. */
	transient?: (error: unknown) => boolean;
	/** What a permanent failure means for the job (say, recording it as failed); it is acked after. */
	failed?: (job: Job, error: unknown) => Promise<void>;
}

/**
 * Decodes and handles every message of the batch side by side (a job's time
 * is mostly waiting on a model or an object), acking or retrying each.
 * @example await runJobs(batch, decodeWarmMessage, { handle: (job) => warmOne(job, env) });
 */
export async function runJobs<Job>(batch: MessageBatch<unknown>, decode: (body: unknown) => Job, handler: JobHandler<Job>): Promise<void> {
	await Promise.all(decodeEach(batch, decode).map((delivery) => runJob(batch.queue, delivery, handler)));
}

async function runJob<Job>(queue: string, { message, job }: Delivery<Job>, handler: JobHandler<Job>): Promise<void> {
	try {
		await handler.handle(job, message);
		message.ack();
	} catch (error) {
		if ((handler.transient ?? isTransient)(error)) {
			message.retry({ delaySeconds: backoffSeconds(message.attempts) });
			return;
		}
		console.error(JSON.stringify({ event: "job_failed", queue, messageId: message.id, error: describeError(error) }));
		await handler.failed?.(job, error).catch((reporting: unknown) => {
			console.error(JSON.stringify({ event: "job_failure_unreported", queue, messageId: message.id, error: describeError(reporting) }));
		});
		message.ack();
	}
}
