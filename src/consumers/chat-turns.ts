/**
 * The inference consumer for the `chat-turns` queue. Groups the batch by
 * session, opens one turn per session for all of its waiting messages, and
 * answers it. Delivery is at least once; the hub's turn bookkeeping makes the
 * answer effectively once: a job whose messages are answered or owned by a
 * live turn is acked without calling the model.
 */
import { backoffSeconds, describeError, isTransient, TransientError } from "../shared/errors";
import { KNOWLEDGE_BASE_NAME } from "../shared/schemas/kb";
import { type ChatTurnJob, decodeJob } from "../shared/schemas/queue";
import { answerTurn } from "./answer-turn";
import { turnProvider } from "./turn-provider";

type Delivery = { message: Message<unknown>; job: ChatTurnJob };

export async function consumeChatTurns(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const bySession = new Map<string, Delivery[]>();
	for (const message of batch.messages) {
		let job: ChatTurnJob;
		try {
			job = decodeJob(message.body);
		} catch (error) {
			// A body that does not parse never will: record it and drop it instead of retrying forever.
			console.error(JSON.stringify({ event: "malformed_job", queue: batch.queue, messageId: message.id, error: describeError(error) }));
			message.ack();
			continue;
		}
		const group = bySession.get(job.sessionId) ?? [];
		group.push({ message, job });
		bySession.set(job.sessionId, group);
	}
	// Sessions are independent; answer them side by side.
	await Promise.all([...bySession].map(([sessionId, deliveries]) => runSession(sessionId, deliveries, env)));
}

async function runSession(sessionId: string, deliveries: Delivery[], env: Env): Promise<void> {
	const messageIds = [...new Set(deliveries.flatMap((d) => d.job.messageIds))];
	const hub = env.SESSION_HUB.get(env.SESSION_HUB.idFromName(sessionId));
	let turnId: string | undefined;
	try {
		const provider = turnProvider(env);
		const begin = await hub.beginTurn({ messageIds });
		if (begin.kind === "started") {
			turnId = begin.turnId;
			const kb = env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName(KNOWLEDGE_BASE_NAME));
			await answerTurn(begin, {
				hub,
				retrieve: (query, limit) => kb.retrieve(query, limit),
				provider,
			});
		} else if (begin.kind === "not_found") {
			console.error(JSON.stringify({ event: "job_for_unknown_session", sessionId }));
		}
		for (const d of deliveries) d.message.ack();
	} catch (error) {
		if (turnId) await hub.abandonTurn(turnId).catch(() => undefined);
		if (isTransient(error)) {
			for (const d of deliveries) d.message.retry({ delaySeconds: retryDelay(error, d.message.attempts) });
			console.warn(JSON.stringify({ event: "turn_retry", sessionId, error: describeError(error) }));
			return;
		}
		// Retrying cannot help (a refused request, a bug): answer visibly now rather than after every retry.
		console.error(JSON.stringify({ event: "turn_permanent_failure", sessionId, error: describeError(error) }));
		try {
			await hub.failMessages({ messageIds, reason: "permanent error" });
			for (const d of deliveries) d.message.ack();
		} catch {
			for (const d of deliveries) d.message.retry({ delaySeconds: backoffSeconds(d.message.attempts) });
		}
	}
}

function retryDelay(error: unknown, attempts: number): number {
	const hinted = error instanceof TransientError ? error.retryAfterSeconds : undefined;
	return Math.max(hinted ?? 0, backoffSeconds(attempts));
}
