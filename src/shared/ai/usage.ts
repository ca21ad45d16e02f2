/**
 * Counts what every model call costs: its input and output tokens, estimated
 * as the prompt builder estimates them (prompt.ts), and their price, into
 * `chat_ai_tokens_total{model,direction}` and `chat_ai_cost_dollars_total{model}`
 * (CONTRACT §6). A call counts once the provider starts answering: one
 * refused before its first chunk (a 429, a capacity error) is assumed unbilled;
 * one that breaks off or is stopped mid-stream is billed for what it sent.
 */
import { isolateMetrics } from "../metrics/recorder";
import { estimateInputTokens, estimateTokens } from "../turn/prompt";
import { costNanoDollars, type ModelPrice } from "./pricing";
import type { AiProvider, CompletionRequest } from "./provider";

/** One model call's estimated tokens and cost. */
export interface AiUsage {
	model: string;
	inputTokens: number;
	outputTokens: number;
	nanoDollars: number;
}

/**
 * Counts a call into the isolate's next metrics shipment.
 * @example recordAiUsage({ model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast", inputTokens: 900, outputTokens: 120, nanoDollars: 86_580 })
 */
export function recordAiUsage(usage: AiUsage): void {
	isolateMetrics.count("chat_ai_tokens_total", { model: usage.model, direction: "input" }, usage.inputTokens);
	isolateMetrics.count("chat_ai_tokens_total", { model: usage.model, direction: "output" }, usage.outputTokens);
	isolateMetrics.count("chat_ai_cost_dollars_total", { model: usage.model }, usage.nanoDollars);
}

/**
 * @example withUsage(provider, new Map([[provider.model, DEFAULT_MODEL_PRICES.large]]))
 */
export function withUsage(
	provider: AiProvider,
	prices: ReadonlyMap<string, ModelPrice>,
	record: (usage: AiUsage) => void = recordAiUsage,
): AiProvider {
	return {
		name: provider.name,
		model: provider.model,
		smallModel: provider.smallModel,
		async *stream(request: CompletionRequest) {
			const model = request.model ?? provider.model;
			let output = "";
			let answered = false;
			try {
				for await (const chunk of provider.stream(request)) {
					answered = true;
					output += chunk;
					yield chunk;
				}
			} finally {
				if (answered) {
					const tokens = { inputTokens: estimateInputTokens(request.messages), outputTokens: estimateTokens(output) };
					const price = prices.get(model);
					record({ model, ...tokens, nanoDollars: price ? costNanoDollars(tokens, price) : 0 });
				}
			}
		},
	};
}

/**
 * Each model's price: the large one's for `model`, the small one's for `smallModel`.
 * @example modelPrices(provider, configOf(env).aiPrices).get("@cf/meta/llama-3.1-8b-instruct-fp8-fast") // { inputPerMillion: 0.045, … }
 */
export function modelPrices(
	provider: Pick<AiProvider, "model" | "smallModel">,
	prices: { large: ModelPrice; small: ModelPrice },
): Map<string, ModelPrice> {
	const table = new Map([[provider.model, prices.large]]);
	if (provider.smallModel) table.set(provider.smallModel, prices.small);
	return table;
}
