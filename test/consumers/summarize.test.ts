/**
 * The summarize consumer and its cron (src/consumers/summarize.ts,
 * src/consumers/crons.ts) inside workerd with the real registry, KV and R2:
 * a hub registers when it needs a summary, the cron finds it through the
 * sharded registry, the summary is stored idempotently and broadcast, and
 * the model's input is the summary plus the last 15 messages. What erasing
 * a session does to its summary: test/durable/erasure.test.ts.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { summarizeDue } from "../../src/consumers/crons";
import { summarizeSession } from "../../src/consumers/summarize";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import type { ChatMessage } from "../../src/shared/ai/provider";
import type { AiRunner } from "../../src/shared/ai/workers-ai";
import { registryShardName, SUMMARY_POLICY } from "../../src/shared/schemas/summary";
import { summaryRegistry } from "../../src/shared/stubs";
import { ageSession, seedConversation } from "../support/conversation";
import { connect, createdHub } from "../support/hub";

function registryOf(sessionId: string) {
	return summaryRegistry(env, registryShardName(sessionId));
}

/** Polls until `done`; throws at the deadline, so a condition that never comes fails the test instead of passing it by. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Summarizes until nothing is due: a long backlog takes several jobs of SUMMARY_POLICY.messagesPerJob. */
async function summarizeFully(sessionId: string): Promise<number> {
	let jobs = 0;
	while ((await summarizeSession(env, sessionId)).result === "stored") jobs++;
	return jobs;
}

describe("summarization", () => {
	it("registers a session once it passes 20 unsummarized messages, and the cron finds it", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 10);
		await hub.accept({ id: "q21", text: "And how do refunds work?" });
		const due = await waitFor(
			() => registryOf(sessionId).dueAt(sessionId),
			(at) => at !== null,
		);
		expect(due).not.toBeNull();
		expect(due ?? Infinity).toBeLessThanOrEqual(Date.now());
		expect(await summarizeDue(env, Date.now())).toBeGreaterThanOrEqual(1);
		// Taken: leased, not offered again until the lease runs out.
		expect(await registryOf(sessionId).dueAt(sessionId)).toBeGreaterThan(Date.now() + SUMMARY_POLICY.dispatchLeaseMs - 60_000);
	});

	it("stores the summary with throughSeq, shows it in info and storage, and sends a summary frame", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 12, (i) => (i === 1 ? "My order number is ORD-77123, where is it?" : `Question ${i}?`));
		const socket = await connect(hub, 24);
		const outcome = await summarizeSession(env, sessionId);
		expect(outcome).toMatchObject({ result: "stored", throughSeq: 24, messages: 24, fromCache: false });
		const frame = await socket.waitFor((f) => f.type === "summary");
		expect(frame).toMatchObject({ type: "summary", throughSeq: 24 });
		const info = await hub.info();
		expect(info?.summary).toContain("ORD-77123");
		expect((await hub.storage())?.summaryThroughSeq).toBe(24);
		// Everything is covered: the session leaves the registry.
		expect(await registryOf(sessionId).dueAt(sessionId)).toBeNull();
		socket.ws.close();
	});

	it("changes nothing for a redelivered or stale job", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 11);
		expect((await summarizeSession(env, sessionId)).result).toBe("stored");
		const before = await hub.info();
		expect(await summarizeSession(env, sessionId)).toEqual({ result: "not_due" });
		expect(await hub.storeSummary({ text: "an older summary", throughSeq: 10 })).toEqual({ stored: false, gone: false, more: false });
		expect(await hub.storeSummary({ text: "beyond the transcript", throughSeq: 999 })).toEqual({ stored: false, gone: false, more: false });
		expect(await hub.info()).toEqual(before);
	});

	it("waits for an idle session to be idle for 10 minutes before summarizing a few messages", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 3);
		expect(await summarizeSession(env, sessionId)).toEqual({ result: "not_due" });
		// Not due: the hub put itself in the registry for when it will be.
		expect(await registryOf(sessionId).dueAt(sessionId)).toBeGreaterThan(Date.now());
		await ageSession(hub, SUMMARY_POLICY.idleMs + 1000);
		expect(await summarizeSession(env, sessionId)).toMatchObject({ result: "stored", throughSeq: 6 });
	});

	it("reaches the model with a fact from message 3 of a 200-message conversation, through the summary", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 100, (i) =>
			i === 1 ? "My account email is zed.quill@example.com and I was double charged." : `Question ${i}?`,
		);
		expect(await summarizeFully(sessionId)).toBe(4);
		expect((await hub.storage())?.summaryThroughSeq).toBe(200);

		const inputs: ChatMessage[][] = [];
		const ai: AiRunner = {
			run: async (_model, input) => {
				inputs.push((input as { messages: ChatMessage[] }).messages);
				return new Blob([`data: ${JSON.stringify({ response: "Noted." })}\n\ndata: [DONE]\n\n`]).stream();
			},
		};
		const bindings: Env = { ...env, AI_PROVIDER: "workers-ai", AI: Object.assign(Object.create(env.AI), { run: ai.run }) };
		await runInDurableObject(hub, (instance: SessionHub) => {
			Reflect.set(instance, "env", bindings);
		});
		await hub.accept({ id: "late", text: "Which email is on my account again?" });
		await waitFor(
			async () => inputs.length,
			(n) => n > 0,
		);
		const [system, ...history] = inputs[0] ?? [];
		expect(system?.content).toContain("zed.quill@example.com");
		// The summary plus the last 15 messages, not the transcript.
		expect(history.length).toBeLessThanOrEqual(15);
		expect(history.map((m) => m.content).join("\n")).not.toContain("zed.quill@example.com");
	});

	it("answers a summarize job for a deleted session with nothing", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 11);
		expect(await hub.erase()).toBe(true);
		expect(await summarizeSession(env, sessionId)).toEqual({ result: "gone" });
		expect(await hub.storeSummary({ text: "late", throughSeq: 5 })).toEqual({ stored: false, gone: true, more: false });
	});
});
