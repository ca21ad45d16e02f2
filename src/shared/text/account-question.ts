/**
 * Whether a message is about the user's *own* account, and which back-office
 * tool answers it (CONTRACT §8): the local provider reads this to emit the
 * same function calls a hosted model would, and to ask anonymous users to
 * sign in. Pure. It must leave help-center questions alone: "how do I
 * request a refund?" is for the articles, "I want a refund for INV-1001" is
 * for the account, and "when does my plan renew?" asks about one account.
 */
import type { ToolName } from "../tools/registry";

export interface AccountIntent {
	tool: ToolName;
	/** An invoice the message names (INV-1001), if any. */
	invoiceId?: string;
}

/** Asking how to do something, or about the policy: the help center answers, not the account. */
const HOW_TO =
	/\b(how (do|can|would|should|does) (i|we|you|one|it)|how to|how long|where (do|can|would) (i|we)|is there a way|what(?:'s| is) (the|your) (refund )?policy|policy|in general|generally)\b/i;
/** About this user or their team. */
const FIRST_PERSON = /\b(my|our|i|me|we|us|i'm|i've|we're|we've)\b/i;
const INVOICE_ID = /\b(INV-\d{1,12})\b/i;

const REFUND = /\brefund\b/i;
/**
 * Asking for one, not about them: "I want a refund", "refund INV-1001", "please refund my last
 * invoice", "can I get a refund for my last invoice?". "Can I get a refund on my annual plan?" asks about
 * the policy: the articles answer it.
 */
const WANTS_REFUND =
	/\b(i|we)\s*(want|would like|'d like|need)\s+(a |my |our |the )?(full |partial )?refund\b|\brefund (me|us|my last|our last|my latest|our latest|invoice)\b|\b(can|could) (i|we|you) (get|have|give|issue)( me| us)? (a |my |our )?refund (for|of) (my|our|this|that|the last|the latest|invoice|inv-)|\bplease\b.*\brefund|\brefund\b.*\bplease\b|\b(request|requesting|issue|process) (a |the |my |our )?refund (for|of) (my|our|this|that|the last|the latest|invoice)\b/i;
const RESEND =
	/\bre-?send\b|\bresent\b|\bsend\b[^.?!]{0,40}\b(again|another copy|a copy)\b|\be-?mail (me|us)\b[^.?!]{0,30}\b(invoice|receipt)/i;
const INVOICE_WORD = /\b(invoice|invoices|receipt|receipts|bill)\b/i;
/** Their own payments: "my last payment", "our invoices", "was I charged". */
const OWN_PAYMENTS =
	/\b(my|our)\s+(\w+\s+)?(payment|payments|invoice|invoices|charge|charges|bill|bills)\b|\b(was|were) (i|we) (charged|billed)\b|\bcharged (me|us)\b/i;
/** What happened to them, not what happens in general ("my payment failed, what happens now?" is for the articles). */
const PAYMENT_QUESTION =
	/\bwhy\b|\bwhich\b|\blist\b|\bshow\b|\bwhat (was|is|were|are) (my|our)\b|\b(last|latest|recent|most recent) (payment|invoice|charge|bill)s?\b|\b(outstanding|unpaid|owe)\b/i;
/** Taxes are the same for everyone: the articles answer them. */
const TAXES = /\b(vat|tax|taxes|gst)\b/i;
const CHANGE = /\b(change|upgrade|downgrade|cancel|switch|move|add|remove|buy)\b/i;
/** About their plan itself (which, when it renews, how many seats), not what a plan offers ("is SSO on my plan?"). */
const SUBSCRIPTION =
	/\b(what|which) (plan|subscription) (am i|are we|do i have|do we have)\b|\b(what|which)( is|'s| are)? (my|our) (current )?(plan|subscription)\b|\bwhen (do|does|will|is)\b[^?]*\b(renew\w*|expir\w*)|\b(my|our) (renewal date|billing cycle|subscription status|current plan)\b|\bhow many seats (do|have|are) (i|we)\b|\bhow many seats\b[^?]*\b(my|our) (plan|subscription)\b/i;

/**
 * @example accountIntent("when does my plan renew?") // { tool: "get_subscription" }
 * @example accountIntent("I want a refund for INV-1001") // { tool: "request_refund", invoiceId: "INV-1001" }
 * @example accountIntent("how do I request a refund?") // undefined
 */
export function accountIntent(text: string): AccountIntent | undefined {
	const invoiceId = INVOICE_ID.exec(text)?.[1]?.toUpperCase();
	const named = invoiceId ? { invoiceId } : {};
	// An invoice id is always about an account, whatever else the message asks.
	if (HOW_TO.test(text) && !invoiceId) return undefined;
	if (REFUND.test(text) && (WANTS_REFUND.test(text) || invoiceId)) return { tool: "request_refund", ...named };
	if (RESEND.test(text) && (INVOICE_WORD.test(text) || invoiceId)) return { tool: "resend_invoice", ...named };
	if (!FIRST_PERSON.test(text) && !invoiceId) return undefined;
	if (OWN_PAYMENTS.test(text) && PAYMENT_QUESTION.test(text) && !CHANGE.test(text) && !TAXES.test(text))
		return { tool: "list_invoices", ...named };
	if (SUBSCRIPTION.test(text) && !CHANGE.test(text)) return { tool: "get_subscription" };
	return undefined;
}
