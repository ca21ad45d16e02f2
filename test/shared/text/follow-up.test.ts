import { describe, expect, it } from "vitest";
import { dependsOnContext, isElliptical, leanedOn, opensNewTopic } from "../../../src/shared/text/follow-up";

describe("dependsOnContext", () => {
	it.each([
		"And how long is the link valid?",
		"what about monthly ones?",
		"does that also work on the phone app?",
		"how long does it take?",
		"and if I'm on the Team plan?",
		"can I undo it?",
		"where do I find that setting?",
		"ok and the price?",
		"Is it free?",
		"why?",
		"how much does it cost?",
		"Does Brightdesk keep it?",
		// A wh-question naming one thing at most: about the last topic.
		"what would we lose?",
		// Everyday verbs name nothing: "try" is not a thing the question is about.
		"how many times will you try the card again?",
		// Pointing back and adding to or setting against it, however many topic terms it names.
		"does it show edits to individual tasks as well?",
		"once it's set up, can people still sign in with their normal passwords?",
		"could I get them as Slack DMs instead?",
	])("a follow-up: %s", (text) => {
		expect(dependsOnContext(text)).toBe(true);
	});

	it.each([
		"How do I reset my password?",
		"Can I get a refund on my annual plan?",
		"thanks! another question: do you integrate with Slack?",
		"Do you integrate with Slack?",
		"How do I turn on two-factor authentication?",
		"My invoices are missing the VAT number, how do I add it to the receipts?",
		"Also, unrelated: how do I export my data under GDPR?",
		"What payment methods do you accept?",
		// Everyday words capitalised mid-sentence are a name: this asks about one plan, where "how much does it cost?" leans.
		"How much does the Team plan cost?",
		"Is the Business plan billed per member?",
		"How do I delete my account?",
		"Do you have SSO?",
		"Can my whole team still use the old desktop app?",
	])("stands alone: %s", (text) => {
		expect(dependsOnContext(text)).toBe(false);
	});
});

describe("isElliptical", () => {
	it.each(["and on Business?", "what about monthly ones?", "and on a weekend if our whole workspace goes down? we're on enterprise"])(
		"asks what the question before it asked: %s",
		(text) => {
			expect(isElliptical(text)).toBe(true);
		},
	);

	it.each(["and if it never gets paid, do you delete our stuff?", "how long does it take?", "and how long is the link valid?"])(
		"asks a question of its own: %s",
		(text) => {
			expect(isElliptical(text)).toBe(false);
		},
	);
});

describe("opensNewTopic", () => {
	it.each([
		"thanks! another question: do you integrate with Slack?",
		"unrelated, but which browsers do you support?",
		"Different question - where are my invoices?",
	])("announces one: %s", (text) => expect(opensNewTopic(text)).toBe(true));
	it.each(["btw how many of those can we have on team?", "and what about monthly ones?"])("does not: %s", (text) => {
		expect(opensNewTopic(text)).toBe(false);
	});
});

describe("leanedOn", () => {
	it("takes the last question, and the ones before it while they are follow-ups too", () => {
		expect(leanedOn(["Where are my invoices?", "How do I reset my password?", "and how long is the link valid?"])).toEqual([
			"How do I reset my password?",
			"and how long is the link valid?",
		]);
		expect(leanedOn(["How do I reset my password?", "Do you integrate with Slack?"])).toEqual(["Do you integrate with Slack?"]);
		expect(leanedOn([])).toEqual([]);
	});
});
