/**
 * The sample knowledge base: help-center articles for Brightdesk, a fictional
 * project-management SaaS, loaded into the KnowledgeBase Durable Object on first use.
 * Each article is a Markdown file with front matter in ./articles (format:
 * front-matter.ts), bundled as a text module by the `[[rules]]` of wrangler.toml.
 * Node cannot import .md files: the bench reads the same files through
 * sample-articles-node.ts.
 */
import { SAMPLE_ARTICLE_FILES, type SampleArticleFile } from "./article-files";
import apiKeysAndRateLimits from "./articles/api-keys-and-rate-limits.md";
import appNotLoading from "./articles/app-not-loading.md";
import auditLogs from "./articles/audit-logs.md";
import changeBillingCycle from "./articles/change-billing-cycle.md";
import changeEmail from "./articles/change-email.md";
import comparePlans from "./articles/compare-plans.md";
import contactSupport from "./articles/contact-support.md";
import createAccount from "./articles/create-account.md";
import dataEncryption from "./articles/data-encryption.md";
import deleteAccount from "./articles/delete-account.md";
import desktopAppCrashes from "./articles/desktop-app-crashes.md";
import failedPayments from "./articles/failed-payments.md";
import freeTrial from "./articles/free-trial.md";
import gdprDataExport from "./articles/gdpr-data-export.md";
import githubIntegration from "./articles/github-integration.md";
import googleCalendarIntegration from "./articles/google-calendar-integration.md";
import importCsvTrello from "./articles/import-csv-trello.md";
import invoicesAndReceipts from "./articles/invoices-and-receipts.md";
import manageSeats from "./articles/manage-seats.md";
import mobileSyncIssues from "./articles/mobile-sync-issues.md";
import nonprofitEducationDiscounts from "./articles/nonprofit-education-discounts.md";
import notificationsNotArriving from "./articles/notifications-not-arriving.md";
import paymentMethods from "./articles/payment-methods.md";
import refundPolicy from "./articles/refund-policy.md";
import requestRefund from "./articles/request-refund.md";
import resetPassword from "./articles/reset-password.md";
import slackIntegration from "./articles/slack-integration.md";
import ssoSaml from "./articles/sso-saml.md";
import suspiciousLogin from "./articles/suspicious-login.md";
import talkToAHuman from "./articles/talk-to-a-human.md";
import taxesAndVat from "./articles/taxes-and-vat.md";
import twoFactorAuthentication from "./articles/two-factor-authentication.md";
import upgradeDowngradePlan from "./articles/upgrade-downgrade-plan.md";
import zapierAndWebhooks from "./articles/zapier-and-webhooks.md";
import { parseArticles, type SampleArticle } from "./front-matter";

export type { SampleArticle } from "./front-matter";

// esbuild cannot import a glob, so each file is imported by name; `satisfies`
// rejects a file missing from this map or unknown to SAMPLE_ARTICLE_FILES.
const texts = {
	"create-account.md": createAccount,
	"reset-password.md": resetPassword,
	"change-email.md": changeEmail,
	"delete-account.md": deleteAccount,
	"two-factor-authentication.md": twoFactorAuthentication,
	"payment-methods.md": paymentMethods,
	"invoices-and-receipts.md": invoicesAndReceipts,
	"failed-payments.md": failedPayments,
	"change-billing-cycle.md": changeBillingCycle,
	"taxes-and-vat.md": taxesAndVat,
	"refund-policy.md": refundPolicy,
	"request-refund.md": requestRefund,
	"compare-plans.md": comparePlans,
	"upgrade-downgrade-plan.md": upgradeDowngradePlan,
	"free-trial.md": freeTrial,
	"manage-seats.md": manageSeats,
	"nonprofit-education-discounts.md": nonprofitEducationDiscounts,
	"data-encryption.md": dataEncryption,
	"sso-saml.md": ssoSaml,
	"audit-logs.md": auditLogs,
	"gdpr-data-export.md": gdprDataExport,
	"suspicious-login.md": suspiciousLogin,
	"slack-integration.md": slackIntegration,
	"github-integration.md": githubIntegration,
	"google-calendar-integration.md": googleCalendarIntegration,
	"zapier-and-webhooks.md": zapierAndWebhooks,
	"api-keys-and-rate-limits.md": apiKeysAndRateLimits,
	"app-not-loading.md": appNotLoading,
	"mobile-sync-issues.md": mobileSyncIssues,
	"notifications-not-arriving.md": notificationsNotArriving,
	"import-csv-trello.md": importCsvTrello,
	"desktop-app-crashes.md": desktopAppCrashes,
	"contact-support.md": contactSupport,
	"talk-to-a-human.md": talkToAHuman,
} satisfies Record<SampleArticleFile, string>;

export const sampleArticles: readonly SampleArticle[] = parseArticles(SAMPLE_ARTICLE_FILES.map((file) => [file, texts[file]]));
