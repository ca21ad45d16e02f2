/**
 * The dashboard's data (GET /api/admin/metrics/series): chart-ready series
 * over the last hour, six hours or day, built from the rollups. One shape for
 * the route that builds it and the page that draws it.
 */
import { z } from "zod";
import { documented } from "./documented";

export const DASHBOARD_RANGES = { "1h": 60 * 60_000, "6h": 6 * 60 * 60_000, "24h": 24 * 60 * 60_000 } as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const dashboardQuerySchema = z
	.object({ range: z.enum(["1h", "6h", "24h"]).default("1h").describe("How far back the series go.") })
	.strict();

const values = z.array(z.number().nullable());

export const dashboardDataSchema = documented(
	z.object({
		range: z.enum(["1h", "6h", "24h"]),
		stepSeconds: z.number(),
		/** Step starts, in seconds since the epoch (uPlot's x values). */
		times: z.array(z.number()),
		latency: z.array(
			z.object({ id: z.string(), label: z.string(), sloSeconds: z.number().nullable(), p50: values, p95: values, p99: values }),
		),
		/** Per minute. */
		throughput: z.object({ accepted: values, turns: values }),
		/** Failed share of turns per step. */
		errorRate: values,
		/** Share of answer lookups that hit, overall and at each level. */
		cacheHitRate: z.object({ overall: values, memory: values, kv: values, r2: values }),
		alerts: z.array(z.object({ rule: z.string(), severity: z.string(), since: z.string(), summary: z.string() })),
		warmJobs: z.array(z.object({ jobId: z.string(), state: z.string(), total: z.number(), done: z.number(), failed: z.number() })),
	}),
	{
		id: "DashboardData",
		description:
			"Chart-ready series for the operators' dashboard: one value per step (null where there was nothing to measure), the firing alerts and the recent warming jobs.",
	},
);
export type DashboardData = z.infer<typeof dashboardDataSchema>;

/** POST /api/admin/metrics/synthetic (development only): history to synthesize for the bench's scrape measurement. */
export const syntheticHistoryInputSchema = documented(
	z.object({ days: z.number().int().min(3).max(30).describe("Days of history: minutes for the last 48 h, hours before.") }).strict(),
	{ id: "SyntheticHistoryInput", description: "How much metrics history to synthesize.", examples: [{ days: 30 }] },
);

export const syntheticHistorySchema = documented(
	z.object({
		batches: z.number().int().describe("Metric batches ingested, per shard."),
		minutes: z.number().int().describe("Minute rollups held afterwards, summed over shards."),
		hours: z.number().int().describe("Hourly rollups held afterwards, summed over shards."),
	}),
	{
		id: "SyntheticHistory",
		description: "What the metrics stores hold after the synthesis.",
		examples: [{ batches: 3600, minutes: 86400, hours: 20160 }],
	},
);
export type SyntheticHistory = z.infer<typeof syntheticHistorySchema>;
