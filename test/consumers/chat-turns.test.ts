/**
 * The chat-turns consumer and the turn it hands to the session's hub: the
 * consumer acks once the hub owns the turn; the hub streams the reply,
 * retries transient failures as delayed jobs with the next attempt number,
 * dead-letters a turn out of retries, and fails permanent ones at once.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import worker from "../../src/index";
import type { AiRunner } from "../../src/shared/ai/workers-ai";
import { newId } from "../../src/shared/ids";
import { QUEUE_NAMES } from "../../src/shared/queues";
import type { Message } from "../../src/shared/schemas/message";
import { type ChatTurnJob, decodeJob, encodeJob, MAX_TURN_RETRIES } from "../../src/shared/schemas/queue";
import { createdHub, seedUserMessages } from "../support/hub";

function job(sessionId: string, messageIds: string[], attempt = 1): string {
	const body: ChatTurnJob = {
		type: "chat.turn",
		v: 2,
		sessionId,
		messageIds,
		traceId: newId("trace"),
		enqueuedAt: Date.now(),
		reason: "accepted",
		attempt,
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
	await worker.queue(batch, bindings, ctx);
	const result = await getQueueResult(batch, ctx);
	return { ...result, retryDelays: delays.flatMap((spy) => spy.mock.calls.map(([options]) => options?.delaySeconds)) };
}

/** The env with Workers AI selected and the `AI` binding replaced by a fake. */
function withAi(ai: AiRunner, base: Env = env): Env {
	return { ...base, AI_PROVIDER: "workers-ai", AI: Object.assign(Object.create(env.AI), { run: ai.run }) };
}

/** Gives a live hub instance other bindings: the turn runs inside the hub, with the hub's env. */
async function hubEnv(hub: DurableObjectStub<SessionHub>, bindings: Env): Promise<void> {
	await runInDurableObject(hub, (instance: SessionHub) => {
		Reflect.set(instance, "env", bindings);
	});
}

/** Jobs a hub sends, recorded, and not delivered: what the queue would have received. */
function recordingQueue() {
	const sent: { job: ChatTurnJob; delaySeconds: number | undefined }[] = [];
	const queue: Queue = Object.assign(Object.create(env.CHAT_QUEUE), {
		send: async () => undefined,
		sendBatch: async (messages: Iterable<MessageSendRequest>) => {
			for (const m of messages) sent.push({ job: decodeJob(m.body), delaySeconds: m.delaySeconds });
		},
	});
	return { sent, queue };
}

/** The transcript once it has `count` messages (the hub streams after the consumer returns). */
async function transcriptOf(hub: DurableObjectStub<SessionHub>, count: number, timeoutMs = 5000): Promise<Message[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const messages = (await hub.list({ after: 0, limit: 100 }))?.messages ?? [];
		if (messages.length >= count || Date.now() > deadline) return messages;
		await scheduler.wait(20);
	}
}

describe("chat-turns consumer", () => {
	it("retries the delivery with backoff when the hub cannot take the turn", async () => {
		const failingStub = { runTurn: () => Promise.reject(new Error("Durable Object reset because its code was updated.")) };
		const unreachable: Env = {
			...env,
			SESSION_HUB: Object.assign(Object.create(env.SESSION_HUB), {
				idFromName: (name: string) => env.SESSION_HUB.idFromName(name),
				get: () => failingStub,
			}),
		};
		const result = await deliver(QUEUE_NAMES.chatTurns, [job("ses_x", ["q"])], unreachable, 2);
		expect(result.explicitAcks).toEqual([]);
		expect(result.retryMessages).toHaveLength(1);
		expect(result.retryDelays[0]).toBeGreaterThanOrEqual(1);
		expect(result.retryDelays[0]).toBeLessThanOrEqual(2);
	});

	it("answers a turn, grounded and cited, and acks it", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const result = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		expect(result.explicitAcks).toEqual(["delivery-0"]);
		expect(result.retryMessages).toEqual([]);
		const reply = (await transcriptOf(hub, 2))[1];
		expect(reply).toMatchObject({ seq: 2, role: "assistant", replyTo: ["q"], status: "complete" });
		expect(reply?.citations?.map((c) => c.id)).toContain("reset-password");
	});

	it("answers a duplicate delivery exactly once", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const first = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"]), job(sessionId, ["q"])]);
		const whileStreaming = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		await transcriptOf(hub, 2);
		const redelivered = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		expect(first.explicitAcks.sort()).toEqual(["delivery-0", "delivery-1"]);
		expect(whileStreaming.explicitAcks).toEqual(["delivery-0"]);
		expect(redelivered.explicitAcks).toEqual(["delivery-0"]);
		await scheduler.wait(100);
		const roles = (await hub.list({ after: 0, limit: 10 }))?.messages.map((m) => m.role);
		expect(roles).toEqual(["user", "assistant"]);
	});

	it("answers several waiting messages with one reply", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [
			{ id: "q1", text: "hi" },
			{ id: "q2", text: "how do refunds work for annual plans?" },
		]);
		await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q1"]), job(sessionId, ["q2"])]);
		const messages = await transcriptOf(hub, 3);
		expect(messages.map((m) => m.role)).toEqual(["user", "user", "assistant"]);
		expect(messages[2]?.replyTo).toEqual(["q1", "q2"]);
	});

	it("retries a transient AI failure as a delayed job with the next attempt, which then answers", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const { sent, queue } = recordingQueue();
		const overloaded = withAi({ run: () => Promise.reject(new Error("3040: Capacity temporarily exceeded, please try again.")) });
		await hubEnv(hub, { ...overloaded, CHAT_QUEUE: queue });
		const failed = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"], 2)]);
		expect(failed.explicitAcks).toEqual(["delivery-0"]);
		await vi.waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]?.job).toMatchObject({ messageIds: ["q"], attempt: 3, reason: "retry" });
		// The second attempt failed: full jitter over [1, 2] seconds.
		expect(sent[0]?.delaySeconds).toBeGreaterThanOrEqual(1);
		expect(sent[0]?.delaySeconds).toBeLessThanOrEqual(2);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages).toHaveLength(1);

		await hubEnv(hub, env);
		await deliver(QUEUE_NAMES.chatTurns, [encodeJob(sent[0]?.job ?? decodeJob(job(sessionId, ["q"])))]);
		expect((await transcriptOf(hub, 2)).map((m) => m.role)).toEqual(["user", "assistant"]);
	});

	it(`dead-letters a turn whose attempt ${MAX_TURN_RETRIES + 1} fails transiently`, async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const retries = recordingQueue();
		const deadLetters = recordingQueue();
		const overloaded = withAi({ run: () => Promise.reject(new Error("3040: Capacity temporarily exceeded")) });
		await hubEnv(hub, { ...overloaded, CHAT_QUEUE: retries.queue, CHAT_TURNS_DLQ: deadLetters.queue });
		await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"], MAX_TURN_RETRIES + 1)]);
		await vi.waitFor(() => expect(deadLetters.sent).toHaveLength(1));
		expect(deadLetters.sent[0]?.job.messageIds).toEqual(["q"]);
		expect(retries.sent).toEqual([]);
	});

	it("counts a queue redelivery of a job as a further attempt", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const { sent, queue } = recordingQueue();
		await hubEnv(hub, { ...withAi({ run: () => Promise.reject(new Error("3040: Capacity")) }), CHAT_QUEUE: queue });
		await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"], 2)], env, 3);
		await vi.waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]?.job.attempt).toBe(5);
	});

	it("streams a Workers AI reply through the sanitizer into the transcript", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "How do I reset my password?" }]);
		const sse = [
			'data: {"response":"Assistant: Click "}\n\n',
			'data: {"response":"Forgot password. [1]<|eot_id|>"}\n\n',
			"data: [DONE]\n\n",
		].join("");
		await hubEnv(hub, withAi({ run: async () => new Blob([sse]).stream() }));
		await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		const reply = (await transcriptOf(hub, 2))[1];
		expect(reply).toMatchObject({ role: "assistant", text: "Click Forgot password. [1]" });
		expect(reply?.citations?.[0]?.id).toBe("reset-password");
	});

	it("fails the turn visibly, without retrying, when the model refuses the request", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const { sent, queue } = recordingQueue();
		await hubEnv(hub, { ...withAi({ run: () => Promise.reject(new Error("5006: Invalid input")) }), CHAT_QUEUE: queue });
		const result = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		expect(result.explicitAcks).toEqual(["delivery-0"]);
		expect((await transcriptOf(hub, 2))[1]).toMatchObject({ role: "system", status: "failed", replyTo: ["q"] });
		expect(sent).toEqual([]);
	});

	it("acks a malformed body instead of retrying it forever", async () => {
		const result = await deliver(QUEUE_NAMES.chatTurns, ["not superjson", { type: "chat.turn" }, 42]);
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
		await hubEnv(hub, counting);
		const result = await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		await scheduler.wait(100);
		expect(result.explicitAcks).toEqual(["delivery-0"]);
		expect(calls).toBe(0);
	});
});

describe("chat-turns dead-letter consumer", () => {
	it("fails the turn visibly, once, and acks", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const first = await deliver(QUEUE_NAMES.chatTurnsDlq, [job(sessionId, ["q"])]);
		const again = await deliver(QUEUE_NAMES.chatTurnsDlq, [job(sessionId, ["q"])]);
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
		await deliver(QUEUE_NAMES.chatTurns, [job(sessionId, ["q"])]);
		await transcriptOf(hub, 2);
		await deliver(QUEUE_NAMES.chatTurnsDlq, [job(sessionId, ["q"])]);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
	});
});

it("throws for a queue it has no consumer for", async () => {
	await expect(deliver("unknown-queue", [job("ses_x", ["q"])])).rejects.toThrow(/no consumer/);
});
