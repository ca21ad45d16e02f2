/**
 * Bulk cache warming (CONTRACT §6, admin): `POST /api/admin/cache/warm`
 * starts a job (shared/warm-jobs.ts); `GET /api/admin/jobs/:id` reports its progress.
 */
import { Hono } from "hono";
import { isolateStats } from "../../shared/cache";
import { HttpProblem, validationProblem } from "../../shared/problem";
import type { CacheStats, JobStatus, WarmStarted } from "../../shared/schemas/responses";
import { jobIdSchema, warmRequestSchema } from "../../shared/schemas/warm";
import { warmJob } from "../../shared/stubs";
import { startWarmJob } from "../../shared/warm-jobs";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

export const warm = new Hono<IngressEnv>();

warm.post("/cache/warm", async (c) => {
	const { questions } = await readJson(c.req.raw, warmRequestSchema);
	return c.json({ jobId: await startWarmJob(c.env, questions) } satisfies WarmStarted, 202);
});

/**
 * The cache counters of the isolate that answers (not in the contract): for
 * diagnosis and the bench; `/api/metrics` will aggregate them across isolates.
 */
warm.get("/cache/stats", (c) => c.json(isolateStats.snapshot() satisfies CacheStats));

warm.get("/jobs/:id", async (c) => {
	const id = jobIdSchema.safeParse(c.req.param("id"));
	if (!id.success) throw validationProblem(id.error, "job id");
	const status = await warmJob(c.env, id.data).status();
	if (!status) throw new HttpProblem(404, "No such job.");
	return c.json(status satisfies JobStatus);
});
