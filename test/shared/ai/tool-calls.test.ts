/**
 * Function calls in every shape the adapters meet (CONTRACT §8): Workers AI's
 * native calls, whole or streamed, and OpenAI's `tool_calls` pieces, whole or
 * streamed, all come out as the same ordered `ToolCall`s, at most
 * MAX_CALLS_PER_REPLY of them, and nothing a model sends makes the assembler
 * throw. Messages carrying calls and their results go back to the model in
 * OpenAI's wire shape.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../src/shared/ai/provider";
import { completionParts, MAX_CALLS_PER_REPLY, ToolCallAssembler, wireMessage } from "../../../src/shared/ai/tool-calls";

/** The calls of a reply whose events carry `events`, one `add` per event. */
function assemble(...events: unknown[]) {
	const calls = new ToolCallAssembler();
	for (const event of events) calls.add(event);
	return calls.finish();
}

/** Workers AI's last piece of a streamed call: it says nothing. */
const FINAL_PIECE = { id: null, type: null, function: { name: null } };

describe("ToolCallAssembler", () => {
	it("takes Workers AI's native whole calls, keeping object arguments, and gives each an id", () => {
		const calls = assemble([
			{ name: "get_subscription", arguments: {} },
			{ name: "request_refund", arguments: { invoiceId: "INV-1001", reason: "duplicate" } },
		]);
		expect(calls).toEqual([
			{ id: expect.stringMatching(/^call_/), name: "get_subscription", arguments: {} },
			{ id: expect.stringMatching(/^call_/), name: "request_refund", arguments: { invoiceId: "INV-1001", reason: "duplicate" } },
		]);
		expect(calls[0]?.id).not.toBe(calls[1]?.id);
	});

	it("joins native streamed pieces by index, and the empty finalization piece adds nothing", () => {
		const calls = new ToolCallAssembler();
		calls.add([{ index: 0, name: "request_refund", arguments: "" }]);
		calls.add([{ index: 0, arguments: '{"invoice' }]);
		calls.add([{ index: 0, arguments: 'Id":"INV-1001"}' }]);
		calls.add([FINAL_PIECE]);
		expect(calls.size).toBe(1);
		expect(calls.finish()).toEqual([{ id: expect.stringMatching(/^call_/), name: "request_refund", arguments: { invoiceId: "INV-1001" } }]);
	});

	it("makes no call of a finalization piece alone", () => {
		const calls = new ToolCallAssembler();
		calls.add([FINAL_PIECE]);
		calls.add([{ index: 0, ...FINAL_PIECE }]);
		calls.add([{ id: "", function: { name: "", arguments: "" } }]);
		expect(calls.size).toBe(0);
		expect(calls.finish()).toEqual([]);
	});

	it("continues the latest call with pieces that carry no index, and starts a new one at each name", () => {
		expect(
			assemble([{ name: "list_invoices", arguments: '{"limit":' }], [{ arguments: "3}" }], [{ name: "get_subscription" }], [FINAL_PIECE]),
		).toEqual([
			{ id: expect.any(String), name: "list_invoices", arguments: { limit: 3 } },
			{ id: expect.any(String), name: "get_subscription", arguments: {} },
		]);
	});

	it("assembles OpenAI delta.tool_calls pieces into parsed arguments and keeps the model's id", () => {
		const calls = assemble(
			[{ index: 0, id: "call_abc123", type: "function", function: { name: "resend_invoice", arguments: '{"inv' } }],
			[{ index: 0, function: { arguments: 'oiceId":"INV-1"}' } }],
		);
		expect(calls).toEqual([{ id: "call_abc123", name: "resend_invoice", arguments: { invoiceId: "INV-1" } }]);
	});

	it("keeps two parallel calls apart by index, in index order however their pieces interleave", () => {
		const calls = assemble(
			[{ index: 1, id: "call_b", function: { name: "list_invoices", arguments: "" } }],
			[{ index: 0, id: "call_a", function: { name: "get_subscription", arguments: "{" } }],
			[{ index: 1, function: { arguments: '{"limit":5}' } }],
			[{ index: 0, function: { arguments: "}" } }],
		);
		expect(calls).toEqual([
			{ id: "call_a", name: "get_subscription", arguments: {} },
			{ id: "call_b", name: "list_invoices", arguments: { limit: 5 } },
		]);
	});

	it("reads empty or blank argument text as {}", () => {
		expect(assemble([{ index: 0, id: "c1", function: { name: "get_subscription", arguments: "" } }])[0]?.arguments).toEqual({});
		expect(assemble([{ index: 0, id: "c1", function: { name: "get_subscription", arguments: "  \n" } }])[0]?.arguments).toEqual({});
		expect(assemble([{ index: 0, id: "c1", function: { name: "get_subscription" } }])[0]?.arguments).toEqual({});
	});

	it("keeps argument text that is not JSON as the raw string", () => {
		const calls = assemble([{ index: 0, id: "c1", function: { name: "resend_invoice", arguments: '{"invoiceId": INV-1' } }]);
		expect(calls[0]?.arguments).toBe('{"invoiceId": INV-1');
	});

	it("cuts runaway argument text at 8192 characters, so it no longer parses", () => {
		const huge = JSON.stringify({ invoiceId: "x".repeat(10_000) });
		const [call] = assemble([{ index: 0, id: "c1", function: { name: "resend_invoice", arguments: huge } }]);
		expect(call?.arguments).toBe(huge.slice(0, 8192));
	});

	it(`takes at most MAX_CALLS_PER_REPLY (${MAX_CALLS_PER_REPLY}) calls from one reply, the first ones`, () => {
		const many = Array.from({ length: MAX_CALLS_PER_REPLY + 4 }, (_, i) => ({ name: `tool_${i}`, arguments: {} }));
		const calls = new ToolCallAssembler();
		calls.add(many);
		calls.add([{ index: 20, id: "call_late", function: { name: "late", arguments: "{}" } }]);
		expect(calls.size).toBe(MAX_CALLS_PER_REPLY);
		expect(calls.finish().map((call) => call.name)).toEqual(many.slice(0, MAX_CALLS_PER_REPLY).map((call) => call.name));
	});

	it("still lets pieces of the calls it took complete once the cap is reached", () => {
		const first = Array.from({ length: MAX_CALLS_PER_REPLY }, (_, i) => ({
			index: i,
			id: `c${i}`,
			function: { name: `t${i}`, arguments: "" },
		}));
		const calls = assemble(first, [{ index: 0, function: { arguments: '{"a":1}' } }]);
		expect(calls).toHaveLength(MAX_CALLS_PER_REPLY);
		expect(calls[0]).toEqual({ id: "c0", name: "t0", arguments: { a: 1 } });
	});

	it("ignores anything that is not an array of call pieces", () => {
		const calls = new ToolCallAssembler();
		for (const garbage of [undefined, null, "tool_calls", 42, true, {}, { tool_calls: [{ name: "x" }] }, [null, 1, "x", true, [], {}]]) {
			expect(() => calls.add(garbage)).not.toThrow();
		}
		expect(calls.size).toBe(0);
		expect(calls.finish()).toEqual([]);
	});

	it("never throws on arbitrary JSON, and finishes with only calls that have a string id and name", () => {
		const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("", '{"', '":1}', "{}", "null"));
		const piece = fc.record(
			{
				index: fc.oneof(fc.integer({ min: -3, max: 12 }), fc.jsonValue()),
				id: fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue()),
				name: fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue()),
				arguments: fc.oneof(text, fc.jsonValue()),
				function: fc.oneof(
					fc.record({ name: fc.jsonValue(), arguments: fc.oneof(text, fc.jsonValue()) }, { requiredKeys: [] }),
					fc.jsonValue(),
				),
			},
			{ requiredKeys: [] },
		);
		const event = fc.oneof(fc.jsonValue(), fc.array(fc.oneof(piece, fc.jsonValue()), { maxLength: 12 }));
		fc.assert(
			fc.property(fc.array(event, { maxLength: 8 }), (events) => {
				const calls = new ToolCallAssembler();
				for (const e of events) calls.add(e);
				const finished = calls.finish();
				expect(finished.length).toBeLessThanOrEqual(MAX_CALLS_PER_REPLY);
				expect(finished).toHaveLength(calls.size);
				for (const call of finished) {
					expect(typeof call).toBe("object");
					expect(typeof call.id).toBe("string");
					expect(typeof call.name).toBe("string");
				}
			}),
			{ numRuns: 300 },
		);
	});
});

describe("completionParts", () => {
	it("reads Workers AI's whole answer: response text and native tool_calls", () => {
		expect(completionParts({ response: "Let me check.", tool_calls: [{ name: "list_invoices", arguments: { limit: 3 } }] })).toEqual({
			text: "Let me check.",
			calls: [{ id: expect.stringMatching(/^call_/), name: "list_invoices", arguments: { limit: 3 } }],
		});
		expect(completionParts({ response: null, tool_calls: [{ name: "get_subscription", arguments: "{}" }] })).toEqual({
			text: "",
			calls: [{ id: expect.any(String), name: "get_subscription", arguments: {} }],
		});
		expect(completionParts({ response: "Just text." })).toEqual({ text: "Just text.", calls: [] });
	});

	it("unwraps the REST API's { result: … }", () => {
		const body = {
			result: { response: "ok", tool_calls: [{ name: "resend_invoice", arguments: { invoiceId: "INV-7" } }] },
			success: true,
			errors: [],
		};
		expect(completionParts(body)).toEqual({
			text: "ok",
			calls: [{ id: expect.any(String), name: "resend_invoice", arguments: { invoiceId: "INV-7" } }],
		});
	});

	it("reads OpenAI's whole answer: choices[0].message content and tool_calls", () => {
		const body = {
			id: "chatcmpl-1",
			choices: [
				{
					index: 0,
					finish_reason: "tool_calls",
					message: {
						role: "assistant",
						content: null,
						tool_calls: [{ id: "call_9", type: "function", function: { name: "request_refund", arguments: '{"invoiceId":"INV-1001"}' } }],
					},
				},
			],
		};
		expect(completionParts(body)).toEqual({
			text: "",
			calls: [{ id: "call_9", name: "request_refund", arguments: { invoiceId: "INV-1001" } }],
		});
		expect(completionParts({ choices: [{ message: { role: "assistant", content: "Hello!" } }] })).toEqual({ text: "Hello!", calls: [] });
	});

	it("finds nothing in a body that is not an answer", () => {
		for (const body of [null, undefined, "text", 42, [], {}, { choices: [] }, { choices: "x" }, { result: null }]) {
			expect(completionParts(body)).toEqual({ text: "", calls: [] });
		}
	});
});

describe("wireMessage", () => {
	it("turns an assistant message's toolCalls into OpenAI tool_calls with JSON-string arguments", () => {
		const message: ChatMessage = {
			role: "assistant",
			content: "",
			toolCalls: [
				{ id: "call_1", name: "request_refund", arguments: { invoiceId: "INV-1001" } },
				{ id: "call_2", name: "resend_invoice", arguments: '{"invoiceId":"INV-2"}' },
			],
		};
		expect(wireMessage(message)).toEqual({
			role: "assistant",
			content: "",
			tool_calls: [
				{ id: "call_1", type: "function", function: { name: "request_refund", arguments: '{"invoiceId":"INV-1001"}' } },
				// Text arguments go as they are, not encoded a second time.
				{ id: "call_2", type: "function", function: { name: "resend_invoice", arguments: '{"invoiceId":"INV-2"}' } },
			],
		});
	});

	it("turns a tool message into OpenAI's tool result", () => {
		const message: ChatMessage = { role: "tool", content: '{"plan":"Team"}', toolCallId: "call_1", name: "get_subscription" };
		expect(wireMessage(message)).toEqual({ role: "tool", content: '{"plan":"Team"}', tool_call_id: "call_1", name: "get_subscription" });
	});

	it("leaves plain messages as role and content only", () => {
		for (const message of [
			{ role: "system", content: "You are helpful." },
			{ role: "user", content: "hi" },
			{ role: "assistant", content: "Hello!" },
			{ role: "assistant", content: "Hello!", toolCalls: [] },
		] satisfies ChatMessage[]) {
			expect(wireMessage(message)).toEqual({ role: message.role, content: message.content });
		}
	});

	it("sends calls the assembler reads back as the same calls", () => {
		const toolCalls = [
			{ id: "call_1", name: "list_invoices", arguments: { limit: 2 } },
			{ id: "call_2", name: "get_subscription", arguments: {} },
		];
		const wire = wireMessage({ role: "assistant", content: "", toolCalls });
		expect(assemble(wire.tool_calls)).toEqual(toolCalls);
	});
});
