/**
 * Answer caching in a turn, end to end inside workerd: the first turn of a
 * session is answered from the cache when the same question was answered
 * before for the same knowledge-base version; a hit still streams through the
 * delta path and carries the citations; a knowledge-base edit invalidates it;
 * a turn that leans on earlier messages never uses the cache.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { warm } from "../../src/consumers/cache-warm";
import { knowledgeBase } from "../../src/shared/stubs";
import { ask, countingAi, hubEnv } from "../support/answers";
import { createdHub, freshHub } from "../support/hub";

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
		const kb = knowledgeBase(env);
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

	it("answers a first question asked after warming with no model call, whatever the session's locale and spelling", async () => {
		const question = `How do I reset my password? (${unique()})`;
		const model = countingAi("Click Forgot password on the sign-in page. [1]");
		expect(await warm(question, model.bindings)).toBe("warmed");
		expect(model.calls.n).toBe(1);

		const { sessionId, hub } = freshHub();
		await hub.create({ sessionId, createdAt: new Date().toISOString(), locale: "en-GB" });
		await hubEnv(hub, model.bindings);
		const reply = await ask(hub, "q", `Hi! ${question.toUpperCase()}  Thanks!`);
		expect(model.calls.n).toBe(1);
		expect(reply.citations?.length).toBeGreaterThan(0);
	});
});
