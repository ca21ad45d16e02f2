/**
 * Which messages are about the user's own account, and which back-office
 * tool answers each (CONTRACT §8), while help-center questions, even ones
 * about refunds, plans and payments, are left to the articles. Every user
 * message of the answer-quality eval is a help-center question: its sessions
 * are anonymous, and must keep getting the articles' answers.
 */
import { describe, expect, it } from "vitest";
import { DIALOGUES } from "../../../eval/dialogues";
import { COMPLEX_THREADS, QUICK_QUESTIONS } from "../../../load/behaviours/questions";
import { accountIntent } from "../../../src/shared/text/account-question";

describe("accountIntent", () => {
	it.each([
		["why did my last payment fail?", { tool: "list_invoices" }],
		["what was my last charge?", { tool: "list_invoices" }],
		["show me our invoices", { tool: "list_invoices" }],
		["which of our invoices are unpaid?", { tool: "list_invoices" }],
		["when does my plan renew?", { tool: "get_subscription" }],
		["When is my plan renewing?", { tool: "get_subscription" }],
		["when does our subscription expire?", { tool: "get_subscription" }],
		["what plan am I on?", { tool: "get_subscription" }],
		["when is our renewal date?", { tool: "get_subscription" }],
		["what is my current subscription?", { tool: "get_subscription" }],
		["I want a refund for INV-1001", { tool: "request_refund", invoiceId: "INV-1001" }],
		["refund inv-1001", { tool: "request_refund", invoiceId: "INV-1001" }],
		["I'd like a refund please", { tool: "request_refund" }],
		["can I get a refund for my last invoice?", { tool: "request_refund" }],
		["please resend my invoice", { tool: "resend_invoice" }],
		["can you send me my latest invoice again?", { tool: "resend_invoice" }],
		["email me a copy of my receipt", { tool: "resend_invoice" }],
		["can you resend invoice inv-2002?", { tool: "resend_invoice", invoiceId: "INV-2002" }],
	])("%j is for the account: %j", (text, intent) => {
		expect(accountIntent(text)).toEqual(intent);
	});

	it("treats a message naming an invoice as about the account, even when it asks how", () => {
		expect(accountIntent("how do I get a refund for INV-1001?")).toEqual({ tool: "request_refund", invoiceId: "INV-1001" });
	});

	it.each([
		"How do I request a refund?",
		"what is your refund policy?",
		"how long does a refund take?",
		"can I get a refund on an annual plan?",
		"how do I update my payment method?",
		"why is there VAT on our bill?",
		"Just got an email that our payment failed. Are we going to lose access?",
		"I want to upgrade my plan",
		"How many seats does the Team plan include?",
		"Can I get a refund on my annual plan?",
		"Is SAML single sign-on available on my plan?",
		"Which other payment methods can we use?",
		"My payment failed, what happens now?",
	])("%j is for the help center", (text) => {
		expect(accountIntent(text)).toBeUndefined();
	});

	it("leaves the load suite's and the bench's questions to the help center: their sessions are anonymous", () => {
		const questions = [...QUICK_QUESTIONS, ...COMPLEX_THREADS.flat()];
		expect(questions.length).toBeGreaterThan(15);
		expect(questions.filter((q) => accountIntent(q) !== undefined)).toEqual([]);
	});

	it("leaves every user message of the answer-quality eval to the help center", () => {
		const turns = DIALOGUES.flatMap((dialogue) => dialogue.turns.map((turn) => ({ dialogue: dialogue.id, user: turn.user })));
		// The eval is not empty, or this proves nothing.
		expect(turns.length).toBeGreaterThan(50);
		const hits = turns.flatMap(({ dialogue, user }) => {
			const intent = accountIntent(user);
			return intent ? [`${dialogue}: ${JSON.stringify(user)} -> ${JSON.stringify(intent)}`] : [];
		});
		expect(
			hits,
			`eval messages read as account questions (anonymous eval sessions would be asked to sign in):\n${hits.join("\n")}`,
		).toEqual([]);
	});
});
