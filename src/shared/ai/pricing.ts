/**
 * What a model call costs: token counts times the configured price per
 * million tokens (`AI_MODEL_PRICES`, `AI_SMALL_MODEL_PRICES`). Money is
 * counted in whole nano-dollars, so the metric sums stay exact integers
 * whatever order the batches arrive in; the exposition shows dollars.
 */

/** Dollars per million tokens, each way. */
export interface ModelPrice {
	inputPerMillion: number;
	outputPerMillion: number;
}

/**
 * Workers AI's list prices for the default models (developers.cloudflare.com/workers-ai/platform/pricing):
 * Llama 3.3 70B fp8-fast and Llama 3.1 8B fp8-fast. The local provider's two models are priced
 * like the ones they stand in for.
 */
export const DEFAULT_MODEL_PRICES = {
	large: { inputPerMillion: 0.293, outputPerMillion: 2.253 },
	small: { inputPerMillion: 0.045, outputPerMillion: 0.384 },
} as const satisfies Record<"large" | "small", ModelPrice>;

export const NANO_DOLLARS_PER_DOLLAR = 1e9;

/**
 * A call's cost in whole nano-dollars ($1e-9): at most half a nano-dollar off, and exact to add up.
 * @example costNanoDollars({ inputTokens: 1000, outputTokens: 100 }, DEFAULT_MODEL_PRICES.large) // 518_300
 */
export function costNanoDollars(tokens: { inputTokens: number; outputTokens: number }, price: ModelPrice): number {
	// A price per million tokens is that many thousand nano-dollars per token.
	return Math.round(tokens.inputTokens * price.inputPerMillion * 1000 + tokens.outputTokens * price.outputPerMillion * 1000);
}

/**
 * `"<input>,<output>"` dollars per million tokens, as the variables spell it; undefined when malformed.
 * @example parseModelPrice("0.293,2.253") // { inputPerMillion: 0.293, outputPerMillion: 2.253 }
 */
export function parseModelPrice(text: string): ModelPrice | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
	if (!match) return undefined;
	return { inputPerMillion: Number(match[1]), outputPerMillion: Number(match[2]) };
}
