/**
 * A signed-in user's turn (src/shared/turn/account-reply.ts) with a scripted
 * model, a recording ledger and a recording executor: the rounds of calls and
 * results the model reads, writes proposed and not run, approved writes run
 * once by their call id, pending ones cancelled, repeats skipped, the round
 * cap, and a fuzz over malformed calls from the model: nothing with invalid
 * arguments ever reaches the back office, and the turn always ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AiProvider, ChatMessage, CompletionRequest, ToolCall } from "../../../src/shared/ai/provider";
import type { ToolExecutor, ToolOutcome } from "../../../src/shared/tools/executor";
import { TOOL_NAMES, toolNamed } from "../../../src/shared/tools/registry";
import {
	type AccountPorts,
	accountReply,
	MAX_TOOL_ROUNDS,
	type RecordedCall,
	type ToolLedger,
} from "../../../src/shared/turn/account-reply";
import type { ReplySink } from "../../../src/shared/turn/delta-coalescer";

type Step = { calls: ToolCall[] } | { text: string };

/** A model that answers each round with the next step, and remembers what it was sent. */
function scripted(steps: Step[]): AiProvider & { requests: CompletionRequest[] } {
	const requests: CompletionRequest[] = [];
	return {
		name: "scripted",
		model: "scripted",
		smallModel: undefined,
		requests,
		async *stream(request) {
			requests.push(request);
			const step = steps[Math.min(requests.length - 1, steps.length - 1)] ?? { text: "ok" };
			if ("calls" in step && request.tools) {
				request.tools.called(step.calls);
				return;
			}
			yield "text" in step ? step.text : "No tools left, so here is what I have.";
		},
	};
}

const INVOICES = { invoices: [{ id: "INV-1001", date: "2026-03-14", amount: "$480.00", status: "paid" }] };

function recordingExecutor(outcome: (name: string) => ToolOutcome = () => ({ status: "done", result: { ok: true }, attempts: 1 })) {
	const log: { kind: "read" | "write" | "own"; name?: string; args: unknown; key?: string }[] = [];
	const executor: ToolExecutor = {
		async read(_tool, name, args) {
			log.push({ kind: "read", name, args });
			return name === "list_invoices" ? { status: "done", result: INVOICES, attempts: 1 } : outcome(name);
		},
		async ownInvoice(invoiceId) {
			log.push({ kind: "own", args: invoiceId });
			const invoice = INVOICES.invoices.find((i) => i.id === invoiceId);
			return invoice ? { invoice, attempts: 0 } : { status: "failed", result: { error: "not_your_invoice" }, attempts: 0 };
		},
		async write(_tool, args, key) {
			log.push({ kind: "write", args, key });
			return { status: "done", result: { id: "rf_1" }, attempts: 1 };
		},
	};
	return { executor, log };
}

function recordingLedger(recorded: RecordedCall[] = []) {
	const events: string[] = [];
	const proposals: { callId: string; name: string; args: unknown; summary: string }[] = [];
	const ledger: ToolLedger = {
		recorded,
		record: (call) => events.push(`record ${call.name} ${call.status}`),
		propose: async (call) => {
			proposals.push(call);
			return true;
		},
		sending: (callId) => events.push(`sending ${callId}`),
		settle: (callId, status) => events.push(`settle ${callId} ${status}`),
	};
	return { ledger, events, proposals };
}

const sink = (): ReplySink & { text: string } => {
	const out = {
		text: "",
		owned: true,
		add(t: string) {
			out.text += t;
		},
		flush: async () => true,
	};
	return out;
};
const turn = (text: string) => ({
	summary: null,
	history: [{ seq: 1, id: "m1", role: "user" as const, text, createdAt: "2026-12-04T00:00:00.000Z", status: "complete" as const }],
});
const ports = (executor: ToolExecutor, ledger: ToolLedger): AccountPorts => ({
	account: { userId: "usr_ada", name: "Ada Lovelace", plan: "Pro" },
	tools: executor,
	ledger,
});
const toolMessages = (messages: ChatMessage[]) => messages.filter((m) => m.role === "tool" || (m.role === "assistant" && m.toolCalls));

describe("an account turn", () => {
	it("runs a read, gives the model its result, and answers with the call listed", async () => {
		const model = scripted([{ calls: [{ id: "c1", name: "get_subscription", arguments: {} }] }, { text: "From your account: Pro." }]);
		const { executor, log } = recordingExecutor();
		const { ledger, events } = recordingLedger();
		const reply = await accountReply(turn("what plan am I on?"), [], model, sink(), ports(executor, ledger));
		expect(reply).toMatchObject({
			kind: "answer",
			answer: { text: "From your account: Pro.", tools: [{ name: "get_subscription", status: "done" }] },
		});
		expect(log).toEqual([{ kind: "read", name: "get_subscription", args: {} }]);
		expect(events).toEqual(["record get_subscription done"]);
		// The profile is in the prompt; the second round reads the call and its result.
		expect(model.requests[0]?.messages[0]?.content).toMatch(/signed in \(id usr_ada, name Ada Lovelace, plan Pro\)/);
		const second = toolMessages(model.requests[1]?.messages ?? []);
		expect(second).toMatchObject([
			{ role: "assistant", toolCalls: [{ name: "get_subscription" }] },
			{ role: "tool", name: "get_subscription", content: '{"ok":true}' },
		]);
	});

	it("refuses malformed arguments and unknown tools without calling anything, and tells the model why", async () => {
		const model = scripted([
			{
				calls: [
					{ id: "c1", name: "request_refund", arguments: { invoiceId: 42 } },
					{ id: "c2", name: "delete_account", arguments: {} },
					{ id: "c3", name: "resend_invoice", arguments: "{not json" },
				],
			},
			{ text: "Sorry, I could not do that." },
		]);
		const { executor, log } = recordingExecutor();
		const { ledger, events, proposals } = recordingLedger();
		const reply = await accountReply(turn("refund"), [], model, sink(), ports(executor, ledger));
		expect(log).toEqual([]);
		expect(proposals).toEqual([]);
		expect(events).toEqual(["record request_refund failed", "record delete_account failed", "record resend_invoice failed"]);
		expect(reply?.kind).toBe("answer");
		const results = toolMessages(model.requests[1]?.messages ?? []).filter((m) => m.role === "tool");
		expect(results.map((m) => JSON.parse(m.content).error)).toEqual(["invalid_arguments", "unknown_tool", "invalid_arguments"]);
	});

	it("proposes a write on the user's own invoice and stops there: nothing is written before the answer", async () => {
		const model = scripted([{ calls: [{ id: "c1", name: "request_refund", arguments: { invoiceId: "INV-1001", reason: "unused" } }] }]);
		const { executor, log } = recordingExecutor();
		const { ledger, proposals } = recordingLedger();
		expect(await accountReply(turn("refund INV-1001"), [], model, sink(), ports(executor, ledger))).toEqual({ kind: "confirming" });
		expect(proposals).toEqual([
			{
				callId: expect.stringMatching(/^call_/),
				name: "request_refund",
				args: { invoiceId: "INV-1001", reason: "unused" },
				summary: expect.stringMatching(/INV-1001 \(2026-03-14, \$480\.00\)/),
			},
		]);
		expect(log.map((l) => l.kind)).toEqual(["own"]);
	});

	it("runs an approved write once, keyed by its call id, then answers from its result", async () => {
		const recorded: RecordedCall[] = [
			{ callId: "call_A", name: "request_refund", argsJson: '{"invoiceId":"INV-1001","reason":"unused"}', status: "approved" },
		];
		const model = scripted([{ text: "Done: refund requested." }]);
		const { executor, log } = recordingExecutor();
		const { ledger, events } = recordingLedger(recorded);
		const reply = await accountReply(turn("refund INV-1001"), [], model, sink(), ports(executor, ledger));
		expect(log).toEqual([{ kind: "write", args: { invoiceId: "INV-1001", reason: "unused" }, key: "call_A" }]);
		expect(events).toEqual(["sending call_A", "settle call_A done"]);
		expect(reply).toMatchObject({ kind: "answer", answer: { tools: [{ callId: "call_A", status: "done" }] } });
	});

	it("cancels a write still pending when a new attempt starts, and never runs it", async () => {
		const recorded: RecordedCall[] = [
			{ callId: "call_P", name: "resend_invoice", argsJson: '{"invoiceId":"INV-1001"}', status: "pending" },
		];
		const model = scripted([{ text: "Nothing was done." }]);
		const { executor, log } = recordingExecutor();
		const { ledger, events } = recordingLedger(recorded);
		const reply = await accountReply(turn("resend"), [], model, sink(), ports(executor, ledger));
		expect(log).toEqual([]);
		expect(events).toEqual(["settle call_P cancelled"]);
		expect(reply).toMatchObject({ answer: { tools: [{ callId: "call_P", status: "cancelled" }] } });
		const result = toolMessages(model.requests[0]?.messages ?? []).find((m) => m.role === "tool");
		expect(JSON.parse(result?.content ?? "{}")).toMatchObject({ status: "cancelled" });
	});

	it("does not make the same call twice in a turn, and stops offering tools after the round cap", async () => {
		const again: Step = { calls: [{ id: "x", name: "list_invoices", arguments: {} }] };
		const model = scripted([again, again, again, again, again, again, { text: "never reached" }]);
		const { executor, log } = recordingExecutor();
		const { ledger } = recordingLedger();
		const reply = await accountReply(turn("my invoices"), [], model, sink(), ports(executor, ledger));
		expect(log).toEqual([{ kind: "read", name: "list_invoices", args: {} }]);
		expect(model.requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
		expect(model.requests.at(-1)?.tools).toBeUndefined();
		expect(reply?.kind).toBe("answer");
	});
});

describe("malformed calls from the model (fuzz)", () => {
	const name = fc.oneof(fc.constantFrom(...TOOL_NAMES), fc.string({ maxLength: 20 }));
	const args = fc.oneof(
		fc.jsonValue({ maxDepth: 2 }),
		fc.record(
			{
				invoiceId: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant("INV-1001"), fc.constant("../../users/usr_grace")),
				reason: fc.oneof(fc.string({ maxLength: 600 }), fc.constant(null)),
			},
			{ requiredKeys: [] },
		),
		fc.string({ maxLength: 40 }),
	);
	const call = fc.record({ id: fc.string({ maxLength: 10 }), name, arguments: args });

	it("never sends the back office a call whose arguments fail the tool's schema, and always ends", async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls) => {
				const model = scripted([{ calls }, { text: "done" }]);
				const { executor, log } = recordingExecutor();
				const { ledger, proposals } = recordingLedger();
				const reply = await accountReply(turn("do things"), [], model, sink(), ports(executor, ledger));
				expect(reply === undefined ? "none" : reply.kind).toMatch(/answer|confirming/);
				for (const entry of log) {
					if (entry.kind === "own") expect(entry.args).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
					if (entry.kind === "read") expect(toolNamed(entry.name ?? "")?.args.safeParse(entry.args).success).toBe(true);
				}
				for (const proposal of proposals) expect(toolNamed(proposal.name)?.args.safeParse(proposal.args).success).toBe(true);
				// Only the user's own invoice can be proposed.
				for (const proposal of proposals) expect(proposal.args).toMatchObject({ invoiceId: "INV-1001" });
			}),
			{ numRuns: 300 },
		);
	});
});
