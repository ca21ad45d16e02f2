/**
 * The dead-letter consumer for `chat-turns-dlq`: jobs that exhausted their
 * retries. Their messages still deserve an answer, so the hub commits a
 * visible `system` message with `status: "failed"` (once: messages already
 * answered are skipped).
 */
import { backoffSeconds, describeError } from "../shared/errors";
import { countDeadLetters } from "../shared/metrics/consumer";
import { MetricsRecorder } from "../shared/metrics/recorder";
import { decodeJob } from "../shared/schemas/queue";
import { sessionHub } from "../shared/stubs";

export async function consumeChatTurnDeadLetters(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	countDeadLetters(batch, metrics);
	await Promise.all(
		batch.messages.map(async (message) => {
			let job: ReturnType<typeof decodeJob>;
			try {
				job = decodeJob(message.body);
			} catch (error) {
				console.error(JSON.stringify({ event: "malformed_dead_letter", messageId: message.id, error: describeError(error) }));
				message.ack();
				return;
			}
			try {
				const hub = sessionHub(env, job.sessionId);
				const { failed } = await hub.failMessages({ messageIds: job.messageIds, reason: "retries exhausted" });
				console.warn(JSON.stringify({ event: "dead_letter", sessionId: job.sessionId, failed, traceId: job.traceId }));
				message.ack();
			} catch (error) {
				console.error(JSON.stringify({ event: "dead_letter_retry", error: describeError(error) }));
				message.retry({ delaySeconds: backoffSeconds(message.attempts) });
			}
		}),
	);
}
