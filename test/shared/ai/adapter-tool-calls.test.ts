/**
 * Both remote adapters with tools (CONTRACT §8): they offer the model the
 * tool specs, send earlier calls and their results in OpenAI's wire shape,
 * and hand a reply's assembled calls to `called` once, yielding no text for
 * them, whether the calls come streamed or in one whole answer. Replies
 * without calls stream as before, and a request without tools ignores any
 * calls its model sends anyway.
 */
import { describe, expect, it } from "vitest";
import { openAiProvider } from "../../../src/shared/ai/openai";
import type { AiProvider, ChatMessage, CompletionRequest, ToolCall } from "../../../src/shared/ai/provider";
import { type AiRunner, workersAiProvider } from "../../../src/shared/ai/workers-ai";
import { TOOL_SPECS } from "../../../src/shared/tools/registry";

/** The SSE text of `events` (each JSON-encoded), ended with [DONE]. */
function sse(events: unknown[]): string {
	return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), "data: [DONE]\n\n"].join("");
}

/** `text` as a byte stream in reads of 7 bytes, so events arrive split mid-line. */
function byteStream(text: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	return new ReadableStream<Uint8Array>({
		start(controller) {
			for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
			controller.close();
		},
	});
}

/** An adapter whose model answers every request with `answer`, and the request bodies it was sent. */
interface Rig {
	provider: AiProvider;
	sent: Record<string, unknown>[];
}

function workersAi(answer: () => unknown): Rig {
	const sent: Record<string, unknown>[] = [];
	const ai: AiRunner = {
		async run(_model, inputs) {
			sent.push(inputs);
			return answer();
		},
	};
	return { provider: workersAiProvider(ai, "@cf/test/model"), sent };
}

function openAi(answer: () => Response): Rig {
	const sent: Record<string, unknown>[] = [];
	const fetch: typeof globalThis.fetch = async (_url, init) => {
		sent.push(JSON.parse(String(init?.body)));
		return answer();
	};
	return { provider: openAiProvider({ baseUrl: "https://models.example/v1", model: "m", fetch }), sent };
}

/** A rig whose model streams `events` as SSE. */
const streaming = {
	"workers-ai": (events: unknown[]) => workersAi(() => byteStream(sse(events))),
	openai: (events: unknown[]) => openAi(() => new Response(byteStream(sse(events)), { headers: { "Content-Type": "text/event-stream" } })),
};

/** Text chunks in each adapter's streamed shape. */
const textEvents = {
	"workers-ai": (chunks: string[]) => [...chunks.map((response) => ({ response })), { response: "", usage: { prompt_tokens: 9 } }],
	openai: (chunks: string[]) => [
		...chunks.map((content) => ({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
		{ object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
	],
};

/** A refund call for INV-1001 and a list_invoices call, streamed in pieces by index, in OpenAI's `delta.tool_calls`. */
function openAiDeltaToolCalls(): unknown[] {
	const delta = (tool_calls: unknown[]) => ({
		object: "chat.completion.chunk",
		choices: [{ index: 0, delta: { tool_calls }, finish_reason: null }],
	});
	return [
		{ object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }] },
		delta([{ index: 0, id: "call_refund", type: "function", function: { name: "request_refund", arguments: "" } }]),
		delta([{ index: 0, function: { arguments: '{"invoiceId":' } }]),
		delta([{ index: 0, function: { arguments: '"INV-1001"}' } }]),
		delta([{ index: 1, id: "call_list", type: "function", function: { name: "list_invoices", arguments: "{}" } }]),
		{ object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
	];
}

/** The same two calls in Workers AI's native stream: pieces under `tool_calls`, each call ended by an empty piece. */
function workersAiNativeToolCalls(): unknown[] {
	return [
		{ response: "", tool_calls: [{ index: 0, id: "call_refund", type: "function", function: { name: "request_refund", arguments: "" } }] },
		{ response: "", tool_calls: [{ index: 0, function: { arguments: '{"invoiceId":' } }] },
		{ response: "", tool_calls: [{ index: 0, function: { arguments: '"INV-1001"}' } }] },
		{ response: "", tool_calls: [{ id: null, type: null, function: { name: null } }] },
		{ response: "", tool_calls: [{ index: 1, id: "call_list", type: "function", function: { name: "list_invoices", arguments: "{}" } }] },
		{ response: "", tool_calls: [{ id: null, type: null, function: { name: null } }] },
		{ response: "", usage: { prompt_tokens: 9, completion_tokens: 20 } },
	];
}

const ASSEMBLED: ToolCall[] = [
	{ id: "call_refund", name: "request_refund", arguments: { invoiceId: "INV-1001" } },
	{ id: "call_list", name: "list_invoices", arguments: {} },
];

const HISTORY: ChatMessage[] = [
	{ role: "system", content: "You are the support assistant." },
	{ role: "user", content: "refund INV-1001 please" },
	{ role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "list_invoices", arguments: {} }] },
	{ role: "tool", content: '{"invoices":[]}', toolCallId: "call_1", name: "list_invoices" },
];

/** The same history as OpenAI's wire format spells it, written out by hand. */
const WIRE_HISTORY = [
	{ role: "system", content: "You are the support assistant." },
	{ role: "user", content: "refund INV-1001 please" },
	{
		role: "assistant",
		content: "",
		tool_calls: [{ id: "call_1", type: "function", function: { name: "list_invoices", arguments: "{}" } }],
	},
	{ role: "tool", content: '{"invoices":[]}', tool_call_id: "call_1", name: "list_invoices" },
];

/** A request offering the tools, and every batch of calls `called` heard. */
function withTools(messages: ChatMessage[] = HISTORY): { request: CompletionRequest; heard: ToolCall[][] } {
	const heard: ToolCall[][] = [];
	return { request: { messages, sources: [], maxTokens: 300, tools: { specs: TOOL_SPECS, called: (calls) => heard.push(calls) } }, heard };
}

const plainRequest: CompletionRequest = { messages: [{ role: "user", content: "hi" }], sources: [], maxTokens: 300 };

async function collect(stream: AsyncIterable<string>): Promise<string> {
	let text = "";
	for await (const chunk of stream) text += chunk;
	return text;
}

describe.each(["workers-ai", "openai"] as const)("the %s adapter with tools", (adapter) => {
	const toolCallEvents = adapter === "workers-ai" ? workersAiNativeToolCalls : openAiDeltaToolCalls;

	it("hands a streamed reply's assembled calls to called once, and yields no text", async () => {
		const { provider } = streaming[adapter](toolCallEvents());
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("");
		expect(heard).toEqual([ASSEMBLED]);
	});

	it("still streams a text-only reply, and never calls called", async () => {
		const { provider } = streaming[adapter](textEvents[adapter](["Your plan ", "renews on ", "1 March."]));
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("Your plan renews on 1 March.");
		expect(heard).toEqual([]);
	});

	it("offers the tool specs and sends calls and their results in OpenAI's shape", async () => {
		const { provider, sent } = streaming[adapter](textEvents[adapter](["ok"]));
		await collect(provider.stream(withTools().request));
		expect(sent).toHaveLength(1);
		expect(sent[0]?.tools).toEqual(TOOL_SPECS);
		expect(sent[0]?.messages).toEqual(WIRE_HISTORY);
		expect(sent[0]?.stream).toBe(true);
	});

	it("offers no tools to a request without them", async () => {
		const { provider, sent } = streaming[adapter](textEvents[adapter](["ok"]));
		await collect(provider.stream(plainRequest));
		expect(sent[0]).not.toHaveProperty("tools");
		expect(sent[0]?.messages).toEqual([{ role: "user", content: "hi" }]);
	});

	it("yields the text of a request without tools whose model sends calls anyway, and ignores the calls", async () => {
		const events = [...textEvents[adapter](["Hello", " there"]), ...toolCallEvents()];
		const { provider } = streaming[adapter](events);
		expect(await collect(provider.stream(plainRequest))).toBe("Hello there");
	});
});

describe("the workers-ai adapter's other tool-call shapes", () => {
	it("reads calls streamed in OpenAI's choices[0].delta.tool_calls", async () => {
		const { provider } = streaming["workers-ai"](openAiDeltaToolCalls());
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("");
		expect(heard).toEqual([ASSEMBLED]);
	});

	it("reads native whole calls inside a stream, keeping object arguments", async () => {
		const { provider } = streaming["workers-ai"]([
			{ response: "", tool_calls: [{ name: "request_refund", arguments: { invoiceId: "INV-1001" } }] },
			{ response: "", usage: { prompt_tokens: 9 } },
		]);
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("");
		expect(heard).toEqual([[{ id: expect.stringMatching(/^call_/), name: "request_refund", arguments: { invoiceId: "INV-1001" } }]]);
	});

	it("reports the calls of a whole answer instead of a stream", async () => {
		const { provider } = workersAi(() => ({
			response: null,
			tool_calls: [
				{ name: "request_refund", arguments: { invoiceId: "INV-1001" } },
				{ name: "list_invoices", arguments: "{}" },
			],
		}));
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("");
		expect(heard).toEqual([
			[
				{ id: expect.any(String), name: "request_refund", arguments: { invoiceId: "INV-1001" } },
				{ id: expect.any(String), name: "list_invoices", arguments: {} },
			],
		]);
	});

	it("yields the text of a whole answer with only a response, and calls nothing", async () => {
		const { provider } = workersAi(() => ({ response: "Your plan is Team." }));
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("Your plan is Team.");
		expect(heard).toEqual([]);
	});

	it("yields the text of a whole answer to a request without tools, ignoring its calls", async () => {
		const { provider } = workersAi(() => ({ response: "Hello", tool_calls: [{ name: "list_invoices", arguments: {} }] }));
		expect(await collect(provider.stream(plainRequest))).toBe("Hello");
	});
});

describe("the openai adapter answered whole (application/json)", () => {
	const json = (body: unknown) => () => Response.json(body);

	it("reports the calls of choices[0].message.tool_calls and yields no text", async () => {
		const { provider } = openAi(
			json({
				choices: [
					{
						index: 0,
						finish_reason: "tool_calls",
						message: {
							role: "assistant",
							content: null,
							tool_calls: [
								{ id: "call_refund", type: "function", function: { name: "request_refund", arguments: '{"invoiceId":"INV-1001"}' } },
							],
						},
					},
				],
			}),
		);
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("");
		expect(heard).toEqual([[{ id: "call_refund", name: "request_refund", arguments: { invoiceId: "INV-1001" } }]]);
	});

	it("yields the content of a whole answer without calls, and calls nothing", async () => {
		const { provider } = openAi(json({ choices: [{ index: 0, message: { role: "assistant", content: "Your plan is Team." } }] }));
		const { request, heard } = withTools();
		expect(await collect(provider.stream(request))).toBe("Your plan is Team.");
		expect(heard).toEqual([]);
	});
});
