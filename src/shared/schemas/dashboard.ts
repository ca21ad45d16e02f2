/**
 * The dashboard's data (GET /api/admin/metrics/series): chart-ready series
 * over the last hour, six hours or day, built from the rollups. One shape for
 * the route that builds it and the page that draws it (zod/mini, see
 * documented.ts); the query and the synthetic-history request are in http.ts.
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";
import { count } from "./scalars";

export const DASHBOARD_RANGES = { "1h": 60 * 60_000, "6h": 6 * 60 * 60_000, "24h": 24 * 60 * 60_000 } as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const DASHBOARD_RANGE_NAMES = ["1h", "6h", "24h"] as const satisfies readonly DashboardRange[];

const values = z.array(z.nullable(z.number()));

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
	alerts: z.array(z.object({ rule: z.string(), severity: z.string(), since: z.string(), summary: z.string() })),
	warmJobs: z.array(z.object({ jobId: z.string(), state: z.string(), total: z.number(), done: z.number(), failed: z.number() })),
});
export type DashboardData = z.infer<typeof dashboardDataSchema>;
export const dashboardDataDocs = {
	schema: dashboardDataSchema,
	id: "DashboardData",
	description:
		"Chart-ready series for the operators' dashboard: one value per step (null where there was nothing to measure), the firing alerts and the recent warming jobs.",
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
