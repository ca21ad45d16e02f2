/**
 * The dead-letter consumer for `chat-turns-dlq`: jobs that exhausted their
 * retries. Their messages still deserve an answer, so the hub commits a
 * visible `system` message with `status: "failed"` (once: messages already
 * answered are skipped).
 */
import { countDeadLetters } from "../shared/metrics/consumer";
import { MetricsRecorder } from "../shared/metrics/recorder";
import { decodeJob } from "../shared/schemas/queue";
import { sessionHub } from "../shared/stubs";
import { runJobs } from "./queue-runner";

export async function consumeChatTurnDeadLetters(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	countDeadLetters(batch, metrics);
	await runJobs(batch, decodeJob, {
		async handle(job) {
			const { failed } = await sessionHub(env, job.sessionId).failMessages({ messageIds: job.messageIds, reason: "retries exhausted" });
			console.warn(JSON.stringify({ event: "dead_letter", sessionId: job.sessionId, failed, traceId: job.traceId }));
		},
		// Answering visibly is the last thing left to do for these messages: keep trying.
		transient: () => true,
	});
}
