/**
 * Identified users' back-office tools (CONTRACT §8): what the routes answer,
 * in zod/mini so the SDK parses with these very schemas (documented.ts).
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";
import { count, isoTime, nonEmpty } from "./scalars";

/** A tool call's life: proposed writes wait `pending` for the user; `approved` ones run once; the rest are final. */
export const TOOL_CALL_STATES = ["pending", "approved", "done", "failed", "declined", "cancelled"] as const;
export type ToolCallState = (typeof TOOL_CALL_STATES)[number];

export const toolCallRecordSchema = z.object({
	callId: nonEmpty,
	name: nonEmpty,
	/** Every tool's arguments are flat: ids and short texts. */
	args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
	status: z.enum(TOOL_CALL_STATES),
	attempts: count,
	createdAt: isoTime,
});
export type ToolCallRecord = z.infer<typeof toolCallRecordSchema>;

export const toolCallsSchema = z.object({ calls: z.array(toolCallRecordSchema) });
export type ToolCalls = z.infer<typeof toolCallsSchema>;
export const toolCallsDocs = {
	schema: toolCallsSchema,
	id: "ToolCalls",
	description:
		"Every back-office tool call of a session, oldest first. `attempts` counts the requests that reached (or tried to reach) the back office: a write's retries carry the same `Idempotency-Key`.",
	examples: [
		{
			calls: [
				{ callId: "call_9dQ", name: "list_invoices", args: {}, status: "done", attempts: 1, createdAt: "2026-12-04T09:00:01.000Z" },
				{
					callId: "call_4kR9",
					name: "request_refund",
					args: { invoiceId: "INV-1001", reason: "Charged after cancelling" },
					status: "done",
					attempts: 1,
					createdAt: "2026-12-04T09:00:05.000Z",
				},
			],
		},
	],
} satisfies Documented<typeof toolCallsSchema>;

export const confirmationAnsweredSchema = z.object({ callId: nonEmpty, status: z.enum(TOOL_CALL_STATES) });
export type ConfirmationAnswered = z.infer<typeof confirmationAnsweredSchema>;
export const confirmationAnsweredDocs = {
	schema: confirmationAnsweredSchema,
	id: "ConfirmationAnswered",
	description:
		"The call's state after the answer: `approved` (it runs once, then `done` or `failed`) or `declined`. A second answer changes nothing and returns the state the first one left.",
	examples: [{ callId: "call_4kR9", status: "approved" }],
} satisfies Documented<typeof confirmationAnsweredSchema>;
