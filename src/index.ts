/**
 * The composition root: one Worker exporting the ingress (`fetch`), the queue
 * consumers (`queue`, dispatched on the queue's name), and the Durable Object
 * classes. Nothing else imports across `ingress`, `consumers` and `durable`.
 */
import { consumeCacheWarm, consumeCacheWarmDeadLetters } from "./consumers/cache-warm";
import { consumeChatTurns } from "./consumers/chat-turns";
import { consumeChatTurnDeadLetters } from "./consumers/chat-turns-dlq";
import { runCron } from "./consumers/crons";
import { consumeMetrics, consumeMetricsDeadLetters } from "./consumers/metrics";
import { consumeSummarize, consumeSummarizeDeadLetters } from "./consumers/summarize";
import { app } from "./ingress/app";
import { METRICS_QUEUES } from "./shared/metrics/batch";
import { withBatchMetrics } from "./shared/metrics/consumer";
import { QUEUES } from "./shared/schemas/queue";
import { SUMMARY_QUEUES } from "./shared/schemas/summary";
import { WARM_QUEUES } from "./shared/schemas/warm";

export { AlertState } from "./durable/alert-state";
export { FaultSwitch } from "./durable/fault-switch";
export { KnowledgeBase } from "./durable/knowledge-base";
export { MetricsStore } from "./durable/metrics-store";
export { QuestionStats } from "./durable/question-stats";
export { SessionHub } from "./durable/session-hub";
export { SummaryRegistry } from "./durable/summary-registry";
export { WarmJob } from "./durable/warm-job";

export default {
	fetch: app.fetch,
	async queue(batch, env, ctx) {
		switch (batch.queue) {
			// The metrics queue ships nothing of its own: each invocation would feed the queue it drains.
			case METRICS_QUEUES.metrics:
				return consumeMetrics(batch, env);
			case METRICS_QUEUES.metricsDlq:
				return consumeMetricsDeadLetters(batch, env);
			case QUEUES.chatTurns:
				return withBatchMetrics(batch, env, ctx, (metrics) => consumeChatTurns(batch, env, metrics));
			case QUEUES.chatTurnsDlq:
				return withBatchMetrics(batch, env, ctx, (metrics) => consumeChatTurnDeadLetters(batch, env, metrics));
			case WARM_QUEUES.cacheWarm:
				return withBatchMetrics(batch, env, ctx, (metrics) => consumeCacheWarm(batch, env, metrics));
			case WARM_QUEUES.cacheWarmDlq:
				return withBatchMetrics(batch, env, ctx, (metrics) => consumeCacheWarmDeadLetters(batch, env, metrics));
			case SUMMARY_QUEUES.summarize:
				return withBatchMetrics(batch, env, ctx, (metrics) => consumeSummarize(batch, env, metrics));
			case SUMMARY_QUEUES.summarizeDlq:
				return withBatchMetrics(batch, env, ctx, async (metrics) => consumeSummarizeDeadLetters(batch, metrics));
			default:
				// A queue bound in wrangler.toml without a consumer here is a deployment bug: fail loudly.
				throw new Error(`no consumer for queue ${batch.queue}`);
		}
	},
	async scheduled(controller, env) {
		await runCron(controller, env);
	},
} satisfies ExportedHandler<Env>;
