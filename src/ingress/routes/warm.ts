/**
 * Bulk cache warming (CONTRACT §6, admin): `POST /api/admin/cache/warm`
 * records a job in its own WarmJob object and queues one message per
 * question on `cache-warm`; `GET /api/admin/jobs/:id` reports its progress.
 */
import { Hono } from "hono";
import { newId } from "../../shared/ids";
import { HttpProblem, validationProblem } from "../../shared/problem";
import { encodeWarmMessage, jobIdSchema, warmRequestSchema } from "../../shared/schemas/warm";
import { authorizeAdmin } from "../auth";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

/** Queues.sendBatch takes at most 100 messages and 256 KB per call; stay under both. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200 * 1024;

function warmJob(env: Env, jobId: string) {
	return env.WARM_JOB.get(env.WARM_JOB.idFromName(jobId));
}

export const warm = new Hono<IngressEnv>();

warm.use(async (c, next) => {
	await authorizeAdmin(c);
	await next();
});

warm.post("/cache/warm", async (c) => {
	const { questions } = await readJson(c.req.raw, warmRequestSchema);
	const jobId = newId("job");
	const job = warmJob(c.env, jobId);
	await job.create({ jobId, total: questions.length });
	try {
		for (const batch of batches(
			questions.map((question, index) => encodeWarmMessage({ type: "cache.warm", v: 1, jobId, index, question })),
		)) {
			await c.env.CACHE_WARM_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
		}
	} catch (error) {
		// Whatever was queued still runs; the job says it could not all be sent.
		await job.sendFailed();
		throw error;
	}
	return c.json({ jobId }, 202);
});

warm.get("/jobs/:id", async (c) => {
	const id = jobIdSchema.safeParse(c.req.param("id"));
	if (!id.success) throw validationProblem(id.error, "job id");
	const status = await warmJob(c.env, id.data).status();
	if (!status) throw new HttpProblem(404, "No such job.");
	return c.json(status);
});

/** Groups encoded messages under both sendBatch limits. */
function batches(bodies: string[]): string[][] {
	const out: string[][] = [];
	let current: string[] = [];
	let bytes = 0;
	for (const body of bodies) {
		const size = new TextEncoder().encode(body).byteLength + 100;
		if (current.length === BATCH_MESSAGES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
			out.push(current);
			current = [];
			bytes = 0;
		}
		current.push(body);
		bytes += size;
	}
	if (current.length > 0) out.push(current);
	return out;
}
