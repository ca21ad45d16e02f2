import { describe, expect, it } from "vitest";
import { answersType, answerTypes, withoutAsking } from "../../../src/shared/ai/answer-type";

describe("answerTypes", () => {
	it.each([
		["how far back does that go?", ["duration"]],
		["How quickly do they usually get back to you?", ["duration"]],
		["how long will it take? a couple of them are huge", ["duration"]],
		["whats the cheapest plan that has it, and how much is it?", ["amount"]],
		["how many webhooks can we have on team?", ["count"]],
		["how many days do I have to ask for a refund?", ["duration", "count"]],
		["where do I create a key?", ["place"]],
		["what hours is your support team around?", ["hours"]],
		["how do I connect a pull request to one of our tasks?", ["steps"]],
		["how to switch to annual billing", ["steps"]],
		["brightdesk just shows a blank page in chrome, what should I try?", ["steps"]],
		["I pushed our api key to a public repo, what do I do", ["steps"]],
		["how often do you back up our data?", ["frequency"]],
		["how many times will you try the card again?", ["count"]],
		["what would we lose?", ["consequence"]],
		["what happens to the comments I left in my team's projects?", ["consequence"]],
	])("%j asks for %j", (question, types) => {
		expect(answerTypes(question)).toEqual(types);
	});

	it.each(["does it work with gitlab as well?", "is there an apple watch app too?", "Can I pay with Bitcoin?"])(
		"%j asks yes or no: no kind of fact",
		(question) => {
			expect(answerTypes(question)).toEqual([]);
		},
	);
});

describe("answersType", () => {
	it.each([
		["The reset link expires after 60 minutes.", "duration"],
		["Refunds reach your card within 5-10 business days.", "duration"],
		["A switch to annual billing takes effect immediately.", "duration"],
		["Team costs $8 per member per month.", "amount"],
		["Team includes 100 GB of file storage.", "amount"],
		["Go to Settings → Integrations → API keys.", "place"],
		["Human support works Monday to Friday, 08:00 to 20:00 UTC.", "hours"],
		["To link GitHub work to a Brightdesk task, include the task ID in any of the following:", "steps"],
		['2. Click "Change billing cycle" and choose "Annual".', "steps"],
		["1. Pull down on any list in the app to force a refresh.", "steps"],
		["Brightdesk takes encrypted backups every hour.", "frequency"],
		["We check eligibility once a year.", "frequency"],
		["- Business to Team: audit logs stop recording, and billable rates become read-only.", "consequence"],
		["If nobody chooses a paid plan, the workspace moves to the Free plan on day 15.", "consequence"],
		["Tasks and comments you created stay in that workspace.", "consequence"],
	] as const)("%j holds a %s", (sentence, type) => {
		expect(answersType(sentence, [type])).toBe(true);
	});

	it("does not take any number for a duration, nor a sentence of another kind", () => {
		expect(answersType("Download or print your 10 backup codes.", ["duration"])).toBe(false);
		expect(answersType("The reset link expires after 60 minutes.", ["amount", "place"])).toBe(false);
		expect(answersType("The reset link expires after 60 minutes.", [])).toBe(false);
		expect(answersType("The Brightdesk GitHub integration links branches to tasks.", ["steps"])).toBe(false);
		expect(answersType("Backups are kept for 30 days.", ["frequency"])).toBe(false);
		expect(answersType('Go to Settings → Billing → Plan and click "Change plan".', ["consequence"])).toBe(false);
	});
});

describe("withoutAsking", () => {
	it("drops the words that ask for a kind of fact, which name nothing the answer repeats", () => {
		expect(withoutAsking("how quickly do they reply?")).not.toMatch(/quickly/);
		expect(withoutAsking("how far back does the audit log go?")).toMatch(/audit log go/);
		expect(withoutAsking("how far back does the audit log go?")).not.toMatch(/far|back/);
		expect(withoutAsking("how many times will you try the card?")).not.toMatch(/times/);
	});
});
