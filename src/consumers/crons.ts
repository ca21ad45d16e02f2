/**
 * The cron triggers (`scheduled`), dispatched on the cron expression like
 * queues are on their names. `wrangler dev` never fires them by itself:
 * `npm run dev` drives them on their schedule (scripts/dev.ts), and tests
 * call `scheduled` with `createScheduledController`.
 */
import { describeError } from "../shared/errors";
import { encodeSummarizeMessage, REGISTRY_SHARDS, registryShardNameAt } from "../shared/schemas/summary";
import { questionStats, summaryRegistry } from "../shared/stubs";
import { startWarmJob } from "../shared/warm-jobs";
import { evaluateAlerts } from "./evaluate-alerts";
import { sweepR2Cache } from "./sweep-r2";

export const CRONS = {
	/** Every minute: evaluate the alert rules. */
	evaluateAlerts: "* * * * *",
	/** Every 5 minutes: summarize the sessions that need it. */
	summarizeDue: "*/5 * * * *",
	/** Every hour: warm the 100 most asked first questions. */
	warmTopQuestions: "0 * * * *",
	/** Daily at 03:17 UTC (off the hour, away from the warming cron): delete expired cache objects from R2. */
	sweepR2Cache: "17 3 * * *",
} as const;

/** The most sessions one shard hands the cron per run; the rest wait five minutes. */
export const SUMMARIZE_PER_SHARD = 1000;

/** Queue `sendBatch` takes at most 100 messages per call. */
const SEND_BATCH = 100;

/** How many of the most asked questions the hourly cron warms. */
export const WARM_TOP_K = 100;

export async function runCron(controller: ScheduledController, env: Env): Promise<void> {
	switch (controller.cron) {
		case CRONS.evaluateAlerts:
			await evaluateAlerts(env, Date.now(), "");
			return;
		case CRONS.summarizeDue:
			await summarizeDue(env, Date.now());
			return;
		case CRONS.warmTopQuestions:
			return warmTopQuestions(env);
		case CRONS.sweepR2Cache:
			await sweepR2Cache(env.ARCHIVE, Date.now());
			return;
		default:
			// A trigger in wrangler.toml with no handler here is a deployment bug: fail loudly.
			throw new Error(`no handler for cron ${controller.cron}`);
	}
}

/**
 * Takes the due sessions from every registry shard (never a scan of all
 * sessions) and sends one summarize job each. Shards are read side by side;
 * one failing shard does not stop the others, and its sessions stay due.
 */
export async function summarizeDue(env: Env, now: number): Promise<number> {
	const shards = Array.from({ length: REGISTRY_SHARDS }, (_, shard) => summaryRegistry(env, registryShardNameAt(shard)));
	const taken = await Promise.allSettled(shards.map((registry) => registry.take({ now, limit: SUMMARIZE_PER_SHARD })));
	const sessionIds = taken.flatMap((result) => (result.status === "fulfilled" ? result.value : []));
	for (const failed of taken.filter((result) => result.status === "rejected")) {
		console.error(JSON.stringify({ event: "summary_registry_unreadable", error: describeError(failed.reason) }));
	}
	for (let i = 0; i < sessionIds.length; i += SEND_BATCH) {
		const chunk = sessionIds.slice(i, i + SEND_BATCH);
		await env.SUMMARIZE_QUEUE.sendBatch(
			chunk.map((sessionId) => ({ body: encodeSummarizeMessage(sessionId), contentType: "json" as const })),
		);
	}
	console.log(JSON.stringify({ event: "summarize_cron", sessions: sessionIds.length }));
	return sessionIds.length;
}

/**
 * Warms the most asked questions. `top` returns only questions at least
 * WARM_MIN_SESSIONS sessions asked (issue 17), so a quiet hour may have none:
 * then no job starts, rather than an empty one.
 */
async function warmTopQuestions(env: Env): Promise<void> {
	const stats = questionStats(env);
	const top = await stats.top(WARM_TOP_K);
	if (top.length === 0) {
		console.log(JSON.stringify({ event: "warm_cron_skipped", reason: "no question asked by enough sessions" }));
		return;
	}
	try {
		const jobId = await startWarmJob(
			env,
			top.map((q) => q.text),
		);
		await stats.setLastWarmJob(jobId);
		console.log(JSON.stringify({ event: "warm_cron_started", jobId, questions: top.length }));
	} catch (error) {
		console.error(JSON.stringify({ event: "warm_cron_failed", error: describeError(error) }));
		throw error;
	}
}
