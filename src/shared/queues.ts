/**
 * Every queue's name, as wrangler.toml binds it: one table, so a consumer,
 * its producer, its tests and `src/index.ts`'s dispatch cannot disagree about
 * a name. Wire names never change in place (STYLE rule 2).
 */
export const QUEUE_NAMES = {
	chatTurns: "chat-turns",
	chatTurnsDlq: "chat-turns-dlq",
	cacheWarm: "cache-warm",
	cacheWarmDlq: "cache-warm-dlq",
	summarize: "summarize",
	summarizeDlq: "summarize-dlq",
	metrics: "metrics",
	metricsDlq: "metrics-dlq",
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

const NAMES: ReadonlySet<string> = new Set(Object.values(QUEUE_NAMES));

/**
 * Whether a batch's queue is one this Worker consumes.
 * @example isQueueName(batch.queue) // true for "chat-turns"
 */
export function isQueueName(name: string): name is QueueName {
	return NAMES.has(name);
}
