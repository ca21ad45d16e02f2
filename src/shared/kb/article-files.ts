/**
 * The sample articles' files in src/shared/kb/articles, in the order they are
 * seeded and the bench ranks its questions by. Adding an article means adding
 * its file here and to the imports of sample-articles.ts: the compiler holds
 * that map to this list, and test/e2e/sample-articles.test.ts fails when the
 * folder and this list differ.
 */
export const SAMPLE_ARTICLE_FILES = [
	"create-account.md",
	"reset-password.md",
	"change-email.md",
	"delete-account.md",
	"two-factor-authentication.md",
	"payment-methods.md",
	"invoices-and-receipts.md",
	"failed-payments.md",
	"change-billing-cycle.md",
	"taxes-and-vat.md",
	"refund-policy.md",
	"request-refund.md",
	"compare-plans.md",
	"upgrade-downgrade-plan.md",
	"free-trial.md",
	"manage-seats.md",
	"nonprofit-education-discounts.md",
	"data-encryption.md",
	"sso-saml.md",
	"audit-logs.md",
	"gdpr-data-export.md",
	"suspicious-login.md",
	"slack-integration.md",
	"github-integration.md",
	"google-calendar-integration.md",
	"zapier-and-webhooks.md",
	"api-keys-and-rate-limits.md",
	"app-not-loading.md",
	"mobile-sync-issues.md",
	"notifications-not-arriving.md",
	"import-csv-trello.md",
	"desktop-app-crashes.md",
	"contact-support.md",
	"talk-to-a-human.md",
] as const;

export type SampleArticleFile = (typeof SAMPLE_ARTICLE_FILES)[number];
