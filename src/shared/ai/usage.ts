/**
 * Counts what every model call costs: its input and output tokens, estimated
 * as the prompt builder estimates them (prompt.ts), and their price, into
 * `chat_ai_tokens_total{model,direction}` and `chat_ai_cost_dollars_total{model}`
 * (CONTRACT §6). A call counts once the provider starts answering: one
 * refused before its first chunk (a 429, a capacity error) is assumed unbilled;
 * one that breaks off or is stopped mid-stream is billed for what it sent.
 */
import { isolateMetrics } from "../metrics/recorder";
import { estimateInputTokens, tokensForChars } from "../turn/prompt";
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
		stream: (request: CompletionRequest) => {
			const model = request.model ?? provider.model;
			return new CountedStream(provider.stream(request)[Symbol.asyncIterator](), (outputChars) => {
				const tokens = { inputTokens: estimateInputTokens(request.messages), outputTokens: tokensForChars(outputChars) };
				const price = prices.get(model);
				record({ model, ...tokens, nanoDollars: price ? costNanoDollars(tokens, price) : 0 });
			});
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

/**
 * The provider's stream, passed through as it is read, with the characters it sent counted: once it
 * has sent any, its end (finished, failed or stopped by the caller) is reported exactly once. Not an
 * async generator: one would cost every chunk a generator's resume (opened-stream.ts).
 */
class CountedStream implements AsyncIterableIterator<string> {
	readonly #chunks: AsyncIterator<string>;
	readonly #ended: (outputChars: number) => void;
	#outputChars = 0;
	#answered = false;
	#reported = false;

	constructor(chunks: AsyncIterator<string>, ended: (outputChars: number) => void) {
		this.#chunks = chunks;
		this.#ended = ended;
	}

	[Symbol.asyncIterator](): this {
		return this;
	}

	next(): Promise<IteratorResult<string>> {
		return this.#chunks.next().then(this.#read, this.#failed);
	}

	async return(value?: unknown): Promise<IteratorResult<string>> {
		this.#end();
		return (await this.#chunks.return?.(value)) ?? { done: true, value: undefined };
	}

	readonly #read = (result: IteratorResult<string>): IteratorResult<string> => {
		if (result.done) this.#end();
		else {
			this.#answered = true;
			this.#outputChars += result.value.length;
		}
		return result;
	};

	readonly #failed = (error: unknown): never => {
		this.#end();
		throw error;
	};

	#end(): void {
		if (this.#reported || !this.#answered) return;
		this.#reported = true;
		this.#ended(this.#outputChars);
	}
}
