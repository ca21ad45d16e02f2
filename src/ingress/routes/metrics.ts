/** `GET /api/metrics` (CONTRACT §6): every shard's cumulative totals in the Prometheus text format. */
import { Hono } from "hono";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../../shared/metrics/prometheus";
import { metricsStores } from "../../shared/metrics/shards";
import type { IngressEnv } from "../env";

export const metrics = new Hono<IngressEnv>();

metrics.get("/", async (c) => {
	const totals = (await Promise.all(metricsStores(c.env).map((store) => store.totals()))).flat();
	return c.body(renderPrometheus(totals), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE, "Cache-Control": "no-store" });
});
