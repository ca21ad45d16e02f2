/**
 * Cache-warming jobs through the ingress and the real local queue: a job
 * answers its questions into the cache, reports progress, and skips what is
 * already warm; bad requests get problems.
 */
import { describe, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { type JobStatus, jobStatusSchema, warmStartedSchema } from "../../src/shared/schemas/responses";
import { problemSchema, request } from "../support/api";

const ADMIN = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" };

async function warm(questions: unknown, headers: Record<string, string> = ADMIN): Promise<Response> {
	return request("/api/admin/cache/warm", { method: "POST", headers, body: JSON.stringify({ questions }) });
}

async function finished(jobId: string): Promise<JobStatus> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const job = jobStatusSchema.parse(await (await request(`/api/admin/jobs/${jobId}`, { headers: ADMIN })).json());
		if (job.state === "done" || job.state === "failed" || Date.now() > deadline) return job;
		await scheduler.wait(100);
	}
}

describe("cache warming", () => {
	it("warms every question, then skips them when asked again", async () => {
		// Questions the local model answers: a decline is never stored, so it would count as skipped (storage is this file's own).
		const questions = ["How do I reset my password?", "How do I export my data?", "How do I cancel my subscription?"];
		const submitted = await warm(questions);
		expect(submitted.status).toBe(202);
		const { jobId } = warmStartedSchema.parse(await submitted.json());
		expect(await finished(jobId)).toMatchObject({ state: "done", total: 3, done: 3, failed: 0, skipped: 0 });

		const again = warmStartedSchema.parse(await (await warm(questions)).json());
		expect(await finished(again.jobId)).toMatchObject({ state: "done", total: 3, done: 3, skipped: 3 });
	});

	it.each([
		["no questions", []],
		["1001 questions", Array.from({ length: 1001 }, (_, i) => `question ${i}`)],
		["an empty question", ["   "]],
		["a 3 KB question", ["x".repeat(3000)]],
		["not a list", "How?"],
	])("refuses %s with 400", async (_name, questions) => {
		const response = await warm(questions);
		expect(response.status).toBe(400);
		expect(problemSchema.parse(await response.json()).status).toBe(400);
	});

	it("refuses a non-admin token, and answers 404 for an unknown job", async () => {
		expect(
			(await warm(["hi"], { Authorization: "Bearer nope", "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.9" })).status,
		).toBe(401);
		expect((await request("/api/admin/jobs/job_unknown", { headers: ADMIN })).status).toBe(404);
		expect((await request("/api/admin/jobs/not-a-job", { headers: ADMIN })).status).toBe(400);
	});
});
