/**
 * Answer-quality evaluation set for the support chatbot.
 *
 * Each dialogue is 1 to 3 user turns, written from the 34 help-center articles
 * (src/shared/kb/articles/*.md) the way a real user would type them into the chat
 * widget, before any tuning of retrieval and without looking at the retrieval or
 * answering code. Follow-ups lean on the earlier turns (pronouns, ellipsis,
 * "what about…"); switches change topic mid-dialogue; unanswerable turns ask about
 * things no article covers.
 *
 * How expectations are checked:
 * - `answer`: the bot's reply must contain at least one of the `fact` strings
 *   (case-insensitive substring, copied verbatim from the article) and must cite
 *   the article whose front-matter id is `article`.
 * - `decline`: the bot must say it does not know / cannot find it (and offer a
 *   human) instead of guessing.
 * - `handoff` and `silent` (added with CONTRACT §7, which gave the product people to hand
 *   a conversation to; the user's words are unchanged): a request for a person gets the
 *   short handoff answer, and the assistant then stays silent while people answer.
 */
export type Expectation =
	/** The answer must contain one of `fact` (case-insensitive substring) and cite the article `article` (its front-matter id). */
	| { kind: "answer"; article: string; fact: string[] }
	/** The help center does not answer this: the bot must decline rather than guess. */
	| { kind: "decline" }
	/** A request for a person: the short handoff answer, citing nothing (CONTRACT §7). */
	| { kind: "handoff" }
	/** People answer the conversation now: no reply from the assistant. */
	| { kind: "silent" };

export interface EvalTurn {
	/** What the user types. */
	user: string;
	/** first: the opening question; follow_up: leans on an earlier turn (pronoun, ellipsis, "what about…", no topic of its own); switch: a new, standalone question later in the dialogue; unanswerable: not covered by the help center. */
	category: "first" | "follow_up" | "switch" | "unanswerable" | "handoff";
	expect: Expectation;
}

export interface Dialogue {
	id: string;
	turns: EvalTurn[];
}

export const DIALOGUES: Dialogue[] = [
	{
		id: "forgot-password",
		turns: [
			{
				user: "i forgot my password and can't log in, help",
				category: "first",
				expect: {
					kind: "answer",
					article: "reset-password",
					fact: ["Forgot password?", "Send reset link", "app.brightdesk.example/login"],
				},
			},
			{
				user: "how long is the link good for?",
				category: "follow_up",
				expect: { kind: "answer", article: "reset-password", fact: ["60 minutes"] },
			},
			{
				user: "after I reset it do I still need the code from my authenticator app?",
				category: "follow_up",
				expect: { kind: "answer", article: "reset-password", fact: ["stays enabled"] },
			},
		],
	},
	{
		id: "reset-email-missing",
		turns: [
			{
				user: "I've requested a reset link like 3 times and nothing shows up in my inbox",
				category: "first",
				expect: { kind: "answer", article: "reset-password", fact: ["spam or junk", "no-reply@brightdesk.example"] },
			},
			{
				user: "fwiw our company logs in through okta, does that change anything?",
				category: "follow_up",
				expect: { kind: "answer", article: "reset-password", fact: ["IT team", "identity provider"] },
			},
		],
	},
	{
		id: "annual-refund",
		turns: [
			{
				user: "We paid for a year of Team about 3 weeks ago but we're moving to another tool. Do we get anything back?",
				category: "first",
				expect: { kind: "answer", article: "refund-policy", fact: ["pro-rata", "30 days"] },
			},
			{
				user: "how is that amount worked out?",
				category: "follow_up",
				expect: { kind: "answer", article: "refund-policy", fact: ["unused full months", "$880"] },
			},
			{
				user: "ok how do i actually ask for it?",
				category: "follow_up",
				expect: { kind: "answer", article: "request-refund", fact: ["Request a refund", "Cancel plan"] },
			},
		],
	},
	{
		id: "monthly-cancel",
		turns: [
			{
				user: "if i cancel our monthly subscription halfway through the month do i get the rest of the month back?",
				category: "first",
				expect: {
					kind: "answer",
					article: "refund-policy",
					fact: ["not refunded", "does not refund monthly plans", "including partial months"],
				},
			},
			{
				user: "so do we lose the paid stuff right away?",
				category: "follow_up",
				expect: { kind: "answer", article: "refund-policy", fact: ["end of the month already paid", "end of the current billing period"] },
			},
			{
				user: "fine. where do I cancel it?",
				category: "follow_up",
				expect: { kind: "answer", article: "request-refund", fact: ["Settings → Billing → Plan → Cancel plan", "Cancel plan"] },
			},
		],
	},
	{
		id: "refund-by-email",
		turns: [
			{
				user: "I can't get into the app right now but I need to ask for a refund on our yearly plan. can I do that over email?",
				category: "first",
				expect: { kind: "answer", article: "request-refund", fact: ["support@brightdesk.example"] },
			},
			{
				user: "how quickly do they usually get back to you on that?",
				category: "follow_up",
				expect: { kind: "answer", article: "request-refund", fact: ["2 business days"] },
			},
			{
				user: "and what happens to our projects once the refund goes through?",
				category: "follow_up",
				expect: { kind: "answer", article: "request-refund", fact: ["Free plan immediately", "become read-only"] },
			},
		],
	},
	{
		id: "monthly-to-annual",
		turns: [
			{
				user: "how do I switch us from paying monthly to paying once a year?",
				category: "first",
				expect: { kind: "answer", article: "change-billing-cycle", fact: ["Change billing cycle"] },
			},
			{
				user: "does that kick in right away or at the next renewal?",
				category: "follow_up",
				expect: { kind: "answer", article: "change-billing-cycle", fact: ["takes effect immediately", "immediately"] },
			},
			{
				user: "and going back the other way?",
				category: "follow_up",
				expect: { kind: "answer", article: "change-billing-cycle", fact: ["next renewal date", "renewal date"] },
			},
		],
	},
	{
		id: "renewal-reminders",
		turns: [
			{
				user: "Will you warn me before our annual subscription renews? Don't want a surprise charge on the company card",
				category: "first",
				expect: { kind: "answer", article: "change-billing-cycle", fact: ["30 days and 7 days"] },
			},
			{
				user: "what about monthly ones?",
				category: "follow_up",
				expect: { kind: "answer", article: "change-billing-cycle", fact: ["without a reminder"] },
			},
			{
				user: "thanks. separate question - can our accounts payable inbox get a copy of every invoice as well?",
				category: "switch",
				expect: { kind: "answer", article: "invoices-and-receipts", fact: ["3 extra billing email", "up to 3 extra"] },
			},
		],
	},
	{
		id: "storage-per-plan",
		turns: [
			{
				user: "how much file storage do we get on the team plan?",
				category: "first",
				expect: { kind: "answer", article: "compare-plans", fact: ["100 GB"] },
			},
			{
				user: "and on business?",
				category: "follow_up",
				expect: { kind: "answer", article: "compare-plans", fact: ["1 TB"] },
			},
			{
				user: "ok how do I move us up to that one?",
				category: "follow_up",
				expect: { kind: "answer", article: "upgrade-downgrade-plan", fact: ["Change plan", "Settings → Billing → Plan"] },
			},
		],
	},
	{
		id: "sso-okta",
		turns: [
			{
				user: "can we log in to brightdesk with okta? like proper SSO",
				category: "first",
				expect: { kind: "answer", article: "sso-saml", fact: ["Enterprise"] },
			},
			{
				user: "once it's set up, can people still sign in with their normal passwords?",
				category: "follow_up",
				expect: { kind: "answer", article: "sso-saml", fact: ["Require SSO", "fallback"] },
			},
			{
				user: "ok and the price?",
				category: "follow_up",
				expect: { kind: "answer", article: "compare-plans", fact: ["custom pricing", "sales@brightdesk.example"] },
			},
		],
	},
	{
		id: "2fa-setup",
		turns: [
			{
				user: "how do i turn on 2 factor for my account",
				category: "first",
				expect: { kind: "answer", article: "two-factor-authentication", fact: ["Profile → Security → Two-factor authentication"] },
			},
			{
				user: "can I use my yubikey instead of an app?",
				category: "follow_up",
				expect: { kind: "answer", article: "two-factor-authentication", fact: ["YubiKey", "security key"] },
			},
			{
				user: "what if i lose my phone?",
				category: "follow_up",
				expect: { kind: "answer", article: "two-factor-authentication", fact: ["backup code"] },
			},
		],
	},
	{
		id: "2fa-lost-everything",
		turns: [
			{
				user: "Lost my phone AND my backup codes so I can't get past the 6 digit code screen. what now",
				category: "first",
				expect: { kind: "answer", article: "two-factor-authentication", fact: ["support@brightdesk.example", "verifies your identity"] },
			},
			{
				user: "how long does that usually take?",
				category: "follow_up",
				expect: { kind: "answer", article: "two-factor-authentication", fact: ["3 business days"] },
			},
		],
	},
	{
		id: "api-rate-limit",
		turns: [
			{
				user: "how many API requests can we make on the Business plan?",
				category: "first",
				expect: { kind: "answer", article: "api-keys-and-rate-limits", fact: ["300 requests per minute"] },
			},
			{
				user: "what happens when we go over?",
				category: "follow_up",
				expect: { kind: "answer", article: "api-keys-and-rate-limits", fact: ["429", "Retry-After"] },
			},
			{
				user: "where do I create a key?",
				category: "follow_up",
				expect: { kind: "answer", article: "api-keys-and-rate-limits", fact: ["Settings → Integrations → API keys"] },
			},
		],
	},
	{
		id: "leaked-api-key",
		turns: [
			{
				user: "I accidentally pushed our brightdesk api key to a public github repo 😬 what do I do",
				category: "first",
				expect: { kind: "answer", article: "api-keys-and-rate-limits", fact: ["revoke", "Settings → Integrations → API keys"] },
			},
			{
				user: "once I do that, how fast does it stop working?",
				category: "follow_up",
				expect: { kind: "answer", article: "api-keys-and-rate-limits", fact: ["within 1 minute", "1 minute"] },
			},
		],
	},
	{
		id: "webhook-outage",
		turns: [
			{
				user: "our server that receives your webhooks was down for a few hours, will we miss those events?",
				category: "first",
				expect: { kind: "answer", article: "zapier-and-webhooks", fact: ["up to 5 times", "5 times over 24 hours"] },
			},
			{
				user: "it now shows the webhook as disabled. how do I get it going again?",
				category: "follow_up",
				expect: { kind: "answer", article: "zapier-and-webhooks", fact: ["Settings → Integrations → Webhooks", "fix the endpoint"] },
			},
			{
				user: "btw how many of those can we have on team?",
				category: "follow_up",
				expect: { kind: "answer", article: "zapier-and-webhooks", fact: ["20 webhooks"] },
			},
		],
	},
	{
		id: "zapier-free",
		turns: [
			{
				user: "can i hook brightdesk up to zapier on the free plan?",
				category: "first",
				expect: { kind: "answer", article: "zapier-and-webhooks", fact: ["Team, Business and Enterprise"] },
			},
			{
				user: "whats the cheapest plan that has it then, and how much is it?",
				category: "follow_up",
				expect: { kind: "answer", article: "compare-plans", fact: ["$8 per member", "$10"] },
			},
			{
				user: "unrelated, but which browsers do you support? some of our folks are on a pretty old safari",
				category: "switch",
				expect: { kind: "answer", article: "app-not-loading", fact: ["latest two versions"] },
			},
		],
	},
	{
		id: "slack-tasks",
		turns: [
			{
				user: "is there a way to turn a slack message into a task?",
				category: "first",
				expect: { kind: "answer", article: "slack-integration", fact: ["Create Brightdesk task", "/brightdesk new"] },
			},
			{
				user: "nice, is that on the free plan too?",
				category: "follow_up",
				expect: { kind: "answer", article: "slack-integration", fact: ["including Free", "every Brightdesk plan"] },
			},
			{
				user: "the updates stopped showing up in one of our private channels though",
				category: "follow_up",
				expect: { kind: "answer", article: "slack-integration", fact: ["/invite @Brightdesk"] },
			},
		],
	},
	{
		id: "github-pr-link",
		turns: [
			{
				user: "how do I connect a pull request to one of our tasks?",
				category: "first",
				expect: { kind: "answer", article: "github-integration", fact: ["task ID", "BD-142"] },
			},
			{
				user: "what happens to the task when I open the PR?",
				category: "follow_up",
				expect: { kind: "answer", article: "github-integration", fact: ["In review"] },
			},
			{
				user: "can I change that?",
				category: "follow_up",
				expect: { kind: "answer", article: "github-integration", fact: ["Automations"] },
			},
		],
	},
	{
		id: "github-old-commits",
		turns: [
			{
				user: "we just installed the github app but none of our older commits show up on the tasks",
				category: "first",
				expect: { kind: "answer", article: "github-integration", fact: ["commits made before", "before the GitHub integration"] },
			},
			{
				user: "does it work with gitlab as well?",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
		],
	},
	{
		id: "gcal-sync",
		turns: [
			{
				user: "how long does it take for a new task to show up in google calendar?",
				category: "first",
				expect: { kind: "answer", article: "google-calendar-integration", fact: ["15 minutes", "5 minutes"] },
			},
			{
				user: "and if I drag it to another day in the calendar, does the due date in brightdesk move too?",
				category: "follow_up",
				expect: { kind: "answer", article: "google-calendar-integration", fact: ["changes the task's due date", "task's due date"] },
			},
			{
				user: "my coworker is on outlook, can she do the same?",
				category: "follow_up",
				expect: { kind: "answer", article: "google-calendar-integration", fact: ["iCal feed", "Calendar feed"] },
			},
		],
	},
	{
		id: "csv-import-dates",
		turns: [
			{
				user: "trying to import a spreadsheet and every row fails with 'invalid date'",
				category: "first",
				expect: { kind: "answer", article: "import-csv-trello", fact: ["YYYY-MM-DD"] },
			},
			{
				user: "whats the max file size?",
				category: "follow_up",
				expect: { kind: "answer", article: "import-csv-trello", fact: ["10 MB", "10,000 rows"] },
			},
			{
				user: "i messed up the import, can I undo it?",
				category: "follow_up",
				expect: { kind: "answer", article: "import-csv-trello", fact: ["Revert import", "7 days"] },
			},
		],
	},
	{
		id: "trello-move",
		turns: [
			{
				user: "we're moving over from trello, can we bring our boards with us?",
				category: "first",
				expect: { kind: "answer", article: "import-csv-trello", fact: ["Settings → Import → Trello", "Connect Trello"] },
			},
			{
				user: "how long will it take? a couple of them are huge",
				category: "follow_up",
				expect: { kind: "answer", article: "import-csv-trello", fact: ["30 minutes"] },
			},
			{
				user: "what about attachments, any size limit?",
				category: "follow_up",
				expect: { kind: "answer", article: "import-csv-trello", fact: ["25 MB"] },
			},
		],
	},
	{
		id: "invoice-download",
		turns: [
			{
				user: "where can I download our past invoices?",
				category: "first",
				expect: { kind: "answer", article: "invoices-and-receipts", fact: ["Settings → Billing → Invoices", "Download PDF"] },
			},
			{
				user: "the one from last month is missing our company name, can that be fixed?",
				category: "follow_up",
				expect: { kind: "answer", article: "invoices-and-receipts", fact: ["90 days", "reissue"] },
			},
			{
				user: "different topic: can we pay by bank transfer instead of card? our finance dept prefers that",
				category: "switch",
				expect: { kind: "answer", article: "payment-methods", fact: ["$5,000"] },
			},
		],
	},
	{
		id: "vat-germany",
		turns: [
			{
				user: "We're a German company with a valid VAT ID, why is there VAT on our bill?",
				category: "first",
				expect: {
					kind: "answer",
					article: "taxes-and-vat",
					fact: ["reverse charge", "reverse-charge", "Settings → Billing → Billing details"],
				},
			},
			{
				user: "can we get it back for the invoices we already paid?",
				category: "follow_up",
				expect: { kind: "answer", article: "taxes-and-vat", fact: ["90 days"] },
			},
		],
	},
	{
		id: "audit-log",
		turns: [
			{
				user: "someone deleted a project in our workspace, can I find out who?",
				category: "first",
				expect: { kind: "answer", article: "audit-logs", fact: ["Settings → Security → Audit log"] },
			},
			{
				user: "how far back does that go? we're on business",
				category: "follow_up",
				expect: { kind: "answer", article: "audit-logs", fact: ["90 days"] },
			},
			{
				user: "does it show edits to individual tasks as well?",
				category: "follow_up",
				expect: { kind: "answer", article: "audit-logs", fact: ["Activity tab"] },
			},
		],
	},
	{
		id: "failed-payment",
		turns: [
			{
				user: "Just got an email that our payment failed. Are we going to lose access?",
				category: "first",
				expect: { kind: "answer", article: "failed-payments", fact: ["continues normally", "14 days"] },
			},
			{
				user: "how many times will you try the card again?",
				category: "follow_up",
				expect: { kind: "answer", article: "failed-payments", fact: ["3 times"] },
			},
			{
				user: "and if it never gets paid, do you delete our stuff?",
				category: "follow_up",
				expect: { kind: "answer", article: "failed-payments", fact: ["never deletes workspace data", "never deletes"] },
			},
		],
	},
	{
		id: "seat-proration",
		turns: [
			{
				user: "if I add someone to our workspace halfway through the month, do we pay for the full month?",
				category: "first",
				expect: { kind: "answer", article: "manage-seats", fact: ["prorated"] },
			},
			{
				user: "and if we're on yearly billing?",
				category: "follow_up",
				expect: { kind: "answer", article: "manage-seats", fact: ["rest of the annual term", "one combined invoice"] },
			},
			{
				user: "and when i remove someone, do we get that money back?",
				category: "follow_up",
				expect: { kind: "answer", article: "manage-seats", fact: ["account credit", "not a cash refund"] },
			},
		],
	},
	{
		id: "freelancers-guests",
		turns: [
			{
				user: "we work with a few freelancers on one project, do they each need a paid seat?",
				category: "first",
				expect: { kind: "answer", article: "manage-seats", fact: ["Guests are free", "do not use a seat", "Invite as guest"] },
			},
			{
				user: "what can they actually do in there?",
				category: "follow_up",
				expect: { kind: "answer", article: "manage-seats", fact: ["view, comment on and complete tasks", "complete tasks"] },
			},
			{
				user: "and on the free plan?",
				category: "follow_up",
				expect: { kind: "answer", article: "manage-seats", fact: ["does not include guests"] },
			},
		],
	},
	{
		id: "trial-ending",
		turns: [
			{
				user: "what happens when my trial runs out? am I going to get charged?",
				category: "first",
				expect: { kind: "answer", article: "free-trial", fact: ["never charges a card", "Free plan"] },
			},
			{
				user: "can I get more time? we're still evaluating for a big company-wide rollout",
				category: "follow_up",
				expect: { kind: "answer", article: "free-trial", fact: ["14 more days"] },
			},
			{
				user: "if I pick a plan now do the days I have left carry over?",
				category: "follow_up",
				expect: { kind: "answer", article: "free-trial", fact: ["unused trial days", "not added to the paid period"] },
			},
		],
	},
	{
		id: "downgrade-business-team",
		turns: [
			{
				user: "if we drop from business to team, when does that actually happen?",
				category: "first",
				expect: { kind: "answer", article: "upgrade-downgrade-plan", fact: ["end of the current billing period"] },
			},
			{
				user: "what would we lose?",
				category: "follow_up",
				expect: { kind: "answer", article: "upgrade-downgrade-plan", fact: ["audit logs stop recording", "billable rates"] },
			},
			{
				user: "changed my mind, can I call it off?",
				category: "follow_up",
				expect: { kind: "answer", article: "upgrade-downgrade-plan", fact: ["Cancel scheduled change"] },
			},
		],
	},
	{
		id: "upgrade-renewal-date",
		turns: [
			{
				user: "If I upgrade from Team to Business today, does my renewal date change?",
				category: "first",
				expect: { kind: "answer", article: "upgrade-downgrade-plan", fact: ["renewal date stays the same", "stays the same"] },
			},
			{
				user: "thanks! another question: how often do you back up our data?",
				category: "switch",
				expect: { kind: "answer", article: "data-encryption", fact: ["every hour"] },
			},
		],
	},
	{
		id: "nonprofit-discount",
		turns: [
			{
				user: "we're a registered charity, do you do any discounts?",
				category: "first",
				expect: { kind: "answer", article: "nonprofit-education-discounts", fact: ["50%"] },
			},
			{
				user: "does that stack with the yearly billing discount?",
				category: "follow_up",
				expect: { kind: "answer", article: "nonprofit-education-discounts", fact: ["on top of the 20%", "$4 per member"] },
			},
			{
				user: "how long does approval take?",
				category: "follow_up",
				expect: { kind: "answer", article: "nonprofit-education-discounts", fact: ["5 business days"] },
			},
		],
	},
	{
		id: "workspace-export",
		turns: [
			{
				user: "how do I get a full copy of everything in our workspace? we might be leaving",
				category: "first",
				expect: { kind: "answer", article: "gdpr-data-export", fact: ["Settings → Workspace → Export data"] },
			},
			{
				user: "how long does it take?",
				category: "follow_up",
				expect: { kind: "answer", article: "gdpr-data-export", fact: ["within 1 hour", "within 24 hours"] },
			},
			{
				user: "And how long is the download link valid?",
				category: "follow_up",
				expect: { kind: "answer", article: "gdpr-data-export", fact: ["7 days"] },
			},
		],
	},
	{
		id: "dpa-legal",
		turns: [
			{
				user: "our legal team wants a data processing agreement before we sign up, where do I get it?",
				category: "first",
				expect: { kind: "answer", article: "gdpr-data-export", fact: ["Settings → Security → Compliance"] },
			},
			{
				user: "does it include the SCCs?",
				category: "follow_up",
				expect: { kind: "answer", article: "gdpr-data-export", fact: ["Standard Contractual Clauses"] },
			},
			{
				user: "also, where are your servers physically located?",
				category: "switch",
				expect: { kind: "answer", article: "data-encryption", fact: ["Oregon", "Frankfurt"] },
			},
		],
	},
	{
		id: "encryption-at-rest",
		turns: [
			{
				user: "is our data encrypted when it's stored on your side?",
				category: "first",
				expect: { kind: "answer", article: "data-encryption", fact: ["AES-256"] },
			},
			{
				user: "who at your company can actually read it?",
				category: "follow_up",
				expect: { kind: "answer", article: "data-encryption", fact: ["cannot read workspace content", "Support access", "72 hours"] },
			},
			{
				user: "are you HIPAA compliant too? we'd be storing some patient info",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
		],
	},
	{
		id: "delete-account",
		turns: [
			{
				user: "how do I delete my account",
				category: "first",
				expect: { kind: "answer", article: "delete-account", fact: ["Profile → Account → Delete account", "Delete my account"] },
			},
			{
				user: "can i undo it if i change my mind?",
				category: "follow_up",
				expect: { kind: "answer", article: "delete-account", fact: ["30-day grace period", "grace period"] },
			},
			{
				user: "what happens to the comments I left in my team's projects?",
				category: "follow_up",
				expect: { kind: "answer", article: "delete-account", fact: ["Deleted user"] },
			},
		],
	},
	{
		id: "delete-workspace-billing",
		turns: [
			{
				user: "If I delete our whole workspace, does the subscription stop too or do I have to cancel it separately?",
				category: "first",
				expect: { kind: "answer", article: "delete-account", fact: ["cancels its subscription immediately"] },
			},
			{
				user: "actually, instead of deleting it, could we merge it into our other workspace?",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
		],
	},
	{
		id: "change-login-email",
		turns: [
			{
				user: "I changed jobs and need to update the email I log in with",
				category: "first",
				expect: { kind: "answer", article: "change-email", fact: ["Change email", "Profile → Account → Email address"] },
			},
			{
				user: "I've only ever signed in with google though, is that a problem?",
				category: "follow_up",
				expect: { kind: "answer", article: "change-email", fact: ["Profile → Security → Password", "set a Brightdesk password"] },
			},
			{
				user: "how long do I have to click the confirmation?",
				category: "follow_up",
				expect: { kind: "answer", article: "change-email", fact: ["24 hours"] },
			},
		],
	},
	{
		id: "signup-verification",
		turns: [
			{
				user: "signed up 20 minutes ago and still no verification email",
				category: "first",
				expect: { kind: "answer", article: "create-account", fact: ["Resend verification email", "spam folder"] },
			},
			{
				user: "what address do they come from? I want to whitelist it",
				category: "follow_up",
				expect: { kind: "answer", article: "create-account", fact: ["no-reply@brightdesk.example"] },
			},
			{
				user: "btw is there a chrome extension so I can save web pages as tasks?",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
		],
	},
	{
		id: "unknown-signin",
		turns: [
			{
				user: "got an email about a new sign in from Brazil and it definitely wasn't me",
				category: "first",
				expect: {
					kind: "answer",
					article: "suspicious-login",
					fact: ["Secure my account", "Profile → Security → Password", "Sign out all other sessions"],
				},
			},
			{
				user: "too late, they already changed my password and now I can't get in",
				category: "follow_up",
				expect: { kind: "answer", article: "suspicious-login", fact: ["security@brightdesk.example"] },
			},
			{
				user: "how fast do they respond?",
				category: "follow_up",
				expect: { kind: "answer", article: "suspicious-login", fact: ["within 4 hours", "4 hours"] },
			},
		],
	},
	{
		id: "blank-page",
		turns: [
			{
				user: "brightdesk is just a blank white page in chrome since this morning",
				category: "first",
				expect: { kind: "answer", article: "app-not-loading", fact: ["Ctrl+Shift+R", "incognito", "status.brightdesk.example"] },
			},
			{
				user: "still blank. how do i clear the cache in chrome?",
				category: "follow_up",
				expect: { kind: "answer", article: "app-not-loading", fact: ["Clear browsing data"] },
			},
			{
				user: "will that log me out?",
				category: "follow_up",
				expect: { kind: "answer", article: "app-not-loading", fact: ["signs you out"] },
			},
		],
	},
	{
		id: "desktop-crash-mac",
		turns: [
			{
				user: "the mac app crashes immediately every time i open it",
				category: "first",
				expect: {
					kind: "answer",
					article: "desktop-app-crashes",
					fact: ["Cache folder", "~/Library/Application Support/Brightdesk", "Clear cache and restart"],
				},
			},
			{
				user: "will i lose my tasks if I do that?",
				category: "follow_up",
				expect: { kind: "answer", article: "desktop-app-crashes", fact: ["does not delete any tasks"] },
			},
			{
				user: "and the timer I had running when it crashed?",
				category: "follow_up",
				expect: { kind: "answer", article: "desktop-app-crashes", fact: ["keeps running on the server", "keeps running"] },
			},
		],
	},
	{
		id: "mobile-sync",
		turns: [
			{
				user: "stuff i change on my phone isn't showing up on my laptop",
				category: "first",
				expect: { kind: "answer", article: "mobile-sync-issues", fact: ["Pull down", "force a refresh"] },
			},
			{
				user: "I was offline on a long flight yesterday, will the edits I made then get lost?",
				category: "follow_up",
				expect: { kind: "answer", article: "mobile-sync-issues", fact: ["7 days", "cloud icon"] },
			},
			{
				user: "is there an apple watch app too?",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
		],
	},
	{
		id: "iphone-push",
		turns: [
			{
				user: "I'm not getting any push notifications on my iphone",
				category: "first",
				expect: {
					kind: "answer",
					article: "notifications-not-arriving",
					fact: ["Allow Notifications", "Settings → Notifications → Brightdesk"],
				},
			},
			{
				user: "actually they seem to come through only when I'm away from my computer, is that on purpose?",
				category: "follow_up",
				expect: { kind: "answer", article: "notifications-not-arriving", fact: ["active in the web or desktop app"] },
			},
			{
				user: "could I get them as slack DMs instead?",
				category: "follow_up",
				expect: { kind: "answer", article: "slack-integration", fact: ["Link my Slack account", "Profile → Notifications → Slack"] },
			},
		],
	},
	{
		id: "support-hours",
		turns: [
			{
				user: "what hours is your support team around?",
				category: "first",
				expect: { kind: "answer", article: "contact-support", fact: ["08:00 to 20:00 UTC", "Monday to Friday"] },
			},
			{
				user: "and on a weekend if our whole workspace goes down? we're on enterprise",
				category: "follow_up",
				expect: { kind: "answer", article: "contact-support", fact: ["24 hours a day", "24/7"] },
			},
			{
				user: "one more thing, it says my account is locked because I typed the wrong password too many times. how long do I have to wait?",
				category: "switch",
				expect: { kind: "answer", article: "suspicious-login", fact: ["15 minutes"] },
			},
		],
	},
	{
		id: "talk-to-human",
		turns: [
			// Written before CONTRACT §7 as an answer from talk-to-a-human (facts "talk to a human",
			// "1 business day", "Please escalate"); the product now hands such a conversation to people.
			{ user: "this bot isnt helping, I want a real person", category: "handoff", expect: { kind: "handoff" } },
			{ user: "how long till someone replies? we're on the team plan", category: "handoff", expect: { kind: "silent" } },
			{ user: "and if nobody answers by then?", category: "handoff", expect: { kind: "silent" } },
		],
	},
	{
		id: "dark-mode",
		turns: [
			{
				user: "do you have a dark mode? staring at this white screen all day is killing my eyes",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
			{
				user: "ok. different question, we're in Australia - are your prices including GST?",
				category: "switch",
				expect: { kind: "answer", article: "taxes-and-vat", fact: ["10% GST", "without tax"] },
			},
		],
	},
	{
		id: "affiliate-program",
		turns: [
			{
				user: "Do you have an affiliate or referral program? I recommend you to a lot of my clients",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
			{
				user: "ok no worries. also my visa keeps getting declined when I try to add it as a payment method, the card is fine",
				category: "switch",
				expect: { kind: "answer", article: "payment-methods", fact: ["$1 verification charge", "verification charge"] },
			},
		],
	},
	{
		id: "gantt-view",
		turns: [
			{
				user: "is there a gantt chart view for planning projects?",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
			{
				user: "alright. is the desktop app available for linux?",
				category: "switch",
				expect: { kind: "answer", article: "desktop-app-crashes", fact: ["Ubuntu 20.04"] },
			},
		],
	},
	{
		id: "ui-language",
		turns: [
			{
				user: "can I switch the interface to German? half my team doesn't read english well",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
			{
				user: "ok. what iOS version do I need for the mobile app?",
				category: "switch",
				expect: { kind: "answer", article: "mobile-sync-issues", fact: ["iOS 16"] },
			},
		],
	},
	{
		id: "custom-domain",
		turns: [
			{
				user: "can we use our own domain like projects.ourcompany.com instead of the brightdesk.example address?",
				category: "unanswerable",
				expect: { kind: "decline" },
			},
			{
				user: "never mind then. separate thing: we're a city council, can we get your nonprofit pricing?",
				category: "switch",
				expect: { kind: "answer", article: "nonprofit-education-discounts", fact: ["Government agencies", "do not qualify"] },
			},
		],
	},
];
