import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { AiRunner } from "../../src/shared/ai/workers-ai";
import { newId } from "../../src/shared/ids";
import { type ChatTurnJob, encodeJob, QUEUES } from "../../src/shared/schemas/queue";
import { createdHub, seedUserMessages } from "../support/hub";

function job(sessionId: string, messageIds: string[]): string {
	const body: ChatTurnJob = {
		type: "chat.turn",
		v: 1,
		sessionId,
		messageIds,
		traceId: newId("trace"),
		enqueuedAt: new Date(),
		reason: "accepted",
	};
	return encodeJob(body);
}

async function deliver(queue: string, bodies: unknown[], bindings: Env = env, attempts = 1) {
	const batch = createMessageBatch(
		queue,
		bodies.map((body, i) => ({ id: `delivery-${i}`, timestamp: new Date(), attempts, body })),
	);
	// getQueueResult() does not record retry options, so the delays are read off the calls themselves.
	const delays = batch.messages.map((message) => vi.spyOn(message, "retry"));
	const ctx = createExecutionContext();
	await worker.queue(batch, bindings);
	const result = await getQueueResult(batch, ctx);
	return { ...result, retryDelays: delays.flatMap((spy) => spy.mock.calls.map(([options]) => options?.delaySeconds)) };
}

/** The env with Workers AI selected and the `AI` binding replaced by a fake. */
function withAi(ai: AiRunner): Env {
	return { ...env, AI_PROVIDER: "workers-ai", AI: Object.assign(Object.create(env.AI), { run: ai.run }) };
}

describe("chat-turns consumer", () => {
	it("answers a turn, grounded and cited, and acks it", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const result = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])]);
		expect(result.explicitAcks).toEqual(["delivery-0"]);
		expect(result.retryMessages).toEqual([]);
		const reply = (await hub.list({ after: 1, limit: 10 }))?.messages[0];
		expect(reply).toMatchObject({ seq: 2, role: "assistant", replyTo: ["q"], status: "complete" });
		expect(reply?.citations?.map((c) => c.id)).toContain("reset-password");
	});

	it("answers a duplicate delivery exactly once", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const first = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"]), job(sessionId, ["q"])]);
		const redelivered = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])]);
		expect(first.explicitAcks.sort()).toEqual(["delivery-0", "delivery-1"]);
		expect(redelivered.explicitAcks).toEqual(["delivery-0"]);
		const roles = (await hub.list({ after: 0, limit: 10 }))?.messages.map((m) => m.role);
		expect(roles).toEqual(["user", "assistant"]);
	});

	it("answers several waiting messages with one reply", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [
			{ id: "q1", text: "hi" },
			{ id: "q2", text: "how do refunds work for annual plans?" },
		]);
		await deliver(QUEUES.chatTurns, [job(sessionId, ["q1"]), job(sessionId, ["q2"])]);
		const messages = (await hub.list({ after: 0, limit: 10 }))?.messages ?? [];
		expect(messages.map((m) => m.role)).toEqual(["user", "user", "assistant"]);
		expect(messages[2]?.replyTo).toEqual(["q1", "q2"]);
	});

	it("retries with backoff on a transient AI failure, then answers on redelivery", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const overloaded = withAi({ run: () => Promise.reject(new Error("3040: Capacity temporarily exceeded, please try again.")) });
		const failed = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])], overloaded, 2);
		expect(failed.explicitAcks).toEqual([]);
		expect(failed.retryMessages).toHaveLength(1);
		// Second attempt: full jitter over [1, 2] seconds.
		expect(failed.retryDelays).toHaveLength(1);
		expect(failed.retryDelays[0]).toBeGreaterThanOrEqual(1);
		expect(failed.retryDelays[0]).toBeLessThanOrEqual(2);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages).toHaveLength(1);

		const recovered = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])]);
		expect(recovered.explicitAcks).toEqual(["delivery-0"]);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
	});

	it("streams a Workers AI reply through the sanitizer into the transcript", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const sse = [
			'data: {"response":"Assistant: Click "}\n\n',
			'data: {"response":"Forgot password. [1]<|eot_id|>"}\n\n',
			"data: [DONE]\n\n",
		].join("");
		const ai = withAi({ run: async () => new Blob([sse]).stream() });
		await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])], ai);
		const reply = (await hub.list({ after: 1, limit: 10 }))?.messages[0];
		expect(reply).toMatchObject({ role: "assistant", text: "Click Forgot password. [1]" });
		expect(reply?.citations?.[0]?.id).toBe("reset-password");
	});

	it("fails the turn visibly, without retrying, when the model refuses the request", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const refused = withAi({ run: () => Promise.reject(new Error("5006: Invalid input")) });
		const result = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])], refused);
		expect(result.explicitAcks).toEqual(["delivery-0"]);
		expect(result.retryMessages).toEqual([]);
		expect((await hub.list({ after: 1, limit: 10 }))?.messages[0]).toMatchObject({ role: "system", status: "failed", replyTo: ["q"] });
	});

	it("acks a malformed body instead of retrying it forever", async () => {
		const result = await deliver(QUEUES.chatTurns, ["not superjson", { type: "chat.turn" }, 42]);
		expect(result.explicitAcks.sort()).toEqual(["delivery-0", "delivery-1", "delivery-2"]);
		expect(result.retryMessages).toEqual([]);
	});

	it("acks without calling the model while another delivery owns the turn", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		await hub.beginTurn({ messageIds: ["q"] });
		let calls = 0;
		const counting = withAi({
			run: async () => {
				calls++;
				return new Blob(["data: [DONE]\n\n"]).stream();
			},
		});
		const result = await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])], counting);
		expect(result.explicitAcks).toEqual(["delivery-0"]);
		expect(calls).toBe(0);
	});
});

describe("chat-turns dead-letter consumer", () => {
	it("fails the turn visibly, once, and acks", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const first = await deliver(QUEUES.chatTurnsDlq, [job(sessionId, ["q"])]);
		const again = await deliver(QUEUES.chatTurnsDlq, [job(sessionId, ["q"])]);
		expect(first.explicitAcks).toEqual(["delivery-0"]);
		expect(again.explicitAcks).toEqual(["delivery-0"]);
		const messages = (await hub.list({ after: 0, limit: 10 }))?.messages ?? [];
		expect(messages.map((m) => [m.role, m.status])).toEqual([
			["user", "complete"],
			["system", "failed"],
		]);
	});

	it("does not touch a message that was answered before it was dead-lettered", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		await deliver(QUEUES.chatTurns, [job(sessionId, ["q"])]);
		await deliver(QUEUES.chatTurnsDlq, [job(sessionId, ["q"])]);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
	});
});

it("throws for a queue it has no consumer for", async () => {
	await expect(deliver("unknown-queue", [job("ses_x", ["q"])])).rejects.toThrow(/no consumer/);
});
