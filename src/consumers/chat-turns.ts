/**
 * The inference consumer for the `chat-turns` queue. Groups the batch by
 * session and has each session's hub open one turn for all of its waiting
 * messages; the hub then streams the reply itself (durable/turn-runner.ts),
 * so the batch is done in milliseconds, not when its slowest reply ends.
 * Delivery is at least once; the hub's turn bookkeeping makes the answer
 * effectively once: a job whose messages are answered or owned by a live
 * turn is acked without calling the model.
 */
import { backoffSeconds, describeError } from "../shared/errors";
import { MetricsRecorder } from "../shared/metrics/recorder";
import { type ChatTurnJob, decodeJob } from "../shared/schemas/queue";
import { sessionHub } from "../shared/stubs";
import { type Delivery, decodeEach } from "./queue-runner";

export async function consumeChatTurns(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	const bySession = new Map<string, Delivery<ChatTurnJob>[]>();
	for (const delivery of decodeEach(batch, decodeJob)) {
		const group = bySession.get(delivery.job.sessionId) ?? [];
		group.push(delivery);
		bySession.set(delivery.job.sessionId, group);
	}
	// Sessions are independent; open their turns side by side.
	await Promise.all([...bySession].map(([sessionId, deliveries]) => runSession(sessionId, deliveries, env, metrics)));
}

async function runSession(sessionId: string, deliveries: Delivery<ChatTurnJob>[], env: Env, metrics: MetricsRecorder): Promise<void> {
	const messageIds = [...new Set(deliveries.flatMap((d) => d.job.messageIds))];
	// A job redelivered by the queue is a further attempt at the same messages.
	const attempt = Math.max(...deliveries.map((d) => d.job.attempt + d.message.attempts - 1));
	const hub = sessionHub(env, sessionId);
	try {
		const result = await metrics.timeOperation("hub.runTurn", hub.runTurn({ messageIds, attempt }));
		if (result.kind === "not_found") console.error(JSON.stringify({ event: "job_for_unknown_session", sessionId }));
		// Started (the hub streams it), answered, or owned by a live turn whose end sends the rest: done here.
		for (const d of deliveries) d.message.ack();
	} catch (error) {
		// The hub could not take the turn (reset, overloaded): the queue retries the delivery, then dead-letters it.
		console.warn(JSON.stringify({ event: "turn_not_started", sessionId, error: describeError(error) }));
		for (const d of deliveries) d.message.retry({ delaySeconds: backoffSeconds(d.message.attempts) });
	}
}
