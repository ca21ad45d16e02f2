import { QUICK_QUESTIONS } from "../load/behaviours/questions";
import type { Dialogue, EvalTurn, Expectation } from "./dialogues";

/**
 * Back-to-back questions: the load suite's 16 quick questions (load/behaviours/questions.ts), each
 * asked in a fresh session, then the question 8 places on (unrelated, with no "another question"
 * before it), then the first again. Built this way because the bench's throughput step asks them
 * so, which is how it found, on 2026-12-04, that the product declined "How much does the Team plan
 * cost?" after the free-trial question and answered the export question from the refund article
 * (docs/retrieval.md). Those two were fixed while reading these pairs, so this set is tuned on:
 * it guards that class of failure, and says how much of it is left; it does not measure
 * generalisation (the held-out set does). The expected article and facts were read from the
 * articles; a fact is any sentence part the article states of the question.
 */
export const BACK_TO_BACK_ANSWERS: Record<(typeof QUICK_QUESTIONS)[number], Extract<Expectation, { kind: "answer" }>> = {
	"How do I reset my password?": { kind: "answer", article: "reset-password", fact: ['click "Forgot password?"'] },
	"Can I get a refund on my annual plan?": {
		kind: "answer",
		article: "refund-policy",
		fact: ["within 30 days of the purchase or renewal date"],
	},
	"How much does the Team plan cost?": { kind: "answer", article: "compare-plans", fact: ["$8 per member per month billed annually"] },
	"How do I connect Slack?": { kind: "answer", article: "slack-integration", fact: ["Settings → Integrations → Slack"] },
	"How do I connect Brightdesk to GitHub?": { kind: "answer", article: "github-integration", fact: ["Settings → Integrations → GitHub"] },
	"Where can I download my invoices?": { kind: "answer", article: "invoices-and-receipts", fact: ["Settings → Billing → Invoices"] },
	"How do I turn on two-factor authentication?": {
		kind: "answer",
		article: "two-factor-authentication",
		fact: ["Profile → Security → Two-factor authentication"],
	},
	"My payment failed, what happens now?": {
		kind: "answer",
		article: "failed-payments",
		fact: ["retries the charge automatically 3 times", "Workspace access continues normally"],
	},
	"Is SAML single sign-on available on my plan?": { kind: "answer", article: "sso-saml", fact: ["available on the Enterprise plan"] },
	"How do I export all of my workspace data?": {
		kind: "answer",
		article: "gdpr-data-export",
		fact: ["Settings → Workspace → Export data"],
	},
	"How long is the free trial?": { kind: "answer", article: "free-trial", fact: ["14-day free trial"] },
	"Do you offer a nonprofit discount?": { kind: "answer", article: "nonprofit-education-discounts", fact: ["50% discount"] },
	"Which payment methods do you accept?": {
		kind: "answer",
		article: "payment-methods",
		fact: ["Visa, Mastercard, American Express and Discover"],
	},
	"How do I switch from monthly to annual billing?": {
		kind: "answer",
		article: "change-billing-cycle",
		fact: ['Click "Change billing cycle" and choose "Annual"'],
	},
	"How do I change the email address on my account?": {
		kind: "answer",
		article: "change-email",
		fact: ["Profile → Account → Email address"],
	},
	"How do I add a member to my workspace?": {
		kind: "answer",
		article: "manage-seats",
		fact: ['Settings → Members and click "Invite members"'],
	},
};

/**
 * The bench's throughput step sends its 40 sessions the 16 questions round-robin, so session k
 * asks question k and question k + 40 mod 16 = k + 8 by turns.
 */
const BENCH_SESSIONS = 40;
const OTHER = BENCH_SESSIONS % QUICK_QUESTIONS.length;

export const BACK_TO_BACK: Dialogue[] = QUICK_QUESTIONS.map((question, k) => {
	const other = QUICK_QUESTIONS[(k + OTHER) % QUICK_QUESTIONS.length] ?? question;
	const turn = (user: (typeof QUICK_QUESTIONS)[number], category: EvalTurn["category"]): EvalTurn => ({
		user,
		category,
		expect: BACK_TO_BACK_ANSWERS[user],
	});
	return { id: `back-to-back-${k + 1}`, turns: [turn(question, "first"), turn(other, "switch"), turn(question, "switch")] };
});
