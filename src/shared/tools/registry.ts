/**
 * The back-office tools (CONTRACT §8), one typed registry: each tool's
 * arguments and result are zod schemas, its effect is `read` or `write`, and
 * its cache TTL follows from the effect (reads 15 minutes per user, writes
 * never). The model sees each tool's description and its arguments' JSON
 * Schema; whatever it sends back is parsed here before anything runs.
 *
 * No tool takes a user id: every call acts for the session's verified user,
 * whom the caller passes, never the model.
 */
import { z } from "zod";
import { type BackOffice, segment } from "./back-office";

const invoiceIdSchema = z
	.string()
	.trim()
	.regex(/^[A-Za-z0-9_-]{1,64}$/, "an invoice id such as INV-1001")
	.describe("The invoice's id, as list_invoices shows it, e.g. INV-1001.");

export const subscriptionSchema = z.object({
	plan: z.string(),
	billingCycle: z.string(),
	status: z.string(),
	renewsOn: z.string(),
	seats: z.number().int(),
	price: z.string().optional(),
	paymentMethod: z.string().optional(),
});

export const invoiceSchema = z.object({
	id: z.string(),
	date: z.string(),
	amount: z.string(),
	status: z.string(),
	failureReason: z.string().optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;
export const invoicesSchema = z.object({ invoices: z.array(invoiceSchema).max(500) });

const resentSchema = z.object({ invoiceId: z.string(), sentTo: z.string(), sentAt: z.string() });
const refundSchema = z.object({ id: z.string(), invoiceId: z.string(), reason: z.string(), createdAt: z.string() });

export const profileSchema = z.object({
	id: z.string(),
	name: z.string().max(128).optional(),
	email: z.string().max(254).optional(),
	plan: z.string().max(64).optional(),
	billingCycle: z.string().max(32).optional(),
});
export type Profile = z.infer<typeof profileSchema>;

/** A tool that only reads. `run` parses its arguments with `args` again: no caller can skip the schema. */
export interface ReadTool {
	effect: "read";
	description: string;
	args: z.ZodType;
	result: z.ZodType;
	run(backOffice: BackOffice, userId: string, args: unknown): Promise<unknown>;
}

/** A tool that changes the account: run only after the user's approval, with the call's id as its idempotency key. */
export interface WriteTool {
	effect: "write";
	description: string;
	args: z.ZodType;
	result: z.ZodType;
	/** In plain words, what will happen, for the confirmation card (the invoice the user owns, looked up first). */
	summary(args: unknown, invoice: Invoice): string;
	/** The invoice the call acts on: it must be the user's (checked before the back office is asked anything). */
	invoiceOf(args: unknown): string;
	run(backOffice: BackOffice, userId: string, args: unknown, idempotencyKey: string): Promise<unknown>;
}

export type Tool = ReadTool | WriteTool;

/** A read tool from its typed parts. */
function readTool<A extends z.ZodType, R extends z.ZodType>(spec: {
	description: string;
	args: A;
	result: R;
	run(backOffice: BackOffice, userId: string, args: z.output<A>): Promise<z.output<R>>;
}): ReadTool {
	return { effect: "read", ...spec, run: (backOffice, userId, args) => spec.run(backOffice, userId, spec.args.parse(args)) };
}

/** A write tool from its typed parts. */
function writeTool<A extends z.ZodType, R extends z.ZodType>(spec: {
	description: string;
	args: A;
	result: R;
	summary(args: z.output<A>, invoice: Invoice): string;
	invoiceOf(args: z.output<A>): string;
	run(backOffice: BackOffice, userId: string, args: z.output<A>, idempotencyKey: string): Promise<z.output<R>>;
}): WriteTool {
	return {
		effect: "write",
		description: spec.description,
		args: spec.args,
		result: spec.result,
		summary: (args, invoice) => spec.summary(spec.args.parse(args), invoice),
		invoiceOf: (args) => spec.invoiceOf(spec.args.parse(args)),
		run: (backOffice, userId, args, key) => spec.run(backOffice, userId, spec.args.parse(args), key),
	};
}

const noArgs = z.object({}).strict();
const user = (userId: string) => `/users/${segment(userId)}`;

export const TOOLS = {
	get_subscription: readTool({
		description: "The signed-in user's subscription: plan, billing cycle, status, renewal date, seats, price and payment method.",
		args: noArgs,
		result: subscriptionSchema,
		run: (backOffice, userId) => backOffice.get(`${user(userId)}/subscription`, subscriptionSchema),
	}),
	list_invoices: readTool({
		description:
			"The signed-in user's invoices, oldest first: id, date, amount, status (paid, payment_failed, refunded) and why a payment failed.",
		args: noArgs,
		result: invoicesSchema,
		run: (backOffice, userId) => backOffice.get(`${user(userId)}/invoices`, invoicesSchema),
	}),
	resend_invoice: writeTool({
		description: "Emails one of the signed-in user's invoices to them again. Needs the user's confirmation.",
		args: z.object({ invoiceId: invoiceIdSchema }).strict(),
		result: resentSchema,
		invoiceOf: (args) => args.invoiceId,
		summary: (_args, invoice) => `Email invoice ${invoice.id} (${invoice.date}, ${invoice.amount}) again to the address on your account.`,
		run: (backOffice, userId, args, key) =>
			backOffice.post(`${user(userId)}/invoices/${segment(args.invoiceId)}/resend`, {}, key, resentSchema),
	}),
	request_refund: writeTool({
		description: "Requests a refund of one of the signed-in user's paid invoices, with the user's reason. Needs the user's confirmation.",
		args: z
			.object({
				invoiceId: invoiceIdSchema,
				reason: z.string().trim().min(1).max(500).describe("Why the user wants the refund, in their words."),
			})
			.strict(),
		result: refundSchema,
		invoiceOf: (args) => args.invoiceId,
		summary: (args, invoice) => `Request a refund of invoice ${invoice.id} (${invoice.date}, ${invoice.amount}). Reason: ${args.reason}`,
		run: (backOffice, userId, args, key) =>
			backOffice.post(`${user(userId)}/refunds`, { invoiceId: args.invoiceId, reason: args.reason }, key, refundSchema),
	}),
} as const satisfies Record<string, Tool>;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS).filter((name): name is ToolName => Object.hasOwn(TOOLS, name));

const BY_NAME = new Map<string, Tool>(Object.entries(TOOLS));

/** A read tool's answers stay fresh this long, per user (CONTRACT §8); writes are never cached. */
export const READ_TOOL_TTL_SECONDS = 15 * 60;

/** The tool a model named, if the registry has one (any other name is refused as `unknown_tool`). */
export function toolNamed(name: string): Tool | undefined {
	return BY_NAME.get(name);
}

/** What the model is offered: OpenAI's function-tool shape, which Workers AI reads too. */
export interface ToolSpec {
	type: "function";
	function: { name: string; description: string; parameters: Record<string, unknown> };
}

export const TOOL_SPECS: ToolSpec[] = TOOL_NAMES.map((name) => {
	const tool = TOOLS[name];
	const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.args, { io: "input" }) as Record<string, unknown>;
	return { type: "function", function: { name, description: tool.description, parameters } };
});
