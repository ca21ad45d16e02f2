/**
 * The most asked first questions: a bounded top-K (Space-Saving) that never
 * grows past its capacity and never loses a frequent question, and the
 * hourly cron that warms them.
 */
import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CRONS } from "../../src/consumers/crons";
import { CAPACITY, type QuestionStats } from "../../src/durable/question-stats";
import worker from "../../src/index";
import { QUESTION_STATS_NAME } from "../../src/shared/warm-jobs";

function freshStats() {
	return env.QUESTION_STATS.get(env.QUESTION_STATS.idFromName(`stats-${crypto.randomUUID()}`));
}

describe("QuestionStats", () => {
	it("ranks questions by how often they were asked", async () => {
		const stats = freshStats();
		for (const [text, times] of [
			["refund", 3],
			["password", 5],
			["invoice", 1],
		] as const) {
			for (let i = 0; i < times; i++) await stats.record({ normalized: text, text: `${text}?` });
		}
		expect(await stats.top(2)).toEqual([
			{ text: "password?", count: 5 },
			{ text: "refund?", count: 3 },
		]);
	});

	it(`tracks at most ${CAPACITY} questions, and keeps a frequent one through a flood of rare ones`, async () => {
		const stats = freshStats();
		await runInDurableObject(stats, (instance: QuestionStats) => {
			for (let i = 0; i < 20; i++) instance.record({ normalized: "popular", text: "popular?" });
			for (let i = 0; i < CAPACITY * 2; i++) instance.record({ normalized: `rare ${i}`, text: `rare ${i}?` });
			expect(instance.size()).toBe(CAPACITY);
			expect(instance.top(1)).toEqual([{ text: "popular?", count: 20 }]);
		});
	});
});

describe("the hourly warming cron", () => {
	it("starts a warming job for the most asked questions, which warms them", async () => {
		const stats = env.QUESTION_STATS.get(env.QUESTION_STATS.idFromName(QUESTION_STATS_NAME));
		await stats.record({ normalized: "how do i export my data", text: "How do I export my data?" });
		await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: CRONS.warmTopQuestions }), env);
		const jobId = await stats.lastWarmJob();
		expect(jobId).toMatch(/^job_/);
		const job = env.WARM_JOB.get(env.WARM_JOB.idFromName(jobId ?? ""));
		const deadline = Date.now() + 10_000;
		let status = await job.status();
		while (status?.state !== "done" && Date.now() < deadline) {
			await scheduler.wait(100);
			status = await job.status();
		}
		expect(status).toMatchObject({ state: "done", failed: 0 });
		expect(status?.total).toBeGreaterThanOrEqual(1);
	});

	it("throws for a cron it has no handler for", async () => {
		const controller = createScheduledController({ scheduledTime: new Date(), cron: "1 2 3 4 5" });
		await expect(worker.scheduled(controller, env)).rejects.toThrow(/no handler/);
	});
});
