/**
 * The composition root: one Worker exporting the ingress (`fetch`), the queue
 * consumers (`queue`, dispatched on the queue's name), and the Durable Object
 * classes. Nothing else imports across `ingress`, `consumers` and `durable`.
 */
import { consumeCacheWarm, consumeCacheWarmDeadLetters } from "./consumers/cache-warm";
import { consumeChatTurns } from "./consumers/chat-turns";
import { consumeChatTurnDeadLetters } from "./consumers/chat-turns-dlq";
import { runCron } from "./consumers/crons";
import { consumeSummarize, consumeSummarizeDeadLetters } from "./consumers/summarize";
import { app } from "./ingress/app";
import { QUEUES } from "./shared/schemas/queue";
import { SUMMARY_QUEUES } from "./shared/schemas/summary";
import { WARM_QUEUES } from "./shared/schemas/warm";

export { FaultSwitch } from "./durable/fault-switch";
export { KnowledgeBase } from "./durable/knowledge-base";
export { QuestionStats } from "./durable/question-stats";
export { SessionHub } from "./durable/session-hub";
export { SummaryRegistry } from "./durable/summary-registry";
export { WarmJob } from "./durable/warm-job";

export default {
	fetch: app.fetch,
	async queue(batch, env) {
		switch (batch.queue) {
			case QUEUES.chatTurns:
				return consumeChatTurns(batch, env);
			case QUEUES.chatTurnsDlq:
				return consumeChatTurnDeadLetters(batch, env);
			case WARM_QUEUES.cacheWarm:
				return consumeCacheWarm(batch, env);
			case WARM_QUEUES.cacheWarmDlq:
				return consumeCacheWarmDeadLetters(batch, env);
			case SUMMARY_QUEUES.summarize:
				return consumeSummarize(batch, env);
			case SUMMARY_QUEUES.summarizeDlq:
				return consumeSummarizeDeadLetters(batch);
			default:
				// A queue bound in wrangler.toml without a consumer here is a deployment bug: fail loudly.
				throw new Error(`no consumer for queue ${batch.queue}`);
		}
	},
	async scheduled(controller, env) {
		await runCron(controller, env);
	},
} satisfies ExportedHandler<Env>;
