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
import { countDeadLetters } from "../shared/metrics/consumer";
import { MetricsRecorder } from "../shared/metrics/recorder";
import { decodeWarmMessage, type WarmMessage, type WarmOutcome } from "../shared/schemas/warm";
import { knowledgeBase, warmJob } from "../shared/stubs";
import { answerKeyParts } from "../shared/turn/answer-cache";
import { answerCacheFor } from "../shared/turn/answer-store";
import { answerQuestion, DISCARD, SOURCES_PER_TURN } from "../shared/turn/answer-turn";
import { cachedKnowledge } from "../shared/turn/kb-search-store";
import { runJobs } from "./queue-runner";

export async function consumeCacheWarm(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	await runJobs(batch, decodeWarmMessage, {
		handle: async (job) => report(env, job, await warm(job.question, env), metrics),
		failed: (job) => report(env, job, "failed", metrics),
	});
}

/**
 * Answers one question into the cache, from its canonical form, exactly as a
 * context-free chat turn would; `skipped` when it was already there, or when
 * there is nothing shareable to store (no article matches it).
 */
export async function warm(question: string, env: Env): Promise<WarmOutcome> {
	const canonical = normalizeQuestion(question);
	if (canonical === "") return "skipped";
	// Warming spends the same per-minute budget as chat turns, so it waits in the same line (turnProvider's gate).
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
	// A report that fails here is logged and dropped: the job's alarm sends the question again.
	await runJobs(batch, decodeWarmMessage, { handle: (job) => report(env, job, "failed", metrics), transient: () => false });
}
