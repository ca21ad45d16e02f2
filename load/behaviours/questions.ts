/**
 * What the simulated users ask: realistic questions the sample knowledge base
 * (src/shared/kb/articles/*.md) answers, so replies are grounded, cited
 * answers of realistic length rather than "I couldn't find that".
 */

export const QUICK_QUESTIONS = [
	"How do I reset my password?",
	"Can I get a refund on my annual plan?",
	"How much does the Team plan cost?",
	"How do I connect Slack?",
	"How do I connect Brightdesk to GitHub?",
	"Where can I download my invoices?",
	"How do I turn on two-factor authentication?",
	"My payment failed, what happens now?",
	"Is SAML single sign-on available on my plan?",
	"How do I export all of my workspace data?",
	"How long is the free trial?",
	"Do you offer a nonprofit discount?",
	"Which payment methods do you accept?",
	"How do I switch from monthly to annual billing?",
	"How do I change the email address on my account?",
	"How do I add a member to my workspace?",
] as const;

/** Bursts a user types in quick succession; the product may answer a burst with one reply. */
export const COMPLEX_THREADS: readonly (readonly string[])[] = [
	[
		"Hi, I'm on the annual Team plan.",
		"I was charged at renewal but we no longer need it.",
		"Can I still get a refund, and how do I request it?",
	],
	[
		"We're a 40 person company looking at Brightdesk.",
		"What's the difference between the Business and Enterprise plans?",
		"Do we need Enterprise for SSO?",
	],
	["Our Slack notifications stopped.", "How do I reconnect the Slack integration?"],
	["I lost my phone with my authenticator app.", "How do I get back into my account with two-factor authentication on?"],
	["Our card payment failed this month.", "What happens to the workspace now?", "Which other payment methods can we use?"],
	["I want to leave Brightdesk.", "How do I export all our data first?", "Then how do I delete the workspace?"],
	["Can I link GitHub pull requests to tasks?", "Does it close the task when the pull request is merged?"],
	["Where do I find my invoices?", "Can I add our VAT number to them?"],
];

/** Follow-ups after the first answer, as a user digs into the topic. */
export const FOLLOW_UPS = [
	"Thanks! And how do I download a receipt for that?",
	"Does that also apply to the Business plan?",
	"How do I set up SSO with Okta?",
	"Can I pay by bank transfer instead?",
	"How do I get a human to look at this?",
	"Is there an audit log of who changed this?",
] as const;

/** What users type into the help-centre search box. */
export const KB_QUERIES = [
	"refund",
	"reset password",
	"pricing plans",
	"slack integration",
	"github pull request",
	"sso saml okta",
	"invoice vat",
	"export data gdpr",
	"two-factor authentication",
	"failed payment",
	"free trial",
	"api rate limits",
	"mobile app not syncing",
	"import trello csv",
] as const;
