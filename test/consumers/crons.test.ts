/**
 * The cron triggers (src/consumers/crons.ts) through the Worker's own
 * `scheduled`: the hourly warming cron starts a job for the questions enough
 * sessions asked, and only for those, and an unknown cron expression fails
 * loudly. The other crons' work: test/consumers/summarize.test.ts (the
 * 5-minute summaries) and test/consumers/sweep-r2.test.ts (the daily sweep).
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CRONS } from "../../src/consumers/crons";
import worker from "../../src/index";
import { configOf } from "../../src/shared/config";
import { questionStats, warmJob } from "../../src/shared/stubs";

/** The k: the tests run with the default. */
const K = configOf(env).warmMinSessions;

/** Counts a first question once per asking session, as hubs report it. */
async function askedBySessions(question: string, sessions: number): Promise<void> {
	for (let i = 0; i < sessions; i++) await questionStats(env).record({ question });
}

describe("the hourly warming cron", () => {
	it(`starts no job when no question was asked by ${K} sessions`, async () => {
		const stats = questionStats(env);
		await askedBySessions("a question asked too rarely to warm", K - 1);
		await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: CRONS.warmTopQuestions }), env);
		expect(await stats.lastWarmJob()).toBeNull();
	});

	it("starts a warming job for the most asked questions, which warms them", async () => {
		const stats = questionStats(env);
		await askedBySessions("how do i export my data", K);
		await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: CRONS.warmTopQuestions }), env);
		const jobId = await stats.lastWarmJob();
		expect(jobId).toMatch(/^job_/);
		const job = warmJob(env, jobId ?? "");
		const deadline = Date.now() + 10_000;
		let status = await job.status();
		while (status?.state !== "done" && Date.now() < deadline) {
			await scheduler.wait(100);
			status = await job.status();
		}
		expect(status).toMatchObject({ state: "done", failed: 0, total: 1 });
	});
});

describe("the cron dispatch", () => {
	it("throws for a cron it has no handler for", async () => {
		const controller = createScheduledController({ scheduledTime: new Date(), cron: "1 2 3 4 5" });
		await expect(worker.scheduled(controller, env)).rejects.toThrow(/no handler/);
	});
});
