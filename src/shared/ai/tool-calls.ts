/**
 * Function calls as models send them, in every shape the adapters meet
 * (CONTRACT §8, issue 22), normalised to one `ToolCall`:
 * - Workers AI's native shape: `{ response, tool_calls: [{ name, arguments }] }`,
 *   streamed or whole, arguments an object or a JSON string, and in
 *   streams also OpenAI-style pieces under `tool_calls` with an `index`;
 * - the OpenAI shape: `choices[0].delta.tool_calls` pieces in a stream
 *   (`{ index, id?, function: { name?, arguments: "<partial JSON>" } }`), or
 *   `choices[0].message.tool_calls` whole.
 * Nothing here trusts a call: the arguments stay `unknown` until the tool's
 * own schema parses them (src/shared/tools/registry.ts).
 */
import type { ChatMessage, ToolCall } from "./provider";

export type { ToolCall } from "./provider";

type Piece = { index?: unknown; id?: unknown; name?: unknown; arguments?: unknown; function?: unknown };

/** At most this many calls from one reply are taken; the rest are dropped (a runaway model). */
export const MAX_CALLS_PER_REPLY = 8;
/** Argument text past this is cut off, and so no longer parses: no tool takes anything near it. */
const MAX_ARGUMENT_CHARS = 8192;

/**
 * Gathers a reply's tool calls from streamed pieces (or whole ones), in order.
 * @example const calls = new ToolCallAssembler(); calls.add(event.tool_calls); calls.finish()
 */
export class ToolCallAssembler {
	readonly #calls = new Map<number, { id: string; name: string; text: string; value: unknown }>();
	#next = 0;

	/** Adds the `tool_calls` array of one event (either shape); anything that is not one is ignored. */
	add(pieces: unknown): void {
		if (!Array.isArray(pieces)) return;
		for (const raw of pieces) {
			if (typeof raw !== "object" || raw === null) continue;
			const piece = raw as Piece;
			const fn = typeof piece.function === "object" && piece.function !== null ? (piece.function as Piece) : undefined;
			const name = str(fn?.name) ?? str(piece.name);
			const args = fn?.arguments ?? piece.arguments;
			const id = str(piece.id);
			// Workers AI ends a streamed call with an empty piece (no id, no name, no arguments): nothing to add.
			if (!id && !name && (args === undefined || args === null || args === "")) continue;
			const index = typeof piece.index === "number" && Number.isInteger(piece.index) ? piece.index : name ? this.#next : this.#next - 1;
			let call = this.#calls.get(index);
			if (!call) {
				if (this.#calls.size >= MAX_CALLS_PER_REPLY) continue;
				call = { id: id ?? `call_${crypto.randomUUID().slice(0, 12)}`, name: "", text: "", value: undefined };
				this.#calls.set(index, call);
				this.#next = Math.max(this.#next, index + 1);
			}
			if (name) call.name = name;
			if (typeof args === "string") call.text = (call.text + args).slice(0, MAX_ARGUMENT_CHARS);
			else if (args !== undefined && args !== null) call.value = args;
		}
	}

	get size(): number {
		return this.#calls.size;
	}

	/** The calls, each with its arguments parsed. */
	finish(): ToolCall[] {
		return [...this.#calls.entries()]
			.sort(([a], [b]) => a - b)
			.map(([, call]) => ({ id: call.id, name: call.name, arguments: call.value ?? parseArguments(call.text) }));
	}
}

/** A whole (not streamed) completion's text and calls, in either shape. */
export function completionParts(body: unknown): { text: string; calls: ToolCall[] } {
	const calls = new ToolCallAssembler();
	if (typeof body !== "object" || body === null) return { text: "", calls: [] };
	const record = body as { response?: unknown; tool_calls?: unknown; choices?: unknown; result?: unknown };
	// The REST API wraps Workers AI's answer in `result`; the binding does not.
	if (typeof record.result === "object" && record.result !== null) return completionParts(record.result);
	let text = str(record.response) ?? "";
	calls.add(record.tool_calls);
	if (Array.isArray(record.choices)) {
		const message = (record.choices[0] as { message?: { content?: unknown; tool_calls?: unknown } } | undefined)?.message;
		text += str(message?.content) ?? "";
		calls.add(message?.tool_calls);
	}
	return { text, calls: calls.finish() };
}

/** An empty argument text is `{}` (a tool without arguments); text that is not JSON stays text. */
function parseArguments(text: string): unknown {
	if (text.trim() === "") return {};
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function str(value: unknown): string | undefined {
	return typeof value === "string" && value !== "" ? value : undefined;
}

/** A ChatMessage as both wire formats (Workers AI and OpenAI-compatible) take it. */
export function wireMessage(message: ChatMessage): Record<string, unknown> {
	if (message.role === "tool") return { role: "tool", content: message.content, tool_call_id: message.toolCallId, name: message.name };
	if (message.role === "assistant" && message.toolCalls?.length) {
		return {
			role: "assistant",
			content: message.content,
			tool_calls: message.toolCalls.map((call) => ({
				id: call.id,
				type: "function",
				function: { name: call.name, arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments) },
			})),
		};
	}
	return { role: message.role, content: message.content };
}
