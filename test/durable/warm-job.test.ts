/**
 * A warming job's storage (issue 17): while it runs it holds its questions,
 * so its alarm can send lost ones again; once finished, done or failed to
 * send, it holds their outcomes and no question text.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REDRIVE_MS, type WarmJob } from "../../src/durable/warm-job/warm-job";
import type { JobStatus } from "../../src/shared/schemas/warm";
import { warmJob } from "../../src/shared/stubs";

function newJob() {
	const jobId = `job_${crypto.randomUUID().replaceAll("-", "")}`;
	return { jobId, job: warmJob(env, jobId) };
}

/** The question column of every item, as the object's SQLite holds it. */
async function storedQuestions(job: ReturnType<typeof newJob>["job"]): Promise<string[]> {
	return runInDurableObject(job, (_instance: WarmJob, state) =>
		state.storage.sql
			.exec<{ question: string }>("SELECT question FROM items ORDER BY idx")
			.toArray()
			.map((row) => row.question),
	);
}

async function finished(job: ReturnType<typeof newJob>["job"]): Promise<JobStatus | null> {
	const deadline = Date.now() + 15_000;
	let status = await job.status();
	while (status?.state !== "done" && status?.state !== "failed" && Date.now() < deadline) {
		await scheduler.wait(100);
		status = await job.status();
	}
	return status;
}

describe("WarmJob", () => {
	it("holds no question text once every question has an outcome, and still reports its counts", async () => {
		const { jobId, job } = newJob();
		const tag = crypto.randomUUID().slice(0, 8);
		await job.start({ jobId, questions: [`How do I reset my password? ${tag}`, `How do I export my data? ${tag}`] });
		expect(await finished(job)).toMatchObject({ state: "done", total: 2, done: 2, failed: 0 });
		expect(await storedQuestions(job)).toEqual(["", ""]);
	});

	it("holds no question text once it failed to send", async () => {
		const { jobId, job } = newJob();
		// Longer than a warm message allows: encoding it throws, as a failing sendBatch would.
		// Called on the instance: a rejected RPC call would also surface as an unhandled rejection in workerd.
		await runInDurableObject(job, async (instance: WarmJob) => {
			await expect(instance.start({ jobId, questions: ["How do I pay by invoice?", "x".repeat(3000)] })).rejects.toThrow();
		});
		expect(await job.status()).toMatchObject({ state: "failed", total: 2 });
		expect(await storedQuestions(job)).toEqual(["", ""]);
	});

	it("sends an unfinished job's lost questions again from its alarm, then forgets them when done", async () => {
		const { jobId, job } = newJob();
		const tag = crypto.randomUUID().slice(0, 8);
		const questions = [`How do I change my plan? ${tag}`, `Where is my invoice? ${tag}`];
		// A job whose messages the queue lost: stored, never reported, idle for longer than REDRIVE_MS.
		await runInDurableObject(job, async (_instance: WarmJob, state) => {
			const stale = Date.now() - REDRIVE_MS - 1;
			state.storage.sql.exec(
				"INSERT INTO job (id, total, started_at, progress_at) VALUES (?, ?, ?, ?)",
				jobId,
				questions.length,
				new Date(stale).toISOString(),
				stale,
			);
			for (const [index, question] of questions.entries()) {
				state.storage.sql.exec("INSERT INTO items (idx, question) VALUES (?, ?)", index, question);
			}
			await state.storage.setAlarm(Date.now() + REDRIVE_MS);
		});
		expect(await storedQuestions(job)).toEqual(questions);

		expect(await runDurableObjectAlarm(job)).toBe(true);
		expect(await finished(job)).toMatchObject({ state: "done", total: 2, done: 2, failed: 0 });
		expect(await storedQuestions(job)).toEqual(["", ""]);
	});
});
