/**
 * The sample knowledge base: help-center articles for Brightdesk, a fictional
 * project-management SaaS. Loaded into the KnowledgeBase Durable Object on first use.
 */
export interface SampleArticle {
	readonly id: string;
	readonly title: string;
	readonly url: string;
	readonly tags: readonly string[];
	readonly body: string;
}

export const sampleArticles: readonly SampleArticle[] = [
	// ------------------------------------------------------------------ accounts
	{
		id: "create-account",
		title: "Create a Brightdesk account",
		url: "https://help.brightdesk.example/articles/create-account",
		tags: ["accounts", "getting-started", "signup"],
		body: `To create a Brightdesk account, go to brightdesk.example/signup and sign up with an email address, a Google account or a Microsoft account. Brightdesk sends a verification email when you sign up with an email address, and the verification link expires after 24 hours.

## Steps to sign up

1. Open brightdesk.example/signup.
2. Enter your name, your work email and a password of at least 10 characters, or choose "Continue with Google" or "Continue with Microsoft".
3. Click the link in the verification email from Brightdesk.
4. Name your workspace and pick a workspace URL, such as acme.brightdesk.example.
5. Invite teammates by email, or skip the invitation step and invite teammates later from Settings → Members.

## What happens after sign-up

Every new Brightdesk workspace starts with a 14-day free trial of the Business plan, and no credit card is required to start the trial. When the free trial ends, the workspace moves to the Free plan unless a workspace owner chooses a paid plan under Settings → Billing → Plan.

One Brightdesk account can belong to several workspaces. To join an existing workspace instead of creating a new one, ask a workspace admin to send you an invitation, then accept the invitation from the email.

## Verification email missing

If the Brightdesk verification email does not arrive within 10 minutes, check your spam folder and click "Resend verification email" on the sign-in page. Brightdesk account emails come from no-reply@brightdesk.example.`,
	},
	{
		id: "reset-password",
		title: "Reset your password",
		url: "https://help.brightdesk.example/articles/reset-password",
		tags: ["accounts", "login", "password"],
		body: `To reset your Brightdesk password, click "Forgot password?" on the sign-in page at app.brightdesk.example/login and enter the email address of your account. Brightdesk emails a password reset link that expires after 60 minutes and can be used only once.

## Steps to reset your password

1. Go to app.brightdesk.example/login and click "Forgot password?".
2. Enter your account email address and click "Send reset link".
3. Open the email from Brightdesk and click "Reset password".
4. Choose a new password of at least 10 characters that you have not used on Brightdesk before.
5. Sign in with the new password.

Resetting your Brightdesk password signs your account out of every other browser, desktop app and mobile app session. Two-factor authentication stays enabled after a password reset, so you still need your authenticator app or a backup code to sign in.

## If the password reset email does not arrive

- Wait 5 minutes and check your spam or junk folder for the password reset email.
- Add no-reply@brightdesk.example to your email allowlist.
- Make sure you entered the email address you signed up with, because Brightdesk does not reveal whether an address has an account.
- Request a new reset link if the previous password reset link has expired.

## Workspaces that use SSO

Enterprise workspaces that use single sign-on (SSO) manage passwords in their identity provider, such as Okta or Microsoft Entra ID. If your workspace uses SSO, reset your password with your company's IT team instead of in Brightdesk.

If you still cannot sign in after a password reset, contact support@brightdesk.example from the email address on your account.`,
	},
	{
		id: "change-email",
		title: "Change the email address on your account",
		url: "https://help.brightdesk.example/articles/change-email",
		tags: ["accounts", "profile", "email"],
		body: `To change the email address on your Brightdesk account, go to Profile → Account → Email address and click "Change email". Brightdesk asks for your current password and then sends a confirmation link to the new address.

## Steps to change your email address

1. Click your avatar in the top-right corner and choose Profile.
2. Open Account → Email address and click "Change email".
3. Enter the new email address and your current password.
4. Open the confirmation email sent to the new address and click "Confirm email change" within 24 hours.

The new email address takes effect as soon as you confirm the change. Brightdesk also sends a notice to your old email address so you can spot a change you did not make. Your projects, tasks, time entries and workspace memberships stay the same after an email change.

## Things to know about email changes

- Each email address can belong to only one Brightdesk account. If the new address already has a Brightdesk account, delete that other account first.
- If you sign in with Google or Microsoft, set a Brightdesk password under Profile → Security → Password before changing your email address.
- On Enterprise workspaces with SSO and SCIM, the identity provider controls your email address, so ask your IT admin to change the address there.
- Invoices go to the billing contact in Settings → Billing → Billing details, which is separate from your personal sign-in email.

If you no longer have access to your old email address and cannot sign in, contact support@brightdesk.example. Brightdesk support verifies account ownership before changing an email address, which takes up to 3 business days.`,
	},
	{
		id: "delete-account",
		title: "Delete your account or workspace",
		url: "https://help.brightdesk.example/articles/delete-account",
		tags: ["accounts", "privacy", "deletion"],
		body: `To delete your Brightdesk account, go to Profile → Account → Delete account, type your email address to confirm, and click "Delete my account". Deleting a Brightdesk account removes your profile, personal settings and API keys, and signs you out on every device.

## Before you delete your account

- Workspace owners must transfer ownership to another admin under Settings → Members, or delete the workspace, before deleting their account.
- Deleting an account does not cancel a workspace subscription, so cancel any paid plan first under Settings → Billing → Plan.
- To keep a copy of your data, download your data first from Profile → Privacy → Download my data.

## What happens after deletion

Brightdesk keeps a deleted account in a 30-day grace period. Signing in during the 30-day grace period cancels the deletion and restores the account. After 30 days, Brightdesk permanently deletes the account data, and encrypted backups containing the data expire within a further 30 days.

Tasks, comments and time entries you created in a shared workspace stay in that workspace, because workspace content belongs to the workspace. After an account is deleted, Brightdesk shows the deleted person's items as created by "Deleted user".

## Delete a whole workspace

To delete an entire workspace, a workspace owner goes to Settings → Workspace → Delete workspace. Deleting a workspace cancels its subscription immediately, and Brightdesk permanently removes workspace data after the same 30-day grace period. Annual plans deleted within 30 days of purchase or renewal qualify for a pro-rata refund under the Brightdesk refund policy.

If you cannot sign in to delete your account, email privacy@brightdesk.example from the address on the account and ask for account deletion under GDPR.`,
	},
	{
		id: "two-factor-authentication",
		title: "Set up two-factor authentication (2FA)",
		url: "https://help.brightdesk.example/articles/two-factor-authentication",
		tags: ["accounts", "security", "login", "2fa"],
		body: `Brightdesk two-factor authentication (2FA) adds a second step to sign-in, using an authenticator app or a hardware security key. Two-factor authentication is available on every Brightdesk plan, including Free.

## Turn on two-factor authentication

1. Go to Profile → Security → Two-factor authentication and click "Enable".
2. Scan the QR code with an authenticator app such as Google Authenticator, Microsoft Authenticator, Authy or 1Password.
3. Enter the 6-digit code from the authenticator app to confirm.
4. Download or print your 10 backup codes and store the backup codes somewhere safe.

To use a security key instead of an authenticator app, choose "Add security key" on the same page and follow the browser prompt. Brightdesk supports FIDO2 and WebAuthn security keys such as YubiKey, as well as passkeys on supported devices.

## Backup codes

Each Brightdesk backup code works only once. To sign in without your phone, click "Use a backup code" on the two-factor authentication screen. To create a new set of 10 backup codes, go to Profile → Security → Two-factor authentication → Regenerate backup codes; regenerating backup codes invalidates the old codes.

## Require 2FA for a whole workspace

Admins on Business and Enterprise workspaces can require two-factor authentication for every member under Settings → Security → Require two-factor authentication. Members without 2FA must set up 2FA at their next sign-in.

## Lost phone and lost backup codes

If you lost both your authenticator device and your backup codes, email support@brightdesk.example from the address on your account. Brightdesk support verifies your identity before removing 2FA from an account, which takes up to 3 business days. On Enterprise workspaces that use SSO, the identity provider manages two-factor authentication.`,
	},
	// ------------------------------------------------------------------- billing
	{
		id: "payment-methods",
		title: "Accepted payment methods",
		url: "https://help.brightdesk.example/articles/payment-methods",
		tags: ["billing", "payments", "credit-card"],
		body: `Brightdesk accepts Visa, Mastercard, American Express and Discover credit and debit cards, PayPal, and SEPA Direct Debit for customers billed in euros. Annual subscriptions of $5,000 or more per year can also pay by bank transfer against an invoice, with 30-day payment terms.

Brightdesk bills in US dollars (USD), euros (EUR) or British pounds (GBP). The Brightdesk billing currency is set by the billing country at the first payment, and a workspace can change currency only at renewal by contacting support@brightdesk.example.

## Add or update a payment method

1. Go to Settings → Billing → Payment method.
2. Click "Add payment method" and enter the card, PayPal or bank details.
3. Click "Make default" so future charges use the new payment method.
4. Remove the old payment method if you no longer need the old one.

Only workspace owners and billing admins can see or change payment methods. To make someone a billing admin, go to Settings → Members, open the member, and set the role to "Billing admin".

## Security of payment details

Brightdesk does not store full card numbers. Card payments are processed by Stripe, a PCI DSS Level 1 certified payment processor, and Brightdesk keeps only the card brand, the last four digits and the expiry date.

## Card declined when adding a payment method

When a card is declined while being added to Brightdesk, the bank has usually blocked a temporary $1 verification charge. Ask your bank to allow charges from "BRIGHTDESK.EXAMPLE", or try a different card. For declined renewal charges, see the Brightdesk article on failed payments.`,
	},
	{
		id: "invoices-and-receipts",
		title: "Download invoices and receipts",
		url: "https://help.brightdesk.example/articles/invoices-and-receipts",
		tags: ["billing", "invoices", "receipts"],
		body: `Brightdesk creates an invoice for every charge and emails a PDF copy to the workspace billing contact on the day of the charge. To download past invoices, go to Settings → Billing → Invoices and click "Download PDF" next to any invoice.

## What a Brightdesk invoice includes

- An invoice number in the format BD-2025-001234
- The billing period, the plan name and the number of members billed
- The company name, billing address and VAT or tax ID, if provided
- The subtotal, tax and total in the billing currency
- The payment status and the payment method used

## Add company details to invoices

To show a company name, address or VAT ID on Brightdesk invoices, go to Settings → Billing → Billing details and fill in the fields before the next charge. New billing details apply to future invoices only. To have Brightdesk reissue an invoice from the last 90 days with updated details, email support@brightdesk.example with the invoice number.

## Send invoices to your finance team

The billing contact email under Settings → Billing → Billing details receives all invoices and payment receipts. Brightdesk lets you add up to 3 extra billing email addresses, which is useful for an accounts payable inbox.

## Payment receipts

Brightdesk sends a payment receipt separately from the invoice when a card, PayPal or SEPA payment succeeds. For bank transfer customers, Brightdesk marks the invoice as "Paid" in Settings → Billing → Invoices once the transfer arrives, usually within 3 business days.

Only workspace owners and billing admins can view Brightdesk invoices. Members who need an invoice copy should ask a workspace owner or billing admin.`,
	},
	{
		id: "failed-payments",
		title: "What happens when a payment fails",
		url: "https://help.brightdesk.example/articles/failed-payments",
		tags: ["billing", "payments", "past-due"],
		body: `When a Brightdesk subscription payment fails, Brightdesk emails the workspace owners and billing admins and retries the charge automatically 3 times: 1 day, 3 days and 7 days after the first failure. Workspace access continues normally during the payment retry period.

## Common reasons for a failed payment

- The card has expired or was replaced by the bank.
- The card has insufficient funds or has reached its credit limit.
- The bank blocked the charge as unusual, which is common for international charges.
- The PayPal billing agreement or the SEPA mandate was cancelled.

## Fix a failed payment

1. Go to Settings → Billing → Payment method and add a valid card, or update the existing card.
2. Go to Settings → Billing → Invoices, find the invoice marked "Past due", and click "Pay now".
3. Check that the invoice status changes to "Paid".

Paying a past-due invoice manually stops the automatic payment retries.

## If the invoice stays unpaid

- After 14 days unpaid, the Brightdesk workspace becomes read-only: members can view and export data but cannot create or edit tasks or time entries.
- After 30 days unpaid, Brightdesk downgrades the workspace to the Free plan. Projects beyond the Free limit of 2 become read-only, and the workspace owner picks which 3 members keep edit access.

Brightdesk never deletes workspace data because of a failed payment. Paying the outstanding invoice restores the paid plan and full access within a few minutes.

If your bank confirms the card is fine but Brightdesk payments keep failing, email support@brightdesk.example with your workspace URL and the invoice number.`,
	},
	{
		id: "change-billing-cycle",
		title: "Switch between monthly and annual billing",
		url: "https://help.brightdesk.example/articles/change-billing-cycle",
		tags: ["billing", "plans", "annual", "monthly"],
		body: `Brightdesk paid plans can be billed monthly or annually, and annual billing saves 20%. The Team plan costs $8 per member per month billed annually, or $10 per member per month billed monthly. The Business plan costs $16 per member per month billed annually, or $20 per member per month billed monthly.

## Switch from monthly to annual billing

1. Go to Settings → Billing → Plan.
2. Click "Change billing cycle" and choose "Annual".
3. Review the prorated total and click "Confirm".

A switch from monthly to annual billing takes effect immediately. Brightdesk credits the unused part of the current month against the first annual charge, and a new 12-month billing period starts on the day of the switch.

## Switch from annual to monthly billing

A switch from annual to monthly billing takes effect at the next renewal date. To schedule the change, go to Settings → Billing → Plan → Change billing cycle and choose "Monthly". The annual plan stays active until the renewal date, and monthly charges begin on the renewal date.

Switching from annual to monthly billing does not create a refund for the rest of the year. If the annual payment was made in the last 30 days, the workspace may qualify for a pro-rata refund under the Brightdesk refund policy.

## Renewal reminders

Brightdesk emails the billing contact 30 days and 7 days before an annual renewal, showing the expected renewal amount. Monthly plans renew on the same day each month without a reminder email.

Only workspace owners and billing admins can change the Brightdesk billing cycle.`,
	},
	{
		id: "taxes-and-vat",
		title: "Sales tax, VAT and GST",
		url: "https://help.brightdesk.example/articles/taxes-and-vat",
		tags: ["billing", "taxes", "vat", "invoices"],
		body: `Brightdesk prices are shown without tax. Brightdesk adds sales tax, VAT or GST to invoices when the law in the customer's billing country or state requires tax, and the tax appears as a separate line on every invoice.

## VAT for EU and UK customers

- EU businesses with a valid VAT ID are billed without VAT under the reverse-charge rule, and the invoice shows the note "Reverse charge".
- EU customers without a VAT ID pay VAT at the rate of their country, such as 19% in Germany or 20% in France.
- UK customers pay 20% VAT unless they provide a valid UK VAT number, in which case reverse charge applies.

## Add a VAT or tax ID

1. Go to Settings → Billing → Billing details.
2. Choose the ID type, such as EU VAT, UK VAT, Australian ABN or Canadian GST/HST.
3. Enter the number and click "Save".

Brightdesk validates EU VAT IDs with the VIES system, which usually takes a few seconds. A VAT or tax ID applies to future invoices only. To have Brightdesk reissue an invoice from the last 90 days with a VAT ID, email support@brightdesk.example with the invoice number, and Brightdesk returns the VAT charged on that invoice to the original payment method.

## Tax in other countries

- United States customers pay state sales tax in states where software-as-a-service is taxable.
- Australian customers pay 10% GST unless they provide an ABN registered for GST.
- Canadian customers pay GST/HST, plus QST in Quebec, unless they provide valid registration numbers.

Tax-exempt organisations in the US can email an exemption certificate to support@brightdesk.example to have sales tax removed from future Brightdesk invoices.`,
	},
	// ------------------------------------------------------------------- refunds
	{
		id: "refund-policy",
		title: "Refund policy",
		url: "https://help.brightdesk.example/articles/refund-policy",
		tags: ["refunds", "billing", "cancellation"],
		body: `Brightdesk refunds annual plans on a pro-rata basis when the refund is requested within 30 days of the purchase or renewal date. Brightdesk does not refund monthly plans, but a monthly plan can be cancelled at any time and the workspace keeps paid access until the end of the current billing period.

## Refunds for annual plans

- Annual Team, Business and Enterprise plans are refundable pro-rata within 30 days of the purchase or renewal date.
- A pro-rata refund covers the unused full months left in the annual term. For example, cancelling a $960 annual Team plan for 10 members 20 days after purchase refunds the 11 unused months, or $880.
- More than 30 days after purchase or renewal, annual plans are not refundable, and the workspace keeps paid access until the end of the annual term.

## Refunds for monthly plans

- Monthly Team and Business plans are not refunded, including partial months.
- Cancelling a monthly plan stops future charges, and the workspace keeps paid features until the end of the month already paid for.

## Other refund cases

- Removing members from an annual plan mid-term gives account credit at renewal, not a cash refund.
- The 14-day Business free trial never charges a card, so a free trial never needs a refund.
- Duplicate charges and billing errors made by Brightdesk are always refunded in full, on every plan.
- Enterprise contracts follow the refund terms in the signed order form when those terms differ from the standard Brightdesk refund policy.

Approved Brightdesk refunds go back to the original payment method within 5 to 10 business days. To ask for a refund, follow the steps in the article "How to request a refund".`,
	},
	{
		id: "request-refund",
		title: "How to request a refund",
		url: "https://help.brightdesk.example/articles/request-refund",
		tags: ["refunds", "billing", "cancellation"],
		body: `To request a refund for an annual Brightdesk plan, a workspace owner or billing admin goes to Settings → Billing → Plan, clicks "Cancel plan", and selects "Request a refund" on the cancellation screen. Brightdesk refunds annual plans pro-rata within 30 days of the purchase or renewal date, and monthly plans are not refunded.

## Request a refund in the app

1. Go to Settings → Billing → Plan.
2. Click "Cancel plan".
3. Choose a reason for cancelling.
4. Select "Request a refund". Brightdesk shows the refund amount before you confirm.
5. Click "Confirm cancellation and refund".

## Request a refund by email

To request a refund by email, write to support@brightdesk.example from the address of a workspace owner or billing admin, and include:

- The workspace URL, such as acme.brightdesk.example
- The invoice number, in the format BD-2025-001234
- The reason for the refund request

Brightdesk support answers refund emails within 2 business days.

## After a refund is approved

- Brightdesk sends a confirmation email and a credit note for the refunded amount.
- The refund reaches the original card, PayPal account or bank account within 5 to 10 business days, depending on the bank.
- After a cancellation with refund, the workspace moves to the Free plan immediately; Brightdesk keeps all data, and projects beyond the Free limit of 2 become read-only.

## Monthly plans and billing errors

Monthly plans are cancelled in the same place, under Settings → Billing → Plan → Cancel plan, without a refund option. A cancelled monthly plan keeps paid access until the end of the current billing period. For a duplicate charge or a billing error, email support@brightdesk.example with the invoice numbers, and Brightdesk refunds billing errors in full.`,
	},
	// --------------------------------------------------------------------- plans
	{
		id: "compare-plans",
		title: "Compare Brightdesk plans and pricing",
		url: "https://help.brightdesk.example/articles/compare-plans",
		tags: ["plans", "pricing", "features"],
		body: `Brightdesk offers four plans: Free, Team, Business and Enterprise. Brightdesk paid plans are priced per member, and annual billing saves 20% compared with monthly billing.

## Free plan: $0

- Up to 3 members and 2 projects
- 1 GB of file storage
- Tasks, boards and basic time tracking
- Slack, GitHub and Google Calendar integrations
- Email support with a response within 3 business days

## Team plan: $8 per member per month billed annually, or $10 billed monthly

- Unlimited members and projects, plus free guests
- 100 GB of file storage per workspace
- Timesheets and recurring tasks
- Zapier, webhooks and the public API at 100 requests per minute
- Email support with a response within 1 business day

## Business plan: $16 per member per month billed annually, or $20 billed monthly

- Everything in Team, plus 1 TB of file storage
- Billable rates, budgets and advanced time reports
- Audit logs with 90 days of history, and required two-factor authentication
- Public API at 300 requests per minute
- Priority email and live chat support with a response within 4 business hours

## Enterprise plan: custom pricing

- Everything in Business, plus SAML single sign-on (SSO) and SCIM user provisioning
- A 99.95% uptime SLA
- Audit logs with 1 year of history, and a choice of US or EU data residency
- Public API at 1,000 requests per minute
- 24/7 support with a 1-hour response for urgent issues, and a dedicated customer success manager

Every new Brightdesk workspace gets a 14-day free trial of the Business plan without a credit card. To see or change your plan, go to Settings → Billing → Plan. To get an Enterprise quote, email sales@brightdesk.example.`,
	},
	{
		id: "upgrade-downgrade-plan",
		title: "Upgrade or downgrade your plan",
		url: "https://help.brightdesk.example/articles/upgrade-downgrade-plan",
		tags: ["plans", "billing", "upgrade", "downgrade"],
		body: `To upgrade or downgrade a Brightdesk plan, a workspace owner or billing admin goes to Settings → Billing → Plan, clicks "Change plan", and picks the new plan.

## Upgrading your plan

An upgrade from Free to Team or Business, or from Team to Business, takes effect immediately. Brightdesk charges a prorated amount for the rest of the current billing period, and new features such as audit logs or billable rates unlock within a minute. The renewal date stays the same after an upgrade.

To upgrade to Enterprise, email sales@brightdesk.example or click "Contact sales" on the Settings → Billing → Plan page.

## Downgrading your plan

A downgrade from Business to Team, or from a paid plan to Free, takes effect at the end of the current billing period. Brightdesk keeps paid features until the end of the period and shows the scheduled downgrade in Settings → Billing → Plan. To keep the current plan, click "Cancel scheduled change" on the same page at any time before the downgrade happens.

## What changes when you downgrade

- Business to Team: audit logs stop recording, billable rates and budgets become read-only, and the API rate limit drops from 300 to 100 requests per minute.
- Any paid plan to Free: projects beyond the Free limit of 2 become read-only, and the workspace owner picks which 3 members keep edit access while other members become view-only.
- Files above the new plan's storage limit stay available for download, but members cannot upload new files until usage falls below the limit.

Brightdesk never deletes data because of a downgrade. Downgrading an annual plan does not create a refund, except within 30 days of the purchase or renewal date under the Brightdesk refund policy.`,
	},
	{
		id: "free-trial",
		title: "The 14-day free trial",
		url: "https://help.brightdesk.example/articles/free-trial",
		tags: ["plans", "trial", "getting-started"],
		body: `Every new Brightdesk workspace starts with a 14-day free trial of the Business plan. The Brightdesk free trial needs no credit card and includes every Business feature, such as audit logs, billable rates, advanced time reports and live chat support.

## During the free trial

- The Brightdesk trial includes unlimited members and projects, so you can invite your whole team.
- Settings → Billing → Plan shows how many trial days remain.
- Brightdesk emails workspace owners 3 days and 1 day before the trial ends.

## Ending the trial early

To choose a paid plan before the trial ends, go to Settings → Billing → Plan, click "Choose plan", and enter a payment method. Paid billing starts on the day you choose a plan, and unused trial days are not added to the paid period.

## When the free trial ends

If nobody chooses a paid plan, the workspace moves to the Free plan automatically on day 15, and Brightdesk never charges a card. After a trial ends on the Free plan:

- Projects beyond the Free limit of 2 become read-only.
- The workspace owner picks which 3 members keep edit access, and other members become view-only.
- Business features such as audit logs and billable rates turn off, but Brightdesk keeps all data.

Upgrading to Team or Business at any time after the trial restores full access to every project.

## Free trial rules

- Brightdesk offers one free trial per workspace.
- Brightdesk can extend a trial by up to 14 more days for teams evaluating Enterprise; email sales@brightdesk.example to ask for an extension.
- Nonprofits and schools can apply for a Brightdesk discount during the trial under Settings → Billing → Plan → Apply for a discount.`,
	},
	{
		id: "manage-seats",
		title: "Add and remove members (seats)",
		url: "https://help.brightdesk.example/articles/manage-seats",
		tags: ["plans", "billing", "members", "seats"],
		body: `Brightdesk paid plans are billed per member, and each active member in a workspace uses one seat. Guests are free on the Team, Business and Enterprise plans and do not use a seat.

## Add members to a workspace

1. Go to Settings → Members and click "Invite members".
2. Enter one or more email addresses, or copy an invite link.
3. Choose a role: Member, Admin or Billing admin.
4. Click "Send invitations".

Brightdesk counts a seat when the invited person accepts the invitation. On monthly plans, Brightdesk adds a prorated charge for each new member to the next monthly invoice. On annual plans, Brightdesk charges new members prorated for the rest of the annual term, on one combined invoice per month in which seats were added.

## Remove members from a workspace

To remove a member, go to Settings → Members, open the member's menu, and click "Remove from workspace". Removed members lose access immediately, and their tasks and time entries stay in the workspace.

- On monthly plans, the lower seat count applies from the next monthly invoice.
- On annual plans, removed seats become account credit that Brightdesk applies at the next renewal, not a cash refund.

## Guests

Brightdesk guests can view, comment on and complete tasks in the projects they are invited to, but guests cannot create projects or see the member list. To invite a guest, open a project, click "Share", and choose "Invite as guest".

## Seat limits on the Free plan

The Brightdesk Free plan allows up to 3 members and 2 projects, and does not include guests. Inviting a fourth member on the Free plan prompts a workspace owner to upgrade to Team or Business.`,
	},
	{
		id: "nonprofit-education-discounts",
		title: "Nonprofit and education discounts",
		url: "https://help.brightdesk.example/articles/nonprofit-education-discounts",
		tags: ["plans", "pricing", "discounts", "nonprofit", "education"],
		body: `Brightdesk gives registered nonprofit organisations a 50% discount on the Team and Business plans, on both monthly and annual billing. Brightdesk also offers the Team plan free to individual teachers and students with a verified school email address, and a 50% discount on Team and Business for schools, colleges and universities.

The Brightdesk nonprofit and education discount applies on top of the 20% annual billing saving. For example, a nonprofit on the annual Team plan pays $4 per member per month instead of $8.

## Who qualifies for a discount

- Registered charities and nonprofit organisations, such as 501(c)(3) organisations in the US or registered charities in the UK
- Accredited schools, colleges and universities, for staff and administrative teams
- Teachers and students with an email address on an accredited school domain

Government agencies, political parties and for-profit training companies do not qualify for the Brightdesk nonprofit or education discount.

## How to apply for a discount

1. Start the 14-day Business trial, or use an existing workspace.
2. Go to Settings → Billing → Plan and click "Apply for a discount".
3. Upload proof of status, such as a registration certificate or a letter from the institution.
4. Click "Submit application".

Brightdesk reviews discount applications within 5 business days and emails the workspace owner with the result. An approved discount applies from the next invoice and to every renewal after that. Brightdesk does not apply discounts retroactively to past invoices.

Brightdesk asks nonprofit and education customers to confirm eligibility every 12 months. Enterprise customers in the nonprofit or education sector can ask for a discount in their quote by emailing sales@brightdesk.example, and eligibility questions go to support@brightdesk.example.`,
	},
	// ------------------------------------------------------------------ security
	{
		id: "data-encryption",
		title: "How Brightdesk encrypts and protects your data",
		url: "https://help.brightdesk.example/articles/data-encryption",
		tags: ["security", "encryption", "compliance"],
		body: `Brightdesk encrypts all customer data at rest with AES-256 and in transit with TLS 1.2 or higher. Brightdesk encryption covers tasks, comments, time entries, file attachments, backups and search indexes on every plan, including Free.

## Encryption details

- Data at rest is encrypted with AES-256, using keys managed in AWS Key Management Service (KMS).
- Brightdesk rotates encryption keys automatically every 12 months.
- Connections to the Brightdesk web app, desktop app, mobile apps and public API use TLS 1.2 or TLS 1.3, with HSTS enforced.
- Brightdesk never stores passwords in plain text and hashes passwords with bcrypt.
- Brightdesk signs webhook payloads with HMAC-SHA256 so receivers can verify that a request came from Brightdesk.

## Hosting and backups

Brightdesk runs on Amazon Web Services in the United States (Oregon) by default. Enterprise workspaces can choose EU data residency in Frankfurt, Germany. Brightdesk takes encrypted backups every hour and keeps backups for 30 days in a second region within the same jurisdiction.

## Certifications and testing

- Brightdesk holds a SOC 2 Type II report, renewed every year.
- An independent security firm runs a penetration test on Brightdesk at least once a year.
- Brightdesk runs a responsible disclosure program, and security researchers can report vulnerabilities to security@brightdesk.example.

## Access by Brightdesk staff

Brightdesk engineers cannot read workspace content by default. Brightdesk support staff can view a workspace only after a workspace admin grants temporary access under Settings → Security → Support access, and support access expires automatically after 72 hours.

To request the Brightdesk SOC 2 report, email security@brightdesk.example. Any workspace owner can download the Data Processing Agreement (DPA) from Settings → Security → Compliance.`,
	},
	{
		id: "sso-saml",
		title: "Set up single sign-on (SAML SSO) and SCIM",
		url: "https://help.brightdesk.example/articles/sso-saml",
		tags: ["security", "sso", "saml", "scim", "enterprise"],
		body: `Brightdesk single sign-on (SSO) with SAML 2.0 is available on the Enterprise plan. SAML SSO lets members sign in to Brightdesk with a company identity provider such as Okta, Microsoft Entra ID, Google Workspace or OneLogin.

## Set up SAML SSO

Setting up SAML SSO requires a Brightdesk workspace owner or admin and an admin of your identity provider.

1. Go to Settings → Security → Domains, add your email domain, and create the DNS TXT record that Brightdesk shows. Domain verification usually completes within 1 hour.
2. Go to Settings → Security → Single sign-on and copy the Brightdesk ACS URL and Entity ID.
3. Create a SAML app in your identity provider with the ACS URL and Entity ID, and map the email attribute to the user's email address.
4. Paste the identity provider's metadata URL, or upload its metadata XML file, into Brightdesk.
5. Click "Test SSO" and sign in with a test user.
6. Turn on "Require SSO" to stop members with the verified domain from signing in with passwords.

## SCIM user provisioning

Enterprise workspaces can also turn on SCIM 2.0 under Settings → Security → SCIM provisioning. SCIM provisioning creates Brightdesk members when users are assigned in the identity provider, and deactivates members within minutes when users are removed.

## Good to know about SSO

- Workspace owners can always sign in with a password and 2FA as a fallback, so a broken SSO configuration never locks out the whole workspace.
- Brightdesk does not offer SAML SSO on the Free, Team or Business plans, but every plan supports "Continue with Google" and "Continue with Microsoft" sign-in.

For help with SSO, Enterprise customers can contact their customer success manager or email support@brightdesk.example.`,
	},
	{
		id: "audit-logs",
		title: "Audit logs",
		url: "https://help.brightdesk.example/articles/audit-logs",
		tags: ["security", "compliance", "admin", "audit-log"],
		body: `Brightdesk audit logs record security and admin events in a workspace, such as sign-ins, permission changes, data exports and deletions. Audit logs are available on the Business plan, with 90 days of history, and on the Enterprise plan, with 1 year of history.

## View the audit log

1. Go to Settings → Security → Audit log. Only workspace owners and admins can open the audit log.
2. Filter events by member, event type, date range or IP address.
3. Click an event to see details, including the IP address, the device, and the values before and after a change.

## Events in the Brightdesk audit log

- Sign-ins, failed sign-ins and sign-outs, including SSO sign-ins
- Two-factor authentication turned on or off
- Members invited, removed or given a new role
- Projects created, archived, deleted or restored
- Workspace data exports and CSV or Trello imports
- API keys created or revoked, and webhooks added or deleted
- Changes to billing, plan, SSO and security settings

The Brightdesk audit log does not record ordinary task edits, because each task shows its own history in the task's Activity tab.

## Export the audit log

To export audit events, click "Export CSV" in Settings → Security → Audit log. Brightdesk exports up to 100,000 audit events per file. Enterprise workspaces can also stream audit events to a SIEM, such as Splunk or Datadog, through the audit log API at api.brightdesk.example/v1/audit-events.

Nobody in a workspace can edit or delete audit log entries, including workspace owners. Members on the Free and Team plans can still review recent sign-ins to their own account under Profile → Security → Active sessions.`,
	},
	{
		id: "gdpr-data-export",
		title: "GDPR, privacy and exporting your data",
		url: "https://help.brightdesk.example/articles/gdpr-data-export",
		tags: ["security", "privacy", "gdpr", "data-export"],
		body: `Brightdesk complies with the EU General Data Protection Regulation (GDPR) and the UK GDPR. Brightdesk acts as a data processor for workspace content, and each customer is the data controller for the personal data stored in its workspace.

## Export all workspace data

1. Go to Settings → Workspace → Export data. Only workspace owners and admins can export workspace data.
2. Choose JSON or CSV, and choose whether to include file attachments.
3. Click "Start export".

Brightdesk emails a download link when the workspace export is ready, usually within 1 hour and always within 24 hours. The export download link stays valid for 7 days. Workspace data exports are available on every plan, including Free.

## Export your personal data

To download the personal data Brightdesk holds about you, go to Profile → Privacy → Download my data. The Brightdesk personal data export includes your profile, sign-in history, notification settings, and the comments and time entries you created.

## Data subject requests

- For access and portability, use Profile → Privacy → Download my data.
- For correction, edit your profile, or ask a workspace admin to correct workspace content.
- For erasure, delete your account under Profile → Account → Delete account, or email privacy@brightdesk.example.

Brightdesk answers data subject requests sent to privacy@brightdesk.example within 30 days, as GDPR requires. Brightdesk keeps backups for 30 days, so deleted data disappears from Brightdesk backups within 30 days of permanent deletion.

## Data Processing Agreement

Any workspace owner can download and sign the Brightdesk Data Processing Agreement (DPA) from Settings → Security → Compliance. The Brightdesk DPA includes the EU Standard Contractual Clauses and the list of Brightdesk subprocessors, such as Amazon Web Services and Stripe.`,
	},
	{
		id: "suspicious-login",
		title: "Suspicious sign-in alerts and compromised accounts",
		url: "https://help.brightdesk.example/articles/suspicious-login",
		tags: ["security", "accounts", "login", "compromised"],
		body: `Brightdesk emails you a "New sign-in to your Brightdesk account" alert when your account signs in from a new device, browser or country. Each Brightdesk sign-in alert shows the time, approximate location, IP address and device of the sign-in.

If you recognise the sign-in, such as a new laptop or a trip abroad, no action is needed.

## Secure your account after an unknown sign-in

1. Click "Secure my account" in the alert email, or go to Profile → Security.
2. Change your password under Profile → Security → Password. Changing your Brightdesk password signs out every other session.
3. Go to Profile → Security → Active sessions and click "Sign out all other sessions" to be sure.
4. Turn on two-factor authentication under Profile → Security → Two-factor authentication.
5. Check Settings → Integrations → API keys and revoke any API key you do not recognise.
6. Review Profile → Connected apps and disconnect any app you do not recognise.

On Business and Enterprise plans, workspace admins can check Settings → Security → Audit log for actions taken by a suspicious session, such as exports or permission changes.

## Automatic sign-in protections

- Brightdesk locks sign-in for 15 minutes after 10 failed password attempts in a row.
- Brightdesk blocks passwords found in known data breaches.
- Brightdesk asks for email confirmation on sign-ins from unusual locations when 2FA is off.

## Locked out by an attacker

If you cannot sign in because someone changed your password or email address, email security@brightdesk.example right away from the address on the account. The Brightdesk security team responds to account takeover reports within 4 hours, every day of the year.`,
	},
	// -------------------------------------------------------------- integrations
	{
		id: "slack-integration",
		title: "Connect Brightdesk to Slack",
		url: "https://help.brightdesk.example/articles/slack-integration",
		tags: ["integrations", "slack", "notifications"],
		body: `The Brightdesk Slack integration sends project updates to Slack channels and lets members create Brightdesk tasks from Slack messages. The Slack integration is available on every Brightdesk plan, including Free.

## Connect Slack to Brightdesk

1. Go to Settings → Integrations → Slack and click "Connect".
2. Sign in to Slack and choose the Slack workspace.
3. Click "Allow" to approve the Brightdesk app.
4. Link each Brightdesk project to a Slack channel under Settings → Integrations → Slack → Channel mappings.

Only Brightdesk workspace admins can connect Slack, and some Slack workspaces also require approval from a Slack admin.

## What you can do in Slack

- Get channel notifications when tasks are created, assigned, completed or commented on.
- Type /brightdesk new followed by a title to create a Brightdesk task from any channel.
- Type /brightdesk timer start to start a time tracking timer, and /brightdesk timer stop to stop the timer.
- Choose "Create Brightdesk task" from the "More actions" menu on a Slack message to turn the message into a task with a link back to Slack.
- Paste a Brightdesk task link to see the task title, status, assignee and due date in Slack.

## Personal Slack notifications

Each member can get direct messages from the Brightdesk Slack app for assignments and mentions. To turn on Slack direct messages, go to Profile → Notifications → Slack and click "Link my Slack account".

## Troubleshooting Slack

If Brightdesk notifications stop arriving in a private Slack channel, invite the app with /invite @Brightdesk and check the channel mapping. If Settings → Integrations → Slack shows "Disconnected", a Slack admin may have removed the Brightdesk app; click "Reconnect" to restore the Slack integration.`,
	},
	{
		id: "github-integration",
		title: "Connect Brightdesk to GitHub",
		url: "https://help.brightdesk.example/articles/github-integration",
		tags: ["integrations", "github", "developers"],
		body: `The Brightdesk GitHub integration links branches, commits and pull requests to Brightdesk tasks, and moves tasks automatically when pull requests are opened or merged. The GitHub integration is available on every plan for GitHub.com, and GitHub Enterprise Server requires the Brightdesk Enterprise plan.

## Connect GitHub to Brightdesk

1. Go to Settings → Integrations → GitHub and click "Install GitHub app".
2. Choose the GitHub organisation or personal account.
3. Select all repositories, or only the repositories Brightdesk should see, then click "Install".
4. Map each repository to a Brightdesk project under Settings → Integrations → GitHub → Repositories.

## Link GitHub work to Brightdesk tasks

Every Brightdesk task has an ID such as BD-142, shown at the top of the task. To link GitHub work to a Brightdesk task, include the task ID in any of the following:

- The branch name, such as bd-142-fix-login
- A commit message
- The pull request title or description

Linked branches, commits and pull requests appear in the task's Development panel within about a minute.

## GitHub automations

By default, opening a pull request moves the linked Brightdesk task to "In review", and merging the pull request moves the task to "Done". To change the GitHub automation rules, go to Settings → Integrations → GitHub → Automations and pick a task status for each GitHub event.

## Troubleshooting GitHub

- If pull requests do not appear on a Brightdesk task, check that the repository is selected in the GitHub app settings and mapped to a project.
- Check that the task ID uses the right prefix, because each project has its own prefix, shown in Project settings → General.
- Brightdesk does not import commits made before the GitHub integration was installed.`,
	},
	{
		id: "google-calendar-integration",
		title: "Sync Brightdesk with Google Calendar",
		url: "https://help.brightdesk.example/articles/google-calendar-integration",
		tags: ["integrations", "google-calendar", "calendar", "time-tracking"],
		body: `The Brightdesk Google Calendar integration shows your Brightdesk task due dates and milestones in Google Calendar, and can turn calendar meetings into time entries. The Google Calendar integration is available on every plan and is connected by each member, not by the workspace.

## Connect Google Calendar

1. Go to Profile → Connected apps → Google Calendar and click "Connect".
2. Sign in with your Google account and allow Brightdesk to view and edit calendars.
3. Choose which Brightdesk projects to sync.
4. Click "Save".

Brightdesk creates a separate calendar called "Brightdesk" in your Google account, so your own Google Calendar events stay untouched.

## How Google Calendar sync works

- Brightdesk tasks assigned to you with a due date appear as all-day events on the due date.
- Brightdesk tasks with a start time and a duration appear as timed events.
- Moving a Brightdesk event in Google Calendar changes the task's due date in Brightdesk.
- Changes usually appear in Google Calendar within 5 minutes and always within 15 minutes.

## Log time from calendar meetings

To log time from meetings, turn on "Suggest time entries from meetings" under Profile → Connected apps → Google Calendar. Brightdesk then suggests a time entry for each meeting in your main Google calendar, and you can accept each suggestion in the Time tracking view with one click.

## Troubleshooting Google Calendar

- If Brightdesk events stop updating, disconnect and reconnect Google Calendar under Profile → Connected apps, because Google access can expire after a Google password change.
- Outlook and Apple Calendar users can subscribe to the read-only Brightdesk iCal feed under Profile → Connected apps → Calendar feed.`,
	},
	{
		id: "zapier-and-webhooks",
		title: "Zapier and webhooks",
		url: "https://help.brightdesk.example/articles/zapier-and-webhooks",
		tags: ["integrations", "zapier", "webhooks", "developers", "automation"],
		body: `Brightdesk connects to more than 5,000 apps through Zapier, and Brightdesk webhooks send real-time events to your own servers. Zapier and webhooks are available on the Team, Business and Enterprise plans.

## Connect Brightdesk to Zapier

1. In Zapier, create a Zap and search for the Brightdesk app.
2. Choose a Brightdesk trigger, such as "New task", "Task completed" or "New time entry", or a Brightdesk action, such as "Create task".
3. Sign in to Brightdesk when Zapier asks, and pick the workspace.

Zapier uses the Brightdesk public API, so Zapier requests count toward the workspace API rate limit.

## Create a webhook

1. Go to Settings → Integrations → Webhooks and click "Add webhook".
2. Enter an HTTPS endpoint URL.
3. Choose events, such as task.created, task.updated, task.completed, comment.created or time_entry.created.
4. Copy the signing secret and click "Save".

Team workspaces can create up to 20 webhooks, and Business and Enterprise workspaces can create up to 100 webhooks.

## Webhook delivery and retries

- Brightdesk sends each webhook event as a JSON POST request and signs the body with HMAC-SHA256 in the X-Brightdesk-Signature header.
- A webhook endpoint must return a 2xx status code within 10 seconds.
- Brightdesk retries failed webhook deliveries up to 5 times over 24 hours with exponential backoff.
- Brightdesk disables a webhook automatically after 50 consecutive failed deliveries and emails the workspace admins.

To re-enable a disabled webhook, fix the endpoint and click "Enable" in Settings → Integrations → Webhooks. The Deliveries tab of each Brightdesk webhook shows the last 30 days of requests and responses for debugging.`,
	},
	{
		id: "api-keys-and-rate-limits",
		title: "Public API, API keys and rate limits",
		url: "https://help.brightdesk.example/articles/api-keys-and-rate-limits",
		tags: ["integrations", "api", "developers", "rate-limits"],
		body: `The Brightdesk public API is a REST API at https://api.brightdesk.example/v1 that returns JSON. The Brightdesk public API is available on the Team, Business and Enterprise plans, and Free workspaces cannot create API keys.

## Create an API key

1. Go to Settings → Integrations → API keys. Only workspace owners and admins can manage API keys.
2. Click "Create API key", enter a name, and choose a scope: read-only, or read and write.
3. Copy the key, which starts with bd_live_. Brightdesk shows the full API key only once.

Send the API key in the Authorization header of each request, as the word Bearer followed by the key. A Brightdesk workspace can have up to 50 active API keys.

## API rate limits per plan

Brightdesk API rate limits apply per workspace, across all API keys and Zapier requests:

- Team: 100 requests per minute
- Business: 300 requests per minute
- Enterprise: 1,000 requests per minute

Every Brightdesk API response includes X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers. When a workspace goes over the rate limit, the API returns HTTP 429 Too Many Requests with a Retry-After header giving the number of seconds to wait, and clients should retry with exponential backoff.

## Other API limits

- Brightdesk list endpoints return up to 100 items per page, and the next_cursor field fetches the next page.
- Brightdesk API file uploads are limited to 250 MB per file.

## Keep API keys safe

- Never put Brightdesk API keys in front-end code or public repositories.
- Revoke a leaked API key immediately in Settings → Integrations → API keys; revoked keys stop working within 1 minute.

The full Brightdesk API reference is at https://developers.brightdesk.example.`,
	},
	// ----------------------------------------------------------- troubleshooting
	{
		id: "app-not-loading",
		title: "Brightdesk won't load in the browser (clear cache)",
		url: "https://help.brightdesk.example/articles/app-not-loading",
		tags: ["troubleshooting", "web-app", "browser", "cache"],
		body: `If the Brightdesk web app shows a blank page, loads forever or looks broken, first check status.brightdesk.example for an ongoing incident. If the Brightdesk status page shows all systems operational, the cause is usually the browser cache, a browser extension or a network filter.

Brightdesk supports the latest two versions of Chrome, Firefox, Safari and Microsoft Edge, and does not support Internet Explorer.

## Quick fixes when Brightdesk won't load

1. Do a hard refresh: press Ctrl+Shift+R on Windows or Linux, or Cmd+Shift+R on macOS.
2. Open app.brightdesk.example in a private or incognito window. If Brightdesk works in a private window, a cached file or an extension is the cause.
3. Turn off ad blockers, privacy extensions and script blockers for brightdesk.example.
4. Update the browser to the latest version and restart the browser.

## Clear the browser cache for Brightdesk

- In Chrome and Edge, go to Settings → Privacy and security → Clear browsing data, choose "Cached images and files" and "Cookies and other site data", and click "Clear data".
- In Firefox, go to Settings → Privacy & Security → Cookies and Site Data → Clear Data.
- In Safari, go to Settings → Privacy → Manage Website Data, search for brightdesk, and click "Remove".

Clearing cookies signs you out of Brightdesk, so have your password and 2FA device ready.

## Company networks and VPNs

Corporate firewalls and VPNs must allow all subdomains of brightdesk.example on port 443, plus WebSocket connections to realtime.brightdesk.example. Without WebSockets, Brightdesk loads but tasks do not update live.

If the web app still does not load, email support@brightdesk.example with your browser version, a screenshot, and any errors from the browser console (press F12 and open the Console tab).`,
	},
	{
		id: "mobile-sync-issues",
		title: "Mobile app not syncing",
		url: "https://help.brightdesk.example/articles/mobile-sync-issues",
		tags: ["troubleshooting", "mobile", "sync", "offline"],
		body: `The Brightdesk mobile app for iOS and Android syncs changes with the server in real time while online, and stores changes made offline until the device reconnects. The Brightdesk mobile app requires iOS 16 or later, or Android 10 or later.

## Quick fixes for mobile sync problems

1. Pull down on any list in the Brightdesk app to force a refresh.
2. Check that the device is online by opening a website.
3. Update the Brightdesk app from the App Store or Google Play.
4. Sign out and sign back in under Account → Sign out in the app menu.

## Offline changes

Items created offline show a small cloud icon until synced. The Brightdesk mobile app keeps up to 7 days of offline changes on the device. When two devices edit the same task while one is offline, Brightdesk keeps the most recent change and records both versions in the task's Activity tab.

Do not sign out or clear app data while items show the cloud icon, because clearing app data deletes unsynced offline changes.

## Background sync settings

- On iPhone and iPad, turn on Settings → General → Background App Refresh → Brightdesk, and turn off Low Power Mode.
- On Android, go to Settings → Apps → Brightdesk → Battery and choose "Unrestricted".

## Reset local data on the device

If tasks still look outdated after the quick fixes, open the Brightdesk app menu and choose Account → Advanced → Clear local data. The Brightdesk app then downloads a fresh copy of your workspace.

If mobile sync still fails, go to Account → Help → Send diagnostics in the app. Brightdesk diagnostics go to support@brightdesk.example with your device model and app version attached.`,
	},
	{
		id: "notifications-not-arriving",
		title: "Notifications not arriving",
		url: "https://help.brightdesk.example/articles/notifications-not-arriving",
		tags: ["troubleshooting", "notifications", "email", "push"],
		body: `Brightdesk sends notifications by email, mobile push, desktop app and browser for assignments, mentions, comments and due dates. If Brightdesk notifications stop arriving, first check your notification settings under Profile → Notifications.

## Check Brightdesk notification settings

- Make sure each channel (email, push and desktop) is turned on for the events you care about in Profile → Notifications.
- Check the Do not disturb schedule in Profile → Notifications → Schedule, because Brightdesk holds notifications during quiet hours and sends them afterwards.
- Check whether the project is muted, which Brightdesk shows as a crossed-out bell next to the project name in the sidebar.

## Email notifications

Brightdesk sends notification emails from notifications@brightdesk.example. If Brightdesk emails are missing, check the spam or junk folder, add notifications@brightdesk.example to your contacts, and ask your IT team to allow the brightdesk.example domain. If you chose the daily digest, Brightdesk sends one summary email at 08:00 in your time zone instead of separate emails.

## Mobile push notifications

- On iPhone, go to Settings → Notifications → Brightdesk and turn on "Allow Notifications".
- On Android, go to Settings → Apps → Brightdesk → Notifications and turn on all notification categories.
- Brightdesk sends push notifications only to devices signed in during the last 30 days.
- Brightdesk skips mobile push notifications while you are active in the web or desktop app, to avoid duplicate alerts.

## Desktop and browser notifications

To allow browser notifications, click the lock icon in the address bar and allow notifications for app.brightdesk.example. On macOS, also allow Brightdesk in System Settings → Notifications. On Windows, turn off Do Not Disturb.

If notifications still do not arrive, email support@brightdesk.example with the time of a missed notification and the task link.`,
	},
	{
		id: "import-csv-trello",
		title: "Import from CSV or Trello (and fix import errors)",
		url: "https://help.brightdesk.example/articles/import-csv-trello",
		tags: ["troubleshooting", "import", "migration", "csv", "trello"],
		body: `Brightdesk can import tasks from a CSV file, or boards from Trello, into a new or existing project. To start an import, go to Settings → Import and choose "CSV file" or "Trello".

## CSV import requirements

- A Brightdesk CSV import file must be UTF-8 encoded, have a header row, and be no larger than 10 MB or 10,000 rows.
- The only required CSV column is Title. Optional columns include Description, Status, Assignee, Due date, Tags, Estimate and Parent task.
- Dates in a CSV import must use the YYYY-MM-DD format, such as 2025-03-31.
- Assignee values must be emails of workspace members.

## Import from Trello

1. Go to Settings → Import → Trello and click "Connect Trello".
2. Choose the Trello boards to import.
3. Map Trello lists to Brightdesk statuses, and Trello members to Brightdesk members.
4. Click "Start import".

Brightdesk imports Trello cards, lists, labels, checklists, comments, due dates and attachments up to 25 MB each. Large Trello boards can take up to 30 minutes to import, and Brightdesk emails you when the import finishes.

## Common import errors

- "Unknown assignee" means the assignee email address is not a workspace member; invite the member first, or leave the Assignee cell empty.
- "Invalid date" means a date is not in YYYY-MM-DD format; reformat the date column in your spreadsheet app.
- "File encoding not supported" means the file is not UTF-8; save the file again as "CSV UTF-8" in Excel or Google Sheets.
- "Row limit exceeded" means the file has more than 10,000 rows; split the file into smaller files.

To undo an import within 7 days, go to Settings → Import → History and click "Revert import".`,
	},
	{
		id: "desktop-app-crashes",
		title: "Desktop app crashes or freezes",
		url: "https://help.brightdesk.example/articles/desktop-app-crashes",
		tags: ["troubleshooting", "desktop", "crash"],
		body: `The Brightdesk desktop app runs on Windows 10 or later, macOS 12 Monterey or later, and Ubuntu 20.04 or later. Most Brightdesk desktop app crashes are fixed by updating the app, clearing the app cache or turning off hardware acceleration.

## Update the desktop app

Brightdesk desktop updates install automatically when the app restarts. To check for updates manually, open the Brightdesk menu on macOS, or the Help menu on Windows and Linux, and click "Check for updates". Brightdesk supports only the latest desktop version and the version before it.

## Clear the desktop app cache

1. In the Brightdesk desktop app, go to Help → Troubleshooting → Clear cache and restart.
2. If the desktop app crashes before it opens, quit Brightdesk and delete the Cache folder inside the Brightdesk app data folder listed below.
3. Start Brightdesk again and sign in.

The Brightdesk app data folder is in the following location on each system:

- Windows: the Brightdesk folder inside %APPDATA%
- macOS: ~/Library/Application Support/Brightdesk
- Linux: ~/.config/Brightdesk

Clearing the desktop app cache does not delete any tasks or time entries, because Brightdesk stores all workspace data on its servers. A running Brightdesk timer keeps running on the server while the desktop app restarts.

## Turn off hardware acceleration

Graphics driver problems can cause a white or black Brightdesk window. To turn off hardware acceleration, go to Preferences → Advanced, switch off "Use hardware acceleration", and restart the desktop app.

## Send crash logs to support

If the Brightdesk desktop app keeps crashing, go to Help → Troubleshooting → Export logs and email the ZIP file to support@brightdesk.example with your operating system version. As a workaround, the web app at app.brightdesk.example offers the same features in any supported browser.`,
	},
	// ------------------------------------------------------------------- support
	{
		id: "contact-support",
		title: "Contact Brightdesk support",
		url: "https://help.brightdesk.example/articles/contact-support",
		tags: ["support", "contact", "help"],
		body: `You can contact Brightdesk support through the in-app support chat, by email at support@brightdesk.example, or from Help → Contact support in the web, desktop and mobile apps. The Brightdesk support assistant in the chat answers common questions instantly, at any time of day.

## Brightdesk support channels by plan

- Free: email support, with a response within 3 business days
- Team: email support, with a response within 1 business day
- Business: priority email and live chat with a human agent, with a response within 4 business hours
- Enterprise: email, live chat and phone support, with a 1-hour response 24/7 for urgent issues, a 4-business-hour response for other issues, and a dedicated customer success manager

## Support hours

Brightdesk human support works Monday to Friday, 08:00 to 20:00 UTC, except on major public holidays. Brightdesk answers emails sent outside support hours in the order received when the support team is back. Enterprise urgent issues, such as a whole workspace being unavailable, are handled 24 hours a day, 7 days a week.

## Get a faster answer from support

Include the following details in your support request:

- Your workspace URL, such as acme.brightdesk.example
- What you expected and what happened instead
- The steps to reproduce the problem
- Screenshots or a short screen recording
- Your browser, app version and device, for technical issues

Billing questions and refund requests must come from a workspace owner or billing admin. Account recovery requests must come from the email address on the account.

During an outage, check status.brightdesk.example first; Brightdesk posts incident updates on the status page every 30 minutes until the issue is resolved.`,
	},
	{
		id: "talk-to-a-human",
		title: "Escalate to a human agent",
		url: "https://help.brightdesk.example/articles/talk-to-a-human",
		tags: ["support", "escalation", "contact", "human"],
		body: `To talk to a human at Brightdesk, type "talk to a human" in the support chat, or click "Contact a person" under any answer from the support assistant. The Brightdesk support assistant then creates a support ticket with the full chat history, so you do not need to repeat yourself.

## What happens after you escalate

1. Brightdesk creates a support ticket and emails you a ticket number, such as #48213.
2. A human support agent replies by email, or in live chat on Business and Enterprise plans during support hours.
3. Replying to the ticket email adds your message to the same support ticket.

## Response times for escalated tickets

- Free: a human reply within 3 business days
- Team: a human reply within 1 business day
- Business: a human reply within 4 business hours, with live chat during support hours (Monday to Friday, 08:00 to 20:00 UTC)
- Enterprise: a human reply within 1 hour, 24/7, for urgent issues, and within 4 business hours for other issues

## Urgent problems

Enterprise admins can mark a ticket as Priority 1 when the workspace is down or data is at risk, which pages the on-call Brightdesk support engineer at any hour. Enterprise customers can also call the support phone number shown in Settings → Billing → Plan → Support.

## Escalate an existing ticket

If a Brightdesk ticket has no answer within the response time for your plan, reply to the ticket email with "Please escalate". A Brightdesk support lead reviews escalated tickets within 1 business day.

For security issues, such as a possible account takeover, email security@brightdesk.example, which the Brightdesk security team monitors every day of the year.`,
	},
];
