/**
 * `POST /api/admin/metrics/synthetic` (development only, not in the
 * contract): fills every metrics store with 30 days of rollups shaped like
 * the series seen so far, so the bench can time a scrape against a store
 * that has run for a month. Like the fault switch, it does not exist in
 * production (404 before any credential check).
 */
import { Hono } from "hono";
import { metricsStores } from "../../shared/metrics/shards";
import type { SyntheticHistory } from "../../shared/schemas/dashboard";
import { syntheticHistoryInputSchema } from "../../shared/schemas/http";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

export const metricsHistory = new Hono<IngressEnv>();

metricsHistory.post("/", async (c) => {
	const { days } = await readJson(c.req.raw, syntheticHistoryInputSchema);
	const now = Date.now();
	const shards = await Promise.all(metricsStores(c.env).map((store) => store.synthesizeHistory({ days, now })));
	const total: SyntheticHistory = {
		batches: shards[0]?.batches ?? 0,
		minutes: shards.reduce((sum, s) => sum + s.minutes, 0),
		hours: shards.reduce((sum, s) => sum + s.hours, 0),
	};
	return c.json(total);
});
