/**
 * The AI provider port: one streaming chat completion, on the model the
 * request names. Adapters live beside it (`workers-ai`, `openai`, `local`);
 * `select-provider.ts` picks one from configuration alone.
 */

export interface ChatMessage {
	role: "system" | "user" | "assistant";
	content: string;
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
