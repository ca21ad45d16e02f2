/**
 * The AI provider port: one streaming chat completion. Adapters live beside
 * it (`workers-ai`, `openai`, `local`); `select-provider.ts` picks one from
 * configuration alone.
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
}

export interface CompletionRequest {
	/** System prompt first, then the history, ending with the user's turn. */
	messages: ChatMessage[];
	/** The articles the system prompt was grounded on (adapters that read text ignore it). */
	sources: Source[];
	maxTokens: number;
	signal?: AbortSignal;
}

export interface AiProvider {
	readonly name: string;
	/** The model behind it: part of an answer's cache key, since another model answers differently. */
	readonly model: string;
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
