/**
 * Answer caching in a turn, end to end inside workerd: the first turn of a
 * session is answered from the cache when the same question was answered
 * before for the same knowledge-base version; a hit still streams through the
 * delta path and carries the citations; a knowledge-base edit invalidates it;
 * a turn that leans on earlier messages never uses the cache.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub";
import type { AiRunner } from "../../src/shared/ai/workers-ai";
import { KNOWLEDGE_BASE_NAME } from "../../src/shared/schemas/kb";
import type { Message } from "../../src/shared/schemas/message";
import { connect, createdHub, seedUserMessages } from "../support/hub";

/** The env with Workers AI selected and the `AI` binding replaced by a fake that counts its calls. */
function countingAi(reply: string) {
	const calls = { n: 0 };
	const ai: AiRunner = {
		run: async () => {
			calls.n++;
			return new Blob([`data: ${JSON.stringify({ response: reply })}\n\ndata: [DONE]\n\n`]).stream();
		},
	};
	const bindings: Env = { ...env, AI_PROVIDER: "workers-ai", AI: Object.assign(Object.create(env.AI), { run: ai.run }) };
	return { calls, bindings };
}

async function hubEnv(hub: DurableObjectStub<SessionHub>, bindings: Env): Promise<void> {
	await runInDurableObject(hub, (instance: SessionHub) => {
		Reflect.set(instance, "env", bindings);
	});
}

/** Seeds `text` as the session's first question and runs its turn to the end. */
async function ask(hub: DurableObjectStub<SessionHub>, id: string, text: string): Promise<Message> {
	await seedUserMessages(hub, [{ id, text }]);
	const socket = await connect(hub);
	const started = await hub.runTurn({ messageIds: [id], attempt: 1 });
	expect(started.kind).toBe("started");
	const reply = await socket.waitFor((f) => f.type === "message" && f.role !== "user" && (f.replyTo ?? []).includes(id), 5000);
	expect(socket.frames.some((f) => f.type === "delta")).toBe(true);
	if (reply.type !== "message") throw new Error("not a message");
	const { type: _type, ...message } = reply;
	return message;
}

const unique = () => crypto.randomUUID().slice(0, 8);

describe("answer cache", () => {
	it("answers a repeated first question from the cache, streamed and cited, without the model", async () => {
		const question = `How do I reset my password? (${unique()})`;
		const model = countingAi("Click Forgot password on the sign-in page. [1]");
		const first = await createdHub();
		await hubEnv(first.hub, model.bindings);
		const fresh = await ask(first.hub, "q", question);
		expect(model.calls.n).toBe(1);

		const second = await createdHub();
		await hubEnv(second.hub, model.bindings);
		const cached = await ask(second.hub, "q", question);
		expect(model.calls.n).toBe(1);
		expect(cached).toMatchObject({ text: fresh.text, citations: fresh.citations, status: fresh.status });
		expect(cached.citations?.length).toBeGreaterThan(0);
	});

	it("never serves an answer grounded on an article edited since", async () => {
		const kb = env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName(KNOWLEDGE_BASE_NAME));
		const id = `gift-${unique()}`;
		const word = `zorblax${unique().replace(/\d/g, "q")}`;
		await kb.put({ id, title: `${word} vouchers`, body: `${word} vouchers never expire.` });
		const question = `Do ${word} vouchers expire?`;
		const before = await ask((await createdHub()).hub, "q", question);
		expect(before.text).toContain("never expire");

		await kb.put({ id, title: `${word} vouchers`, body: `${word} vouchers expire after five years.` });
		const after = await ask((await createdHub()).hub, "q", question);
		expect(after.text).toContain("five years");
		await kb.delete(id);
	});

	it("never answers a turn that leans on earlier messages from the cache", async () => {
		const question = `How do I enable two-factor authentication? (${unique()})`;
		const model = countingAi("Open Settings, Security. [1]");
		const first = await createdHub();
		await hubEnv(first.hub, model.bindings);
		await ask(first.hub, "q", question);
		expect(model.calls.n).toBe(1);
		// The same question again, but second in its session: it may refer to what came before.
		await ask(first.hub, "q2", question);
		expect(model.calls.n).toBe(2);
	});
});
