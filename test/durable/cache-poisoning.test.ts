/**
 * One user's odd spelling cannot decide what everyone else is told: the
 * attack of issue 17 (a zero-width space inside the question's key word, so
 * its search finds nothing and the decline was cached under the plain
 * question's key) and its variants, through real hubs, the real knowledge
 * base and the real caches. Each attacker asks first; a victim with the plain
 * spelling, in another session, must still get the grounded answer.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { knowledgeBase } from "../../src/shared/stubs";
import { ask, countingAi, hubEnv } from "../support/answers";
import { createdHub } from "../support/hub";

/** A word no sample article has, so the only article it can find is the one each test adds. */
const uniqueWord = () => `zorb${crypto.randomUUID().replace(/[\d-]/g, "").slice(0, 8)}`;

/** Spellings of "<word>" that must share the plain spelling's canonical form. */
const VARIANTS: ReadonlyArray<readonly [name: string, spell: (word: string) => string]> = [
	["a zero-width space inside the word", (w) => `${w.slice(0, 3)}\u200B${w.slice(3)}`],
	["a soft hyphen inside the word", (w) => `${w.slice(0, 3)}\u00AD${w.slice(3)}`],
	["a zero-width joiner inside the word", (w) => `${w.slice(0, 3)}\u200D${w.slice(3)}`],
	["full-width homoglyphs (folded by NFKC)", (w) => [...w].map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0)).join("")],
	["mixed case with a format character", (w) => `${w.slice(0, 3).toUpperCase()}\u200B${w.slice(3)}`],
];

/** An article only `word` finds: its other words are common ones every question would match. */
async function addArticle(word: string): Promise<{ id: string; remove: () => Promise<unknown> }> {
	const kb = knowledgeBase(env);
	const id = `poison-${word}`;
	await kb.put({ id, title: `${word}`, body: `${word} vouchers never expire and are paid back within five working days.` });
	return { id, remove: () => kb.delete(id) };
}

describe("the shared answer cache under odd spellings", () => {
	it.each(VARIANTS)("a question spelled with %s still leaves the plain question its grounded answer", async (_name, spell) => {
		const word = uniqueWord();
		const article = await addArticle(word);
		// The question is the word alone: split by a format character, it finds nothing at all.
		const attacker = await ask((await createdHub()).hub, "q", `What is ${spell(word)}?`);
		const victim = await ask((await createdHub()).hub, "q", `What is ${word}?`);
		expect(victim.citations?.map((c) => c.id)).toContain(article.id);
		expect(victim.text).toContain("never expire");
		// The odd spelling is answered from the same canonical question, so it is grounded too.
		expect(attacker.citations?.map((c) => c.id)).toContain(article.id);
		await article.remove();
	});

	it.each([
		["trailing punctuation", (q: string) => `${q}?!?`],
		["whitespace runs", (q: string) => q.replaceAll(" ", " \t  ")],
		["mixed case", (q: string) => q.toUpperCase()],
	] as const)("a question differing only by %s is served the cached answer with no model call", async (_name, vary) => {
		const word = uniqueWord();
		const article = await addArticle(word);
		const model = countingAi("They are paid back within five working days. [1]");
		const question = `How do I get a ${word} refund?`;
		const first = await createdHub();
		await hubEnv(first.hub, model.bindings);
		await ask(first.hub, "q", vary(question));
		const second = await createdHub();
		await hubEnv(second.hub, model.bindings);
		const reply = await ask(second.hub, "q", question);
		expect(model.calls.n).toBe(1);
		expect(reply.citations?.map((c) => c.id)).toContain(article.id);
		await article.remove();
	});

	it("never shares a decline: a question nothing in the knowledge base matches is asked of the model each time", async () => {
		const model = countingAi("I couldn't find that in the help center.");
		const question = `Where is the ${uniqueWord()} ${uniqueWord()}?`;
		for (const _session of [1, 2]) {
			const { hub } = await createdHub();
			await hubEnv(hub, model.bindings);
			await ask(hub, "q", question);
		}
		expect(model.calls.n).toBe(2);
	});
});
