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
import { withBatchMetrics } from "./shared/metrics/consumer";
import { isQueueName, QUEUE_NAMES, type QueueName } from "./shared/queues";

export { AdmissionGate } from "./durable/admission-gate/admission-gate";
export { AlertState } from "./durable/alert-state/alert-state";
export { FaultSwitch } from "./durable/fault-switch/fault-switch";
export { KnowledgeBase } from "./durable/knowledge-base/knowledge-base";
export { MetricsStore } from "./durable/metrics-store/metrics-store";
export { QuestionStats } from "./durable/question-stats/question-stats";
export { SessionHub } from "./durable/session-hub/session-hub";
export { SummaryRegistry } from "./durable/summary-registry/summary-registry";
export { SupportDesk } from "./durable/support-desk/support-desk";
export { UserDirectory } from "./durable/user-directory/user-directory";
export { WarmJob } from "./durable/warm-job/warm-job";

type Consumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/** Which consumer drains each queue: the one table `queue` dispatches from. */
const CONSUMERS = {
	// The metrics queues ship nothing of their own: each invocation would feed the queue it drains.
	[QUEUE_NAMES.metrics]: (batch, env) => consumeMetrics(batch, env),
	[QUEUE_NAMES.metricsDlq]: (batch, env) => consumeMetricsDeadLetters(batch, env),
	[QUEUE_NAMES.chatTurns]: (batch, env, ctx) => withBatchMetrics(batch, env, ctx, (metrics) => consumeChatTurns(batch, env, metrics)),
	[QUEUE_NAMES.chatTurnsDlq]: (batch, env, ctx) =>
		withBatchMetrics(batch, env, ctx, (metrics) => consumeChatTurnDeadLetters(batch, env, metrics)),
	[QUEUE_NAMES.cacheWarm]: (batch, env, ctx) => withBatchMetrics(batch, env, ctx, (metrics) => consumeCacheWarm(batch, env, metrics)),
	[QUEUE_NAMES.cacheWarmDlq]: (batch, env, ctx) =>
		withBatchMetrics(batch, env, ctx, (metrics) => consumeCacheWarmDeadLetters(batch, env, metrics)),
	[QUEUE_NAMES.summarize]: (batch, env, ctx) => withBatchMetrics(batch, env, ctx, (metrics) => consumeSummarize(batch, env, metrics)),
	[QUEUE_NAMES.summarizeDlq]: (batch, env, ctx) =>
		withBatchMetrics(batch, env, ctx, async (metrics) => consumeSummarizeDeadLetters(batch, metrics)),
} satisfies Record<QueueName, Consumer>;

export default {
	fetch: app.fetch,
	async queue(batch, env, ctx) {
		// A queue bound in wrangler.toml without a consumer here is a deployment bug: fail loudly.
		if (!isQueueName(batch.queue)) throw new Error(`no consumer for queue ${batch.queue}`);
		await CONSUMERS[batch.queue](batch, env, ctx);
	},
	async scheduled(controller, env) {
		await runCron(controller, env);
	},
} satisfies ExportedHandler<Env>;
