/**
 * The `summarize` consumer: for each session the cron found, asks its hub
 * for the messages after the previous summary, has the AI provider write the
 * new running summary (previous summary + new messages), and stores it in
 * the hub with the seq it runs through. Idempotent end to end: the hub keeps
 * only a newer summary, and the summary is cached (kind `summary`, 2 h)
 * before it is stored, so a job retried after the model answered does not
 * ask the model again.
 */
import { z } from "zod";
import { turnProvider } from "../shared/ai/turn-provider";
import { createCache } from "../shared/cache";
import { countDeadLetters } from "../shared/metrics/consumer";
import { MetricsRecorder } from "../shared/metrics/recorder";
import { decodeSummarizeMessage, encodeSummarizeMessage } from "../shared/schemas/summary";
import { sessionHub } from "../shared/stubs";
import { type CachedSummary, summaryCacheKey } from "../shared/summary/cached";
import { summarize } from "../shared/summary/summarize";
import { runJobs } from "./queue-runner";

export async function consumeSummarize(batch: MessageBatch<unknown>, env: Env, metrics = new MetricsRecorder()): Promise<void> {
	await runJobs(batch, decodeSummarizeMessage, {
		async handle(job) {
			const outcome = await summarizeSession(env, job.sessionId);
			console.log(JSON.stringify({ event: "summarize_job", sessionId: job.sessionId, ...outcome }));
			metrics.count("summaries_total", { result: outcome.result });
			if ("ms" in outcome) metrics.observe("chat_summarize_seconds", {}, outcome.ms / 1000);
			// A backlog longer than one job: the next job now, not at the next cron run.
			if ("more" in outcome && outcome.more) await env.SUMMARIZE_QUEUE.send(encodeSummarizeMessage(job.sessionId), { contentType: "json" });
		},
		// A permanent failure: the registry offers the session again later, a bounded number of times.
		failed: async () => metrics.count("summaries_total", { result: "failed" }),
	});
}

export type SummarizeOutcome =
	| { result: "gone" | "not_due" }
	| { result: "stored" | "stale"; throughSeq: number; messages: number; fromCache: boolean; more: boolean; ms: number };

/**
 * Brings one session's summary up to date (up to SUMMARY_POLICY.messagesPerJob
 * messages at a time).
 * @example await summarizeSession(env, "ses_123") // { result: "stored", throughSeq: 40, ... }
 */
export async function summarizeSession(env: Env, sessionId: string): Promise<SummarizeOutcome> {
	const started = Date.now();
	const hub = sessionHub(env, sessionId);
	const work = await hub.summaryWork();
	if (work.kind !== "work") return { result: work.kind };
	const last = work.messages.at(-1);
	if (!last) return { result: "not_due" };
	const throughSeq = last.seq;
	const cache = createCache(env);
	const key = await summaryCacheKey(sessionId);
	const cached = readCached(await cache.get(key, "summary"), throughSeq);
	const text = cached ?? (await summarize(turnProvider(env), { previous: work.previous, messages: work.messages }));
	if (cached === undefined) await cache.set(key, "summary", JSON.stringify({ text, throughSeq } satisfies CachedSummary));
	const { stored, gone, more } = await hub.storeSummary({ text, throughSeq });
	// Erased while the model was writing: the copy just cached must not outlive the session.
	if (gone) await cache.delete(key);
	const ms = Date.now() - started;
	return { result: stored ? "stored" : "stale", throughSeq, messages: work.messages.length, fromCache: cached !== undefined, more, ms };
}

const cachedSummarySchema = z.object({ text: z.string().min(1), throughSeq: z.number().int() });

/** The cached summary's text when it runs through exactly `throughSeq`. */
function readCached(raw: string | undefined, throughSeq: number): string | undefined {
	if (!raw) return undefined;
	try {
		const cached = cachedSummarySchema.safeParse(JSON.parse(raw));
		return cached.success && cached.data.throughSeq === throughSeq ? cached.data.text : undefined;
	} catch {
		return undefined;
	}
}

/** `summarize-dlq`: a job out of retries. The registry offers the session again; this only makes it visible. */
export async function consumeSummarizeDeadLetters(batch: MessageBatch<unknown>, metrics = new MetricsRecorder()): Promise<void> {
	countDeadLetters(batch, metrics);
	for (const message of batch.messages) {
		console.error(JSON.stringify({ event: "summarize_dead_letter", messageId: message.id, attempts: message.attempts }));
		message.ack();
	}
}
