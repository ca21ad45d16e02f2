/**
 * Runs the registry's tools for one verified user (CONTRACT §8): reads
 * through the per-user cache (15 min), writes straight to the back office
 * with the call's id as `Idempotency-Key`, and a write's invoice checked
 * against the user's own invoices before the back office is asked to act.
 * Failures come back as values the model can read (`{ error, detail }`):
 * the assistant says what went wrong instead of inventing an answer.
 */
import type { TieredCache } from "../cache";
import { describeError } from "../errors";
import { toolResultKey } from "./account-cache";
import { type BackOffice, BackOfficeRefused, BackOfficeUnavailable } from "./back-office";
import { type Invoice, invoicesSchema, type ReadTool, TOOLS, type WriteTool } from "./registry";

/** What a call left: its result, or why it has none. `attempts`: the back-office requests it sent. */
export type ToolOutcome =
	| { status: "done"; result: unknown; attempts: number }
	| {
			status: "failed";
			result: { error: "unavailable" | "refused" | "not_your_invoice" | "invalid_arguments" | "unknown_tool"; detail?: string };
			attempts: number;
	  };

export interface ToolExecutor {
	read(tool: ReadTool, name: string, args: unknown): Promise<ToolOutcome>;
	/** The user's invoice `invoiceId`, from their (cached) invoice list; a failed outcome when it is not theirs or cannot be read. */
	ownInvoice(invoiceId: string): Promise<{ invoice: Invoice; attempts: number } | Extract<ToolOutcome, { status: "failed" }>>;
	write(tool: WriteTool, args: unknown, idempotencyKey: string): Promise<ToolOutcome>;
}

/**
 * @example const tools = toolExecutor("usr_ada", (counter) => backOffice(config, undefined, counter), accountCache(env))
 */
export function toolExecutor(userId: string, connect: (counter: { attempted(): void }) => BackOffice, cache: TieredCache): ToolExecutor {
	const counted = () => {
		let attempts = 0;
		return { backOffice: connect({ attempted: () => attempts++ }), attempts: () => attempts };
	};
	const read = async (tool: ReadTool, name: string, args: unknown): Promise<ToolOutcome> => {
		const { backOffice, attempts } = counted();
		try {
			const key = await toolResultKey(userId, name);
			const text = await cache.getOrCompute(key, "tool-result", async () => JSON.stringify(await tool.run(backOffice, userId, args)));
			return { status: "done", result: JSON.parse(text), attempts: attempts() };
		} catch (error) {
			return failed(error, attempts());
		}
	};
	return {
		read,
		async ownInvoice(invoiceId) {
			const listed = await read(TOOLS.list_invoices, "list_invoices", {});
			if (listed.status === "failed") return listed;
			const invoices = invoicesSchema.safeParse(listed.result);
			const invoice = invoices.success ? invoices.data.invoices.find((i) => i.id === invoiceId) : undefined;
			if (!invoice)
				return {
					status: "failed",
					result: { error: "not_your_invoice", detail: `no invoice ${invoiceId} on this account` },
					attempts: listed.attempts,
				};
			return { invoice, attempts: listed.attempts };
		},
		async write(tool, args, idempotencyKey) {
			const { backOffice, attempts } = counted();
			try {
				return { status: "done", result: await tool.run(backOffice, userId, args, idempotencyKey), attempts: attempts() };
			} catch (error) {
				return failed(error, attempts());
			}
		},
	};
}

function failed(error: unknown, attempts: number): Extract<ToolOutcome, { status: "failed" }> {
	if (error instanceof BackOfficeRefused) return { status: "failed", result: { error: "refused", detail: error.detail }, attempts };
	// The error's description names no account data: only what failed (a timeout, a status).
	if (!(error instanceof BackOfficeUnavailable)) console.error(JSON.stringify({ event: "tool_failed", error: describeError(error) }));
	return { status: "failed", result: { error: "unavailable" }, attempts };
}
