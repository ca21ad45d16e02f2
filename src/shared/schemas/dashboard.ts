/**
 * The dashboard's data (GET /api/admin/metrics/series): chart-ready series
 * over the last hour, six hours or day, built from the rollups. One shape for
 * the route that builds it and the page that draws it (zod/mini, see
 * documented.ts); the query and the synthetic-history request are in http.ts.
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";
import { count } from "./scalars";
import { HANDOFF_REASONS } from "./wire";

export const DASHBOARD_RANGES = { "1h": 60 * 60_000, "6h": 6 * 60 * 60_000, "24h": 24 * 60 * 60_000 } as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const DASHBOARD_RANGE_NAMES = ["1h", "6h", "24h"] as const satisfies readonly DashboardRange[];

/** One value per step; null where there was nothing to measure (no turns, no lookups, no observations). */
const values = z.array(z.nullable(z.number()));
/** Events per step: whole, and 0 (never null) in a step without any. */
const counts = z.array(count);

export const dashboardDataSchema = z.object({
	range: z.enum(DASHBOARD_RANGE_NAMES),
	stepSeconds: z.number(),
	/** Step starts, in seconds since the epoch (uPlot's x values). */
	times: z.array(z.number()),
	latency: z.array(
		z.object({ id: z.string(), label: z.string(), sloSeconds: z.nullable(z.number()), p50: values, p95: values, p99: values }),
	),
	/** Per minute. */
	throughput: z.object({ accepted: values, turns: values }),
	/** Failed share of turns per step. */
	errorRate: values,
	/** Share of answer lookups that hit, overall and at each level. */
	cacheHitRate: z.object({ overall: values, memory: values, kv: values, r2: values }),
	/** Estimated model spend in dollars per hour, per model (chat_ai_cost_dollars_total), most expensive first. */
	spend: z.array(z.object({ model: z.string(), dollarsPerHour: values })),
	/** Conversations' outcomes counted per step (chat_conversation_outcomes_total), the assistant's split by basis. */
	outcomes: z.object({
		/** Share of the step's outcomes that are bot_resolved, either basis. */
		botResolvedRate: values,
		botConfirmed: counts,
		botAssumed: counts,
		agentResolved: counts,
		abandoned: counts,
	}),
	/** Conversations handed to people per step (chat_handoffs_total), one entry per reason in the contract's order. */
	handoffs: z.array(z.object({ reason: z.enum(HANDOFF_REASONS), counts })),
	/** Escalated to the first agent message (chat_handoff_wait_seconds), in seconds, against its objective. */
	handoffWait: z.object({ sloSeconds: z.number(), p50: values, p95: values }),
	/** Back-office tool calls per step (chat_tool_calls_total, CONTRACT §8), by how they ended. */
	toolCalls: z.object({ done: counts, failed: counts, declined: counts, cancelled: counts }),
	/** Feedback received per step (chat_feedback_total). */
	feedback: z.object({
		/** Conversation ratings (1 to 5). */
		ratings: counts,
		/** Share of those rated 4 or 5 (CSAT). */
		satisfiedRate: values,
		/** Assistant answers marked helpful, and unhelpful. */
		helpful: counts,
		unhelpful: counts,
	}),
	alerts: z.array(z.object({ rule: z.string(), severity: z.string(), since: z.string(), summary: z.string() })),
	warmJobs: z.array(z.object({ jobId: z.string(), state: z.string(), total: z.number(), done: z.number(), failed: z.number() })),
});
export type DashboardData = z.infer<typeof dashboardDataSchema>;
export const dashboardDataDocs = {
	schema: dashboardDataSchema,
	id: "DashboardData",
	description:
		"Chart-ready series for the operators' dashboard: one value per step (null where there was nothing to measure), the firing alerts and the recent warming jobs.",
	fields: {
		stepSeconds: "The length of one step: 60, 300 or 1200 s for 1h, 6h and 24h.",
		times: "Step starts in seconds since the epoch; every series has one value per step, in this order.",
		latency: "p50, p95 and p99 per step of each latency histogram, in seconds, with its objective (null without one).",
		throughput: "User messages accepted and turns committed, per minute.",
		errorRate: "Share (0 to 1) of the step's turns that failed.",
		cacheHitRate: "Share (0 to 1) of answer-cache lookups that hit, overall and at each level.",
		spend: "Estimated model spend in dollars per hour, per model, the biggest spender first.",
		outcomes:
			"Conversation outcomes counted in each step (chat_conversation_outcomes_total): the share (0 to 1) that are bot_resolved, and the counts by outcome, bot_resolved split into confirmed and assumed.",
		handoffs:
			"Conversations handed to people in each step (chat_handoffs_total), one entry per reason (user_request, bot_declined, negative_feedback, other).",
		handoffWait:
			"Wait for a person (chat_handoff_wait_seconds, escalated to first agent message): p50 and p95 per step in seconds, and the 300 s objective.",
		feedback:
			"Feedback received in each step (chat_feedback_total): conversation ratings and the share (0 to 1) of them rated 4 or 5, and answers marked helpful and unhelpful.",
		toolCalls:
			"Signed-in users' back-office tool calls in each step (chat_tool_calls_total), by how they ended: done, failed (the back office refused or could not be reached, or the model's call was invalid), declined by the user, cancelled (no answer in time).",
		alerts: "The alerts firing now.",
		warmJobs: "The most recent cache-warming jobs.",
	},
} satisfies Documented<typeof dashboardDataSchema>;

export const syntheticHistorySchema = z.object({ batches: count, minutes: count, hours: count });
export type SyntheticHistory = z.infer<typeof syntheticHistorySchema>;
export const syntheticHistoryDocs = {
	schema: syntheticHistorySchema,
	id: "SyntheticHistory",
	description: "What the metrics stores hold after the synthesis.",
	examples: [{ batches: 3600, minutes: 86400, hours: 20160 }],
	fields: {
		batches: "Metric batches ingested, per shard.",
		minutes: "Minute rollups held afterwards, summed over shards.",
		hours: "Hourly rollups held afterwards, summed over shards.",
	},
} satisfies Documented<typeof syntheticHistorySchema>;
