/**
 * The dashboard's data (GET /api/admin/metrics/series): chart-ready series
 * over the last hour, six hours or day, built from the rollups. One shape for
 * the route that builds it and the page that draws it.
 */
import { z } from "zod";

export const DASHBOARD_RANGES = { "1h": 60 * 60_000, "6h": 6 * 60 * 60_000, "24h": 24 * 60 * 60_000 } as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const dashboardQuerySchema = z.object({ range: z.enum(["1h", "6h", "24h"]).default("1h") }).strict();

const values = z.array(z.number().nullable());

export const dashboardDataSchema = z.object({
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
});
export type DashboardData = z.infer<typeof dashboardDataSchema>;
