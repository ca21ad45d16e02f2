/**
 * A follow-up answered as a chat turn answers it: its search refined by the
 * conversation (conversational-query.ts) on the real KnowledgeBase, then the
 * local model reading the transcript (ai/local.ts). The issue's own example:
 * after a password reset question, "how long is the link valid?" was answered
 * from the data-export article (its link is valid for 7 days).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { localProvider } from "../../../src/shared/ai/local";
import { normalizeQuestion } from "../../../src/shared/cache";
import type { Message } from "../../../src/shared/schemas/message";
import { knowledgeBase } from "../../../src/shared/stubs";
import { DISCARD, generateReply } from "../../../src/shared/turn/answer-turn";
import { conversationalQuery } from "../../../src/shared/turn/conversational-query";
import { messageFactory } from "../../support/messages";

const message = messageFactory();

async function reply(history: Message[]) {
	const last = history.at(-1);
	if (!last) throw new Error("empty history");
	const turn = { summary: null, history, replyTo: [last.id] };
	const { query, boost, ifUnsure } = conversationalQuery(turn);
	const sources = await knowledgeBase(env).retrieve(normalizeQuestion(query), 3, {
		boost,
		...(ifUnsure ? { ifUnsure: normalizeQuestion(ifUnsure) } : {}),
	});
	return generateReply(turn, sources, localProvider({ chunkDelayMs: 0 }), DISCARD);
}

describe("follow-ups", () => {
	const reset = () => [
		message("user", "How do I reset my password?"),
		message("assistant", "Click Forgot password… [1]", ["reset-password"]),
	];

	it.each(["And how long is the link valid?", "how long is the link good for?"])(
		"%j after a reset question: the reset link's 60 minutes",
		async (text) => {
			const answer = await reply([...reset(), message("user", text)]);
			expect(answer?.text).toMatch(/60 minutes/);
			expect(answer?.citations.map((c) => c.id)).toContain("reset-password");
			expect(answer?.text).not.toMatch(/7 days/);
		},
	);

	it("answers a follow-up from the sentence that speaks to its own word, not the ones that repeat the conversation's", async () => {
		const history = [
			message("user", "how do i turn on 2 factor for my account"),
			message("assistant", "Go to Profile → Security → Two-factor authentication… [1]", ["two-factor-authentication"]),
			message("user", "can I use my yubikey instead of an app?"),
		];
		const answer = await reply(history);
		expect(answer?.text).toMatch(/YubiKey/);
		expect(answer?.citations.map((c) => c.id)).toContain("two-factor-authentication");
	});

	it.each([
		["We'd like the nonprofit discount", "nonprofit-education-discounts", "how long does approval take?", /5 business days/],
		["someone deleted a project, can I see who in the audit log?", "audit-logs", "how far back does it go?", /90 days/],
		["How do I set up a webhook?", "zapier-and-webhooks", "how many can we have?", /\d+ webhooks/],
	])("after %j, %j asks for a kind of fact; a sentence of that kind answers it", async (first, article, text, fact) => {
		const answer = await reply([message("user", first), message("assistant", "… [1]", [article]), message("user", text)]);
		expect(answer?.citations.map((c) => c.id)).toContain(article);
		expect(answer?.text).toMatch(fact);
	});

	it("declines a follow-up about something the help center never mentions", async () => {
		const history = [
			message("user", "we just installed the github app but none of our older commits show up on the tasks"),
			message("assistant", "The GitHub integration links … [1]", ["github-integration"]),
			message("user", "does it work with gitlab as well?"),
		];
		const answer = await reply(history);
		expect(answer?.text).toMatch(/couldn't find an answer/);
		expect(answer?.citations).toEqual([]);
	});

	it("answers a new topic from its own words, not the conversation's", async () => {
		const answer = await reply([...reset(), message("user", "thanks! another question: can I import my boards from Trello?")]);
		expect(answer?.citations.map((c) => c.id)).toEqual(["import-csv-trello"]);
	});
});
