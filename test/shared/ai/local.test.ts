import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { chunkText, localProvider } from "../../../src/shared/ai/local";
import { composeAnswer } from "../../../src/shared/ai/local-answer";
import { askedTerms, reportsFault } from "../../../src/shared/ai/local-answer-check";
import { splitPassages } from "../../../src/shared/ai/local-answer-text";
import { LOCAL_MODELS } from "../../../src/shared/ai/local-models";
import type { Source } from "../../../src/shared/ai/provider";
import { knowledgeBase } from "../../../src/shared/stubs";
import { citationsFor } from "../../../src/shared/turn/citations";
import { REPLY_CHAR_LIMIT } from "../../../src/shared/turn/reply-sanitizer";
import fixture from "./questions.json";

/** Questions as a user would ask them: ones the sample articles answer (and which article), and ones they do not. */
const questions = z
	.object({
		answerable: z.array(z.object({ question: z.string(), expectArticle: z.string() })).min(12),
		unanswerable: z.array(z.string()).min(10),
	})
	.parse(fixture);

/** Retrieval exactly as the consumer does it: the real KnowledgeBase with the sample articles. */
async function answer(question: string): Promise<{ text: string; sources: Source[] }> {
	const sources = await knowledgeBase(env).retrieve(question, 3);
	return { text: composeAnswer(question, sources), sources };
}

describe("local provider answers on the sample knowledge base", () => {
	it.each([
		["How do I reset my password?", "reset-password", /reset/i],
		["Can I get a refund on my annual plan?", "refund-policy", /30 days/],
		["How much does the Team plan cost?", "change-billing-cycle", /\$8 per member/],
		["How do I turn on two-factor authentication?", "two-factor-authentication", /authenticat/i],
		["My payment failed, what happens now?", "failed-payments", /payment/i],
	])("answers %j from the right article, with a citation", async (question, articleId, fact) => {
		const { text, sources } = await answer(question);
		expect(text).toMatch(fact);
		expect(citationsFor(text, sources).map((c) => c.id)).toContain(articleId);
	});

	it.each(questions.answerable.map((q) => [q.question, q.expectArticle]))(
		"answers %j from %s, with a citation",
		async (question, articleId) => {
			const { text, sources } = await answer(question);
			expect(text).not.toMatch(/couldn't find/);
			expect(citationsFor(text, sources).map((c) => c.id)).toContain(articleId);
		},
	);

	it.each(questions.unanswerable)("declines %j honestly, offers a human and cites nothing", async (question) => {
		const { text, sources } = await answer(question);
		expect(text).toMatch(/couldn't find/);
		expect(text).toMatch(/human agent/);
		expect(citationsFor(text, sources)).toEqual([]);
	});

	it("finds articles for most unanswerable questions, so their declines come from the answer check", async () => {
		// Otherwise the declines above would only prove that search came back empty.
		const retrieved = await Promise.all(questions.unanswerable.map(async (q) => (await answer(q)).sources.length));
		expect(retrieved.filter((n) => n > 0).length).toBeGreaterThanOrEqual(10);
	});

	it("answers a chatty question whose article the search matches strongly, however many of its words the help center never uses", async () => {
		const question = "we're moving over from trello, can we bring our boards with us?";
		const { text, sources } = await answer(question);
		expect(sources[0]?.id).toBe("import-csv-trello");
		expect(sources[0]?.score).toBeGreaterThanOrEqual(8);
		expect(citationsFor(text, sources).map((c) => c.id)).toEqual(["import-csv-trello"]);
		// The same words against a weak match ("moving" and "bring" could be the subject): declined.
		const weak = sources.map((source) => ({ ...source, score: 4 }));
		expect(composeAnswer(question, weak)).toMatch(/couldn't find an answer/);
	});

	it("reads a follow-up's question with the clause it points at, unless it asks about what no article mentions", async () => {
		const followUp = async (earlier: string, question: string) => {
			const sources = await knowledgeBase(env).retrieve(`${earlier}\n${question}`, 3);
			const text = composeAnswer(question, sources, "large", earlier);
			return { text, cited: citationsFor(text, sources).map((c) => c.id) };
		};
		// "that" is the missing company name; "fixed" alone is not what the invoices article says.
		const fixed = await followUp(
			"where can I download our past invoices?",
			"the one from last month is missing our company name, can that be fixed?",
		);
		expect(fixed.cited).toContain("invoices-and-receipts");
		expect(fixed.text).toMatch(/reissue/i);
		// "what about attachments" asks too: it is not scenery to drop before "any size limit?".
		const size = await followUp(
			"we're moving over from trello, can we bring our boards with us?",
			"what about attachments, any size limit?",
		);
		expect(size.text).toMatch(/25 MB/);
		// Merging is what is asked, and no article mentions it: the deleting around it does not make it answered.
		const merge = await followUp(
			"If I delete our whole workspace, does the subscription stop too or do I have to cancel it separately?",
			"actually, instead of deleting it, could we merge it into our other workspace?",
		);
		expect(merge.text).toMatch(/couldn't find an answer/);
	});

	it("answers a follow-up worded unlike its article from the conversation's article, but not one about what no article names", async () => {
		// As the product searches a follow-up: expanded with the question before it, held to the article its reply cited.
		const followUp = async (earlier: string, question: string, cited: string) => {
			const sources = await knowledgeBase(env).retrieve(`${earlier}\n${question}`, 3, { boost: [cited], prior: cited });
			const text = composeAnswer(question, sources, "large", earlier);
			return { text, cited: citationsFor(text, sources).map((c) => c.id) };
		};
		// The deletion article never says "undo" (the import article does): it says the grace period cancels the deletion.
		const undo = await followUp("how do I delete my account", "can i undo it if i change my mind?", "delete-account");
		expect(undo.cited).toEqual(["delete-account"]);
		expect(undo.text).toMatch(/grace period/);
		// "GitLab" is in no article: the conversation's GitHub terms do not make it answered.
		const gitlab = await followUp(
			"we just installed the github app but none of our older commits show up on the tasks",
			"does it work with gitlab as well?",
			"github-integration",
		);
		expect(gitlab.text).toMatch(/couldn't find an answer/);
	});

	it("reads an elliptical follow-up as asking what the question before it asked", async () => {
		// The eval's case: the reply to the storage question cited the plan-change article first, then the plan comparison.
		const earlier = "How much file storage comes with the free plan?";
		const cited = ["upgrade-downgrade-plan", "compare-plans"];
		const sources = await knowledgeBase(env).retrieve(`${earlier}\nand on Team?`, 3, { boost: cited, prior: "upgrade-downgrade-plan" });
		expect(sources[0]?.id).toBe("upgrade-downgrade-plan");
		// An amount, as the storage question wanted: not the plan-change article's lines on Team.
		expect(composeAnswer("and on Team?", sources, "large", earlier)).toMatch(/100 GB/);
	});

	it("answers a question asking where from an article that says where, before the conversation's article that does not", async () => {
		const earlier = "if i cancel our monthly subscription halfway through the month do i get the rest of the month back?";
		const question = "fine. where do I cancel it?";
		const sources = await knowledgeBase(env).retrieve(`${earlier}\n${question}`, 3, { boost: ["refund-policy"], prior: "refund-policy" });
		expect(sources[0]?.id).toBe("refund-policy");
		const text = composeAnswer(question, sources, "large", earlier);
		expect(citationsFor(text, sources).map((c) => c.id)).toEqual(["request-refund"]);
		expect(text).toMatch(/Settings → Billing → Plan/);
	});

	it("answers from the next article when the first one found does not answer", async () => {
		// The refund policy comes first, and says nothing of email; the request article does.
		const question = "I can't get into the app right now but I need to ask for a refund on our yearly plan. can I do that over email?";
		const { text, sources } = await answer(question);
		expect(sources[0]?.id).toBe("refund-policy");
		expect(citationsFor(text, sources).map((c) => c.id)).toContain("request-refund");
	});

	it("answers a question that stands alone by its own words when the conversation before it leads nowhere", async () => {
		// Found by the bench: asked after "How long is the free trial?", the trial's terms made every pricing passage
		// look off-topic and the question was declined; two declines hand a session to people.
		const question = "How much does the Team plan cost?";
		const sources = await knowledgeBase(env).retrieve(question, 3);
		const text = composeAnswer(question, sources, "large", "How long is the free trial?");
		expect(text).toMatch(/\$8 per member/);
	});

	it("answers a question whose number no article states: a number is a detail, not a topic the help center lacks", async () => {
		// Found by the bench's history section ("Question 45: how do I export my data?", 300 times): with "45" and
		// "question" both unknown to the three articles found, they outweighed "export" and "data", and two declines in a
		// row handed the session to people.
		const question = "Question 45: how do I export my data?";
		const sources = await knowledgeBase(env).retrieve(question, 3);
		expect(sources.map((s) => s.id)).toContain("gdpr-data-export");
		expect(composeAnswer(question, sources)).toMatch(/Export data/);
	});

	it("answers a report of a problem in the user's own words, where a question about a thing no article names is declined", async () => {
		// "mac" and "immediately" are in no article found: told, they are the situation; asked about, a subject.
		const report = "the mac app crashes immediately every time i open it";
		const { text, sources } = await answer(report);
		expect(citationsFor(text, sources).map((c) => c.id)).toEqual(["desktop-app-crashes"]);
		const asked = "does the mac app crash immediately every time i open it?";
		expect(composeAnswer(asked, await knowledgeBase(env).retrieve(asked, 3))).toMatch(/couldn't find an answer/);
	});

	it("answers a report of something misbehaving with its article's fixes, which share no word with it; what the user cannot do gets the steps", async () => {
		const { text, sources } = await answer("stuff i change on my phone isn't showing up on my laptop");
		expect(citationsFor(text, sources).map((c) => c.id)).toEqual(["mobile-sync-issues"]);
		expect(text).toMatch(/Pull down on any list in the Brightdesk app to force a refresh/);
		// "can't log in" is not the product misbehaving: the reset steps, not what to do when their email does not arrive.
		const cannot = await answer("i forgot my password and can't log in, help");
		expect(cannot.text).toMatch(/click "Forgot password\?"/);
		expect(cannot.text).not.toMatch(/spam or junk/);
	});

	it("adds a second article's sentence only while the reply stays within the reply cap, as the prompt's 'be concise' asks", async () => {
		const question = "Can I get a refund on my annual plan?";
		const earlier = "How do I export all of my workspace data?";
		const sources = await knowledgeBase(env).retrieve(question, 3);
		const text = composeAnswer(question, sources, "large", earlier);
		// The refund policy's own answer is long; the request article's sentence would take it past the cap and be cut.
		expect(text.length).toBeLessThanOrEqual(REPLY_CHAR_LIMIT);
		expect(citationsFor(text, sources).map((c) => c.id)).toEqual(["refund-policy"]);
		// A short answer still gets one: the first turn's reply cites both.
		expect(citationsFor(composeAnswer(question, sources), sources).map((c) => c.id)).toEqual(["refund-policy", "request-refund"]);
	});

	it("reads a follow-up with its conversation only, even when that leads nowhere", async () => {
		const vague = "how much does it cost?";
		// Articles that never speak of the trial: read with the conversation they answer nothing, and the
		// question is not read alone instead (it is about the trial).
		const prices: Source = {
			id: "compare-plans",
			title: "Compare plans and pricing",
			body: "Paid plans are priced per member.\n\n## Team plan: $8 per member per month\n\n- 100 GB of file storage",
		};
		expect(composeAnswer(vague, [prices], "large", "How long is the free trial?")).toMatch(/couldn't find an answer/);
		// The help center's own search finds the pricing page, which speaks of the trial too: the answer does.
		const found = await knowledgeBase(env).retrieve(vague, 3);
		expect(composeAnswer(vague, found, "large", "How long is the free trial?")).toMatch(/free trial/);
	});

	it("takes a sentence that says what to do for how an answer is written, not for evidence that it answers", () => {
		// "how do I" asks for steps and nearly every article has one ("Go to …"); here none is about Xero.
		const invoices: Source = {
			id: "invoices",
			title: "Invoices",
			body: "Brightdesk creates an invoice for every charge. Go to Settings → Billing → Invoices to see your invoices.",
			score: 9,
		};
		const text = composeAnswer("and how do I export them to Xero?", [invoices], "large", "where can I find my invoices?");
		expect(text).toMatch(/couldn't find an answer/);
		expect(composeAnswer("how do I see my invoices?", [invoices])).toMatch(/Go to Settings → Billing → Invoices/);
	});

	it("says honestly when the knowledge base has no answer", async () => {
		const { text, sources } = await answer("What is the airspeed velocity of an unladen swallow?");
		expect(text).toMatch(/couldn't find/);
		expect(citationsFor(text, sources)).toEqual([]);
	});

	it("answers the same question from an edited article by the article's new text, though it answered from the old one before", () => {
		const article = (days: string): Source => ({
			id: "refund-timing",
			title: "Refund timing",
			body: `Refunds reach your card within ${days} business days of the request.`,
		});
		const question = "How long does a refund take to reach my card?";
		const before = composeAnswer(question, [article("ten")]);
		expect(composeAnswer(question, [article("ten")])).toBe(before);
		expect(before).toContain("ten business days");
		expect(composeAnswer(question, [article("three")])).toContain("three business days");
	});

	it("greets, thanks and offers a person without pretending to search", async () => {
		expect(composeAnswer("hello!", [])).toMatch(/^Hello!/);
		expect(composeAnswer("thanks a lot", [])).toMatch(/welcome/);
		const { text } = await answer("I want to talk to a human");
		expect(text).toMatch(/talk to a person/);
	});

	it("offers a person with contact details even when the rest of the question is not covered", async () => {
		const { text, sources } = await answer("Can I speak with someone about John Smith's phone number?");
		expect(text).toMatch(/talk to a person/);
		expect(citationsFor(text, sources).map((c) => c.id)).toContain("talk-to-a-human");
	});

	it("streams the answer in chunks that join to the whole", async () => {
		const sources = await knowledgeBase(env).retrieve("reset my password", 3);
		const provider = localProvider({ chunkDelayMs: 0 });
		const chunks: string[] = [];
		for await (const chunk of provider.stream({
			messages: [{ role: "user", content: "How do I reset my password?" }],
			sources,
			maxTokens: 512,
		}))
			chunks.push(chunk);
		expect(chunks.length).toBeGreaterThan(5);
		expect(chunks.join("")).toBe(composeAnswer("How do I reset my password?", sources));
	});

	it("answers all messages of a coalesced turn together", async () => {
		const provider = localProvider({ chunkDelayMs: 0 });
		const sources = await knowledgeBase(env).retrieve("refund annual plan", 3);
		let text = "";
		const messages = [
			{ role: "system" as const, content: "x" },
			{ role: "user" as const, content: "hi" },
			{ role: "user" as const, content: "can I get a refund on an annual plan?" },
		];
		for await (const chunk of provider.stream({ messages, sources, maxTokens: 512 })) text += chunk;
		expect(text).toMatch(/30 days/);
	});
});

describe("the local provider's two models", () => {
	it("answers with the small model what the top article answers, as the large one does but without a second article", async () => {
		let compared = 0;
		for (const q of questions.answerable) {
			const sources = await knowledgeBase(env).retrieve(q.question, 3);
			const large = composeAnswer(q.question, sources);
			if (/couldn't find/.test(large) || citationsFor(large, sources)[0]?.id !== sources[0]?.id) continue;
			const small = composeAnswer(q.question, sources, "small");
			expect(citationsFor(small, sources).map((c) => c.id)).toEqual([sources[0]?.id]);
			expect(large.startsWith(small)).toBe(true);
			compared++;
		}
		expect(compared).toBeGreaterThanOrEqual(15);
	});

	it("declines with the small model what needs another article or several questions at once; the large one answers", async () => {
		for (const question of [
			// With passages, retrieval puts failed-payments first; the answer (bank transfer) is in payment-methods, second.
			"My payment failed, can I pay by bank transfer instead?",
			"How do I reset my password? And how do I turn on two-factor authentication?",
		]) {
			const sources = await knowledgeBase(env).retrieve(question, 3);
			expect(composeAnswer(question, sources, "small")).toMatch(/couldn't find/);
			expect(composeAnswer(question, sources, "large")).not.toMatch(/couldn't find/);
		}
	});

	it("runs the small model, faster, only when a request names it and it has one", async () => {
		const sources = await knowledgeBase(env).retrieve("My payment failed, can I pay by bank transfer instead?", 3);
		const request = {
			messages: [{ role: "user" as const, content: "My payment failed, can I pay by bank transfer instead?" }],
			sources,
			maxTokens: 512,
		};
		const provider = localProvider({ chunkDelayMs: 30, small: { chunkDelayMs: 0 } });
		expect([provider.model, provider.smallModel]).toEqual([LOCAL_MODELS.large, LOCAL_MODELS.small]);
		const timed = async (model?: string) => {
			const started = Date.now();
			let text = "";
			for await (const chunk of provider.stream(model ? { ...request, model } : request)) text += chunk;
			return { text, ms: Date.now() - started };
		};
		const small = await timed(LOCAL_MODELS.small);
		const large = await timed();
		expect(small.text).toMatch(/couldn't find/);
		expect(large.text).not.toMatch(/couldn't find/);
		expect(small.ms).toBeLessThan(large.ms);
		// Without routing there is no small model: a request naming it gets the large one.
		const single = localProvider({ chunkDelayMs: 0 });
		expect(single.smallModel).toBeUndefined();
		let text = "";
		for await (const chunk of single.stream({ ...request, model: LOCAL_MODELS.small })) text += chunk;
		expect(text).toBe(large.text);
	});
});

describe("helpers", () => {
	it("chunkText splits after spaces and loses nothing", () => {
		expect(chunkText("one two three", 8)).toEqual(["one two ", "three"]);
		const long = "a".repeat(50);
		expect(chunkText(long, 16).join("")).toBe(long);
	});

	it("splitPassages separates sentences and list items and strips markdown", () => {
		expect(splitPassages("# Title\n\nFirst **bold**. Second [link](https://x).\n\n1. Step one\n- Item")).toEqual([
			{ text: "First bold." },
			{ text: "Second link." },
			{ text: "1. Step one" },
			{ text: "- Item" },
		]);
	});

	it("splitPassages labels a section's bulleted items with its heading, unless a sentence of their own introduces them", () => {
		const body = "## Team plan: $8 per member\n\n- 100 GB of file storage\n\n## Ending\n\nAfter it ends:\n\n- Projects become read-only";
		expect(splitPassages(body)).toEqual([
			{ text: "- 100 GB of file storage", label: "Team plan: $8 per member", section: "Team plan: $8 per member" },
			{ text: "After it ends:", section: "Ending" },
			{ text: "- Projects become read-only", section: "Ending" },
		]);
	});

	it("reads an acronym the article spells out as its words, where before it declined for a term no article has", () => {
		const gdpr: Source = {
			id: "gdpr-data-export",
			title: "GDPR, privacy and exporting your data",
			body: "Any workspace owner can download and sign the Brightdesk Data Processing Agreement (DPA) from Settings → Security → Compliance. The Brightdesk DPA includes the EU Standard Contractual Clauses and the list of Brightdesk subprocessors.\n\nTo export data, go to Settings → Workspace → Export data.",
		};
		const answer = composeAnswer("does it include the SCCs?", [gdpr], "large", "do you have a DPA we can sign?");
		expect(answer).toContain("Standard Contractual Clauses");
		expect(answer).toMatch(/\[1\]$/);
	});

	it("answers a question about an action's effects in words the article does not use ('what would we lose?') with the effects it states", () => {
		const downgrade: Source = {
			id: "upgrade-downgrade-plan",
			title: "Upgrade or downgrade your plan",
			body: "A downgrade from Business to Team takes effect at the end of the current billing period.\n\n## What changes when you downgrade\n\n- Business to Team: audit logs stop recording, billable rates and budgets become read-only, and the API rate limit drops from 300 to 100 requests per minute.\n\nTo downgrade, go to Settings → Billing → Plan.",
		};
		const answer = composeAnswer("what would we lose?", [downgrade], "large", "if we drop from business to team, when does that happen?");
		expect(answer).toContain("audit logs stop recording");
	});

	it("tells a report of something misbehaving from a question and from what the user cannot do", () => {
		expect(reportsFault("stuff i change on my phone isn't showing up on my laptop")).toBe(true);
		expect(reportsFault("the mac app crashes immediately every time i open it")).toBe(true);
		expect(reportsFault("i'm not getting any push notifications on my iphone")).toBe(true);
		// A canonical question has lost its question mark, not the sentence that asks.
		expect(reportsFault("just got an email that our payment failed. are we going to lose access")).toBe(false);
		expect(reportsFault("why isn't my calendar syncing?")).toBe(false);
		expect(reportsFault("i forgot my password and can't log in, help")).toBe(false);
		expect(reportsFault("got an email about a new sign in from brazil and it definitely wasn't me")).toBe(false);
	});

	it("takes a canonical question's sentences that open like a question as what is asked, the rest as the scene", () => {
		// The canonical form has no question marks left (cache/normalize-question.ts), only where sentences end.
		expect(askedTerms("we paid for a year about 3 weeks ago but we're moving to another tool. do we get anything back")).toEqual([
			{ terms: ["refund"] },
		]);
		expect(askedTerms("how do i export my data. we might be leaving")).toEqual([{ terms: ["export", "data"] }]);
		// With question marks, those decide; with one sentence, the whole turn is asked.
		expect(askedTerms("we are leaving. can i export my data?")).toEqual([{ terms: ["export", "data"] }]);
		expect(askedTerms("the mac app crashes on start")).toEqual([{ terms: ["mac", "crash", "start"] }]);
	});

	it("counts the words of the heading a bulleted item sits under, at half, in picking it: the Starter plan's storage for the Starter plan", () => {
		const plans: Source = {
			id: "compare-plans",
			title: "Compare plans and pricing",
			// Six sections alike, the one asked about last: a tie on the item's own words goes to the earliest.
			body: ["Team", "Business", "Premium", "Growth", "Scale", "Starter"]
				.map((name, i) => `## ${name} plan: $${i * 8} per member per month\n\n- ${i + 1} GB of file storage`)
				.join("\n\n"),
		};
		const answer = composeAnswer("how much file storage comes with the starter plan", [plans], "large");
		expect(answer).toContain("Starter plan: $40 per member per month\n- 6 GB of file storage");
	});

	it("declines whether a thing exists when no sentence names it, however many of its words the article uses apart", () => {
		const browser: Source = {
			id: "app-not-loading",
			title: "The web app does not load in Chrome",
			body: "Brightdesk supports the latest two versions of Chrome, Firefox and Safari.\n\n1. Open the web app in a private window. If it works there, a cached file or an extension is the cause.\n2. Save your work and reload the page.",
		};
		expect(askedTerms("is there a chrome extension so I can save web pages as tasks?")[0]?.subject).toEqual(["chrom", "extens"]);
		expect(composeAnswer("btw is there a chrome extension so I can save web pages as tasks?", [browser])).toMatch(/^I'm sorry/);
		// Named together, it exists; "is there a way to …" names no thing.
		expect(composeAnswer("is there a private window?", [browser])).toContain("private window");
		expect(askedTerms("is there a way to turn a slack message into a task?")[0]?.subject).toBeUndefined();
	});

	it("answers from a bulleted item with the heading it sits under, which holds the fact asked for", () => {
		const plans: Source = {
			id: "compare-plans",
			title: "Compare plans and pricing",
			body: "Paid plans are priced per member.\n\n## Free plan: $0\n\n- 1 GB of file storage\n\n## Team plan: $8 per member per month\n\n- Zapier, webhooks and the public API\n- 100 GB of file storage",
		};
		const answer = composeAnswer("which plan has zapier, and how much is it?", [plans]);
		expect(answer).toContain("Team plan: $8 per member per month\n- Zapier, webhooks and the public API");
	});
});
