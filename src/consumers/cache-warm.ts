/**
 * The `cache-warm` consumer: answers each question's canonical form exactly
 * as a chat turn would (retrieval, provider, sanitizer, citations) and writes the answer
 * cache, then reports the question's outcome to its job. A question already
 * warm for the current knowledge-base version is `skipped`. Progress is
 * reported once per question (WarmJob ignores repeats), so a redelivery or a
 * crash mid-job never double-counts.
 */
import { turnProvider } from "../shared/ai/turn-provider";
import { normalizeQuestion } from "../shared/cache";
import { backoffSeconds, describeError, isTransient } from "../shared/errors";
import { countDeadLetters } from "../shared/metrics/consumer";
import { MetricsRecorder } from "../shared/metrics/recorder";
import { decodeWarmMessage, type WarmMessage, type WarmOutcome } from "../shared/schemas/warm";
import { knowledgeBase, warmJob } from "../shared/stubs";
import { answerKeyParts } from "../shared/turn/answer-cache";
import { answerCacheFor } from "../shared/turn/answer-store";
import { answerQuestion, DISCARD, SOURCES_PER_TURN } from "../shared/turn/answer-turn";
import { cachedKnowledge } from "../shared/turn/kb-search-store";

export async function consumeCacheWarm(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	// A batch's questions side by side (max_batch_size bounds them): a model's time is mostly waiting.
	const queue = [...batch.messages];
	const workers = Array.from({ length: batch.messages.length }, async () => {
		for (let message = queue.shift(); message; message = queue.shift()) await warmOne(message, env, metrics);
	});
	await Promise.all(workers);
}

async function warmOne(message: Message<unknown>, env: Env, metrics: MetricsRecorder): Promise<void> {
	let job: WarmMessage;
	try {
		job = decodeWarmMessage(message.body);
	} catch (error) {
		console.error(JSON.stringify({ event: "malformed_warm_message", messageId: message.id, error: describeError(error) }));
		message.ack();
		return;
	}
	try {
		const outcome = await warm(job.question, env);
		await report(env, job, outcome, metrics);
		message.ack();
	} catch (error) {
		if (isTransient(error)) {
			message.retry({ delaySeconds: backoffSeconds(message.attempts) });
			return;
		}
		console.warn(JSON.stringify({ event: "warm_failed", jobId: job.jobId, index: job.index, error: describeError(error) }));
		await report(env, job, "failed", metrics).catch(() => undefined);
		message.ack();
	}
}

/**
 * Answers one question into the cache, from its canonical form, exactly as a
 * context-free chat turn would; `skipped` when it was already there, or when
 * there is nothing shareable to store (no article matches it).
 */
export async function warm(question: string, env: Env): Promise<WarmOutcome> {
	const canonical = normalizeQuestion(question);
	if (canonical === "") return "skipped";
	const provider = turnProvider(env);
	const knowledge = cachedKnowledge(knowledgeBase(env), env);
	const version = await knowledge.version();
	const answers = answerCacheFor(env);
	const key = await answers.key(answerKeyParts(canonical, version, provider));
	const { stored } = await answers.share(key, async () => {
		const sources = await knowledge.search(canonical, SOURCES_PER_TURN, version);
		const computed = await answerQuestion(canonical, sources, provider, DISCARD);
		if (!computed) throw new Error("a discarding sink is never superseded");
		return computed;
	});
	return stored ? "warmed" : "skipped";
}

/** Reports a question's outcome to its job; counted only the first time, as the job records it. */
async function report(env: Env, job: WarmMessage, outcome: WarmOutcome, metrics: MetricsRecorder): Promise<void> {
	const recorded = await warmJob(env, job.jobId).report({ index: job.index, outcome });
	if (recorded) metrics.count("cache_warm_questions_total", { result: outcome });
}

/** `cache-warm-dlq`: a question out of retries counts as failed, once. */
export async function consumeCacheWarmDeadLetters(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	countDeadLetters(batch, metrics);
	for (const message of batch.messages) {
		try {
			await report(env, decodeWarmMessage(message.body), "failed", metrics);
		} catch (error) {
			console.error(JSON.stringify({ event: "warm_dead_letter_unreported", error: describeError(error) }));
		}
		message.ack();
	}
}
