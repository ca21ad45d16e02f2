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

interface ToolBase<A extends z.ZodType, R extends z.ZodType> {
	description: string;
	args: A;
	result: R;
}

export interface ReadTool<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> extends ToolBase<A, R> {
	effect: "read";
	run(backOffice: BackOffice, userId: string, args: z.output<A>): Promise<z.output<R>>;
}

export interface WriteTool<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> extends ToolBase<A, R> {
	effect: "write";
	/** In plain words, what will happen, for the confirmation card (the invoice the user owns, looked up first). */
	summary(args: z.output<A>, invoice: Invoice): string;
	/** The invoice the call acts on: it must be the user's (checked before the back office is asked anything). */
	invoiceOf(args: z.output<A>): string;
	run(backOffice: BackOffice, userId: string, args: z.output<A>, idempotencyKey: string): Promise<z.output<R>>;
}

export type Tool = ReadTool | WriteTool;

const noArgs = z.object({}).strict();
const user = (userId: string) => `/users/${segment(userId)}`;

export const TOOLS = {
	get_subscription: {
		effect: "read",
		description: "The signed-in user's subscription: plan, billing cycle, status, renewal date, seats, price and payment method.",
		args: noArgs,
		result: subscriptionSchema,
		run: (backOffice, userId) => backOffice.get(`${user(userId)}/subscription`, subscriptionSchema),
	} satisfies ReadTool<typeof noArgs, typeof subscriptionSchema>,
	list_invoices: {
		effect: "read",
		description:
			"The signed-in user's invoices, oldest first: id, date, amount, status (paid, payment_failed, refunded) and why a payment failed.",
		args: noArgs,
		result: invoicesSchema,
		run: (backOffice, userId) => backOffice.get(`${user(userId)}/invoices`, invoicesSchema),
	} satisfies ReadTool<typeof noArgs, typeof invoicesSchema>,
	resend_invoice: {
		effect: "write",
		description: "Emails one of the signed-in user's invoices to them again. Needs the user's confirmation.",
		args: z.object({ invoiceId: invoiceIdSchema }).strict(),
		result: resentSchema,
		invoiceOf: (args) => args.invoiceId,
		summary: (_args, invoice) => `Email invoice ${invoice.id} (${invoice.date}, ${invoice.amount}) again to the address on your account.`,
		run: (backOffice, userId, args, key) =>
			backOffice.post(`${user(userId)}/invoices/${segment(args.invoiceId)}/resend`, {}, key, resentSchema),
	} satisfies WriteTool<z.ZodObject<{ invoiceId: typeof invoiceIdSchema }>, typeof resentSchema>,
	request_refund: {
		effect: "write",
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
	} satisfies WriteTool<z.ZodObject<{ invoiceId: typeof invoiceIdSchema; reason: z.ZodString }>, typeof refundSchema>,
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

/** A read tool's answers stay fresh this long, per user (CONTRACT §8); writes are never cached. */
export const READ_TOOL_TTL_SECONDS = 15 * 60;

export function toolNamed(name: string): Tool | undefined {
	return Object.hasOwn(TOOLS, name) ? (TOOLS[name as ToolName] as unknown as Tool) : undefined;
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
