/**
 * The AI provider port: one streaming chat completion, on the model the
 * request names. Adapters live beside it (`workers-ai`, `openai`, `local`);
 * `select-provider.ts` picks one from configuration alone.
 */
import type { ToolSpec } from "../tools/registry";

/** One function call the model asked for. */
export interface ToolCall {
	/** The model's id for it when it gave one (OpenAI's `call_…`), else one made here. */
	id: string;
	name: string;
	/** Parsed JSON when the model sent JSON, else the raw text (which no tool's schema accepts). */
	arguments: unknown;
}

export type ChatMessage =
	| { role: "system" | "user"; content: string }
	/** `toolCalls`: the functions this reply asked for (the next messages carry their results). */
	| { role: "assistant"; content: string; toolCalls?: ToolCall[] }
	/** A function's result, as JSON text, for the call `toolCallId` of the assistant message before it. */
	| { role: "tool"; content: string; toolCallId: string; name: string };

/** The tools a request offers, and where the model's calls go (CONTRACT §8). */
export interface ToolChoice {
	specs: readonly ToolSpec[];
	/**
	 * Hears the calls of a reply that asks for functions. Adapters call it once, after the last
	 * event. Text the same reply carries (before or after its calls) is yielded as usual: it is part
	 * of the answer, which the next round, reading the calls' results, continues.
	 */
	called(calls: ToolCall[]): void;
}

/** A knowledge-base article retrieved for this turn; `[n]` in a reply cites `sources[n-1]`. */
export interface Source {
	id: string;
	title: string;
	url?: string;
	body: string;
	/** How well it matched the question (BM25, higher is better), when the knowledge base says; model routing reads it. */
	score?: number;
}

export interface CompletionRequest {
	/** System prompt first, then the history, ending with the user's turn. */
	messages: ChatMessage[];
	/** The articles the system prompt was grounded on (adapters that read text ignore it). */
	sources: Source[];
	maxTokens: number;
	/** The model to run; the provider's own `model` (the large one) when absent. Model routing names the small one here. */
	model?: string;
	signal?: AbortSignal;
	/** Functions the model may call (identified users' turns); absent: none. */
	tools?: ToolChoice;
	/** Who the signed-in user is, for adapters that do not read the system prompt (the local one greets by name). */
	user?: { name?: string };
}

export interface AiProvider {
	readonly name: string;
	/** The model behind it by default (the large one): part of an answer's cache key, since another model answers differently. */
	readonly model: string;
	/**
	 * A cheaper model for easy turns (src/shared/turn/model-routing.ts), present only when routing is on
	 * (`AI_ROUTING=auto`) and the provider has one configured. A request names it in `model`. Required,
	 * so that a wrapper cannot drop it (and with it routing) by forgetting to pass it on.
	 */
	readonly smallModel: string | undefined;
	/** Yields the reply as text chunks; throws TransientError or PermanentError. */
	stream(request: CompletionRequest): AsyncIterable<string>;
}

/** Sampling parameters from the product's tuning, shared by the remote adapters. */
export const TUNING = {
	temperature: 0.3,
	top_p: 0.9,
	frequency_penalty: 0.1,
	presence_penalty: 0.1,
} as const;
