/**
 * The one loop every consumer runs (src/consumers/queue-runner.ts), through
 * the Workers runtime's own batch and its ack/retry bookkeeping: a malformed
 * body is acked, a handled job acked, a transient failure retried with a
 * backoff delay, a permanent one reported to the consumer and acked.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type JobHandler, runJobs } from "../../src/consumers/queue-runner";
import { PermanentError, TransientError } from "../../src/shared/errors";

const jobSchema = z.object({ n: z.number().int() });

async function run(bodies: unknown[], handler: JobHandler<z.infer<typeof jobSchema>>) {
	const batch = createMessageBatch(
		"test-queue",
		bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 2, body })),
	);
	// getQueueResult() does not record retry options, so the delays are read off the calls themselves.
	const retries = batch.messages.map((message) => vi.spyOn(message, "retry"));
	const ctx = createExecutionContext();
	await runJobs(batch, (body) => jobSchema.parse(body), handler);
	const result = await getQueueResult(batch, ctx);
	return { ...result, retryDelays: retries.flatMap((spy) => spy.mock.calls.map(([options]) => options?.delaySeconds)) };
}

describe("runJobs", () => {
	it("acks what it handled and what will never parse", async () => {
		const handled: number[] = [];
		const result = await run([{ n: 1 }, "not a job", { n: 2 }], { handle: async (job) => void handled.push(job.n) });
		expect(handled.sort()).toEqual([1, 2]);
		expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
		expect(result.retryMessages).toEqual([]);
	});

	it("retries a transient failure with a backoff delay, and only that message", async () => {
		const result = await run([{ n: 1 }, { n: 2 }], {
			handle: async (job) => {
				if (job.n === 2) throw new TransientError("the model is busy");
			},
		});
		expect(result.explicitAcks).toEqual(["m0"]);
		expect(result.retryMessages).toHaveLength(1);
		expect(result.retryMessages[0]?.msgId).toBe("m1");
		// Attempt 2: full jitter under a 2 s ceiling.
		expect(result.retryDelays).toHaveLength(1);
		expect(result.retryDelays[0]).toBeGreaterThanOrEqual(1);
		expect(result.retryDelays[0]).toBeLessThanOrEqual(2);
	});

	it("reports a permanent failure to the consumer, then acks it instead of retrying", async () => {
		const failed: number[] = [];
		const result = await run([{ n: 7 }], {
			handle: async () => {
				throw new PermanentError("refused");
			},
			failed: async (job) => void failed.push(job.n),
		});
		expect(failed).toEqual([7]);
		expect(result.explicitAcks).toEqual(["m0"]);
		expect(result.retryMessages).toEqual([]);
	});

	it("acks a permanent failure even when reporting it fails too", async () => {
		const result = await run([{ n: 7 }], {
			handle: async () => {
				throw new PermanentError("refused");
			},
			failed: async () => {
				throw new Error("the job's object is gone");
			},
		});
		expect(result.explicitAcks).toEqual(["m0"]);
	});

	it("lets a consumer decide what is transient", async () => {
		const result = await run([{ n: 1 }], {
			handle: async () => {
				throw new PermanentError("refused");
			},
			transient: () => true,
		});
		expect(result.retryMessages.map((r) => r.msgId)).toEqual(["m0"]);
	});
});
