/**
 * The local provider's account skills (CONTRACT §8): what a hosted model does
 * with the back-office tools, done deterministically, so `npm run dev`,
 * the tests and the benchmarks run the very code path production runs.
 * Given a request, it either asks for function calls (in the same
 * `ToolCall` shape the adapters hand over) or writes the reply from the
 * results the conversation already holds. Without tools on offer (an
 * anonymous session) it asks the user to sign in, as the system prompt
 * tells a hosted model to.
 */
import { type AccountIntent, accountIntent } from "../text/account-question";
import type { ChatMessage, CompletionRequest } from "./provider";

export const SIGN_IN_REPLY =
	"To look at your own account I need you to sign in first. Please sign in and ask again, and I'll check it for you.";

/** `pieces`: the calls as Workers AI's native `tool_calls` (the local provider reads them as the adapter does). */
export type AccountStep =
	| { kind: "call"; pieces: { name: string; arguments: Record<string, unknown> }[] }
	| { kind: "reply"; text: string };

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: string; detail: string; status?: string };

/** The calls this turn made so far (after the user's last message), with their arguments and results. */
interface TurnCall {
	name: string;
	args: Record<string, unknown>;
	result: Result;
}

/**
 * What the local model does with an account question; undefined when the question is not one.
 * @example localAccountStep("when does my plan renew?", request) // { kind: "call", calls: [{ name: "get_subscription", … }] }
 */
export function localAccountStep(question: string, request: CompletionRequest): AccountStep | undefined {
	const intent = accountIntent(question);
	if (!intent) return undefined;
	if (!request.tools) return { kind: "reply", text: SIGN_IN_REPLY };
	const done = turnCalls(request.messages);
	const last = (name: string) => done.findLast((c) => c.name === name);
	switch (intent.tool) {
		case "get_subscription": {
			const result = last("get_subscription")?.result;
			return result ? { kind: "reply", text: subscriptionReply(result) } : call("get_subscription", {});
		}
		case "list_invoices": {
			const result = last("list_invoices")?.result;
			return result ? { kind: "reply", text: invoicesReply(result, question, intent) } : call("list_invoices", {});
		}
		case "resend_invoice":
		case "request_refund":
			return writeStep(intent, question, done);
	}
}

/** A write: find the invoice (asking for the list when the message names none), then ask for the call, then report it. */
function writeStep(intent: AccountIntent, question: string, done: readonly TurnCall[]): AccountStep {
	const tool = intent.tool;
	const written = done.findLast((c) => c.name === tool);
	if (written) return { kind: "reply", text: writeReply(tool, written) };
	let invoiceId = intent.invoiceId;
	if (!invoiceId) {
		const list = done.findLast((c) => c.name === "list_invoices")?.result;
		if (!list) return call("list_invoices", {});
		if (!list.ok) return { kind: "reply", text: unavailableReply(list, "look up your invoices") };
		const invoices = invoicesOf(list.value);
		// A refund is for money taken: the latest paid invoice. A resend: the latest of any.
		const pick = tool === "request_refund" ? invoices.findLast((i) => i.status === "paid") : invoices.at(-1);
		if (!pick) return { kind: "reply", text: "From your account: there is no invoice for that, so I haven't done anything." };
		invoiceId = pick.id;
	}
	if (tool === "resend_invoice") return call("resend_invoice", { invoiceId });
	return call("request_refund", { invoiceId, reason: question.trim().slice(0, 200) });
}

function call(name: string, args: Record<string, unknown>): AccountStep {
	return { kind: "call", pieces: [{ name, arguments: args }] };
}

function subscriptionReply(result: Result): string {
	if (!result.ok) return unavailableReply(result, "see your plan");
	const s = result.value;
	const price = typeof s.price === "string" ? `, at ${s.price}` : "";
	const pastDue = s.status === "past_due" ? " Your latest payment didn't go through, so the subscription is past due until it does." : "";
	return `From your account: you're on the ${s.plan} plan, billed ${s.billingCycle}, with ${s.seats} seats. It renews on ${s.renewsOn}${price}.${pastDue}`;
}

function invoicesReply(result: Result, question: string, intent: AccountIntent): string {
	if (!result.ok) return unavailableReply(result, "look up your invoices");
	const invoices = invoicesOf(result.value);
	if (intent.invoiceId) {
		const invoice = invoices.find((i) => i.id === intent.invoiceId);
		if (!invoice) return `From your account: there is no invoice ${intent.invoiceId} on your account.`;
		return `From your account: invoice ${describe(invoice)}.`;
	}
	if (/\b(fail|failed|failing|declined|decline|bounced|go through)\b/i.test(question)) {
		const failed = invoices.findLast((i) => i.status === "payment_failed");
		if (!failed) return "From your account: none of your invoices has a failed payment; they are all paid.";
		const why = failed.failureReason ? `: ${failed.failureReason}` : "";
		return `From your account: the payment for invoice ${failed.id} (${failed.date}, ${failed.amount}) failed${why}. Update your payment method under Settings → Billing → Payment method, and the charge is retried.`;
	}
	if (invoices.length === 0) return "From your account: you have no invoices yet.";
	return `From your account, your invoices: ${invoices.map(describe).join("; ")}.`;
}

function writeReply(tool: string, written: TurnCall): string {
	const invoiceId = typeof written.args.invoiceId === "string" ? written.args.invoiceId : "that invoice";
	const what = tool === "request_refund" ? `requested a refund of invoice ${invoiceId}` : `resent invoice ${invoiceId}`;
	const result = written.result;
	if (result.ok) {
		if (tool === "request_refund") {
			return `Done: I've requested a refund of invoice ${invoiceId} on your account (reference ${String(result.value.id)}). You'll get an email once it's processed.`;
		}
		return `Done: invoice ${invoiceId} is on its way to ${String(result.value.sentTo)} again, from your account.`;
	}
	if (result.status === "declined") return `Okay, I haven't ${what}: nothing was changed on your account.`;
	if (result.status === "cancelled")
		return `I didn't get your answer in time, so I haven't ${what}: nothing was changed on your account. Ask again whenever you're ready.`;
	if (result.error === "not_your_invoice") return `There is no invoice ${invoiceId} on your account, so I haven't done anything.`;
	if (result.error === "refused" && result.detail) return `Your account says no: ${result.detail} Nothing was changed.`;
	return unavailableReply(result, tool === "request_refund" ? "request the refund" : "resend the invoice");
}

/** The back office failed: say so, never invent account data, and offer a person (CONTRACT §8). */
function unavailableReply(result: Extract<Result, { ok: false }>, what: string): string {
	if (result.error === "refused" && result.detail) return `Your account says no: ${result.detail}`;
	return `Sorry, I couldn't reach your account just now, so I can't ${what}. Please try again in a few minutes, or ask to talk to a person and someone from our team will help.`;
}

interface InvoiceView {
	id: string;
	date: string;
	amount: string;
	status: string;
	failureReason?: string;
}

function invoicesOf(value: Record<string, unknown>): InvoiceView[] {
	const list = Array.isArray(value.invoices) ? value.invoices : [];
	return list.filter((i): i is InvoiceView => typeof i === "object" && i !== null && typeof (i as InvoiceView).id === "string");
}

function describe(invoice: InvoiceView): string {
	const status = invoice.status === "payment_failed" ? "payment failed" : invoice.status;
	return `${invoice.id} (${invoice.date}, ${invoice.amount}) ${status}`;
}

/** The tool results after the last user message, each with the arguments its call carried. */
function turnCalls(messages: readonly ChatMessage[]): TurnCall[] {
	const lastUser = messages.findLastIndex((m) => m.role === "user");
	const args = new Map<string, Record<string, unknown>>();
	const calls: TurnCall[] = [];
	for (const message of messages.slice(lastUser + 1)) {
		if (message.role === "assistant") {
			for (const c of message.toolCalls ?? []) args.set(c.id, isRecord(c.arguments) ? c.arguments : {});
		} else if (message.role === "tool") {
			calls.push({ name: message.name, args: args.get(message.toolCallId) ?? {}, result: readResult(message.content) });
		}
	}
	return calls;
}

/** A tool message's content: a result object, or `{ error, detail }`, or `{ status: "declined" | "cancelled" }`. */
function readResult(content: string): Result {
	let value: unknown;
	try {
		value = JSON.parse(content);
	} catch {
		return { ok: false, error: "unreadable", detail: "" };
	}
	if (!isRecord(value)) return { ok: false, error: "unreadable", detail: "" };
	if (typeof value.error === "string")
		return { ok: false, error: value.error, detail: typeof value.detail === "string" ? value.detail : "" };
	if (value.status === "declined" || value.status === "cancelled")
		return { ok: false, error: value.status, detail: "", status: value.status };
	return { ok: true, value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
