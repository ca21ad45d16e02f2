/**
 * The dashboard's data as the browser parses it: the server's
 * `dashboardDataSchema` rebuilt with zod/mini (zod's classic build would make
 * the page ten times larger). The annotation binds it to the shared type, so
 * the two cannot drift apart without a type error.
 */
import * as z from "zod/mini";
import type { DashboardData } from "../shared/schemas/dashboard";

const values = z.array(z.nullable(z.number()));

export const dashboardData: z.ZodMiniType<DashboardData> = z.object({
	range: z.enum(["1h", "6h", "24h"]),
	stepSeconds: z.number(),
	times: z.array(z.number()),
	latency: z.array(
		z.object({ id: z.string(), label: z.string(), sloSeconds: z.nullable(z.number()), p50: values, p95: values, p99: values }),
	),
	throughput: z.object({ accepted: values, turns: values }),
	errorRate: values,
	cacheHitRate: z.object({ overall: values, memory: values, kv: values, r2: values }),
	alerts: z.array(z.object({ rule: z.string(), severity: z.string(), since: z.string(), summary: z.string() })),
	warmJobs: z.array(z.object({ jobId: z.string(), state: z.string(), total: z.number(), done: z.number(), failed: z.number() })),
});
