/**
 * What a model call costs: tokens estimated as the prompt builder estimates
 * them, priced per million tokens in whole nano-dollars, counted once per
 * call that the provider answered, and shipped with the isolate's next
 * metrics batch.
 */
import { describe, expect, it } from "vitest";
import { costNanoDollars, DEFAULT_MODEL_PRICES, parseModelPrice } from "../../../src/shared/ai/pricing";
import type { AiProvider, CompletionRequest } from "../../../src/shared/ai/provider";
import { type AiUsage, modelPrices, recordAiUsage, withUsage } from "../../../src/shared/ai/usage";
import { TransientError } from "../../../src/shared/errors";
import { decodeMetricsBatch } from "../../../src/shared/metrics/batch";
import { MetricsRecorder, shipMetrics } from "../../../src/shared/metrics/recorder";
import { estimateInputTokens, estimateTokens } from "../../../src/shared/turn/prompt";

const REQUEST: CompletionRequest = {
	messages: [
		{ role: "system", content: "You are the support assistant. ".repeat(20) },
		{ role: "user", content: "How do I reset my password?" },
	],
	sources: [],
	maxTokens: 256,
};

/** A provider that yields `chunks` (then maybe throws) and records the model each call named. */
function scripted(chunks: string[], error?: Error) {
	const models: (string | undefined)[] = [];
	const provider: AiProvider = {
		name: "scripted",
		model: "large-model",
		smallModel: "small-model",
		async *stream(request) {
			models.push(request.model);
			yield* chunks;
			if (error) throw error;
		},
	};
	return { provider, models };
}

async function drain(provider: AiProvider, request: CompletionRequest, stopAfter = Number.POSITIVE_INFINITY): Promise<string> {
	let text = "";
	let n = 0;
	for await (const chunk of provider.stream(request)) {
		text += chunk;
		if (++n >= stopAfter) break;
	}
	return text;
}

describe("costNanoDollars", () => {
	it.each([
		["the large model", { inputTokens: 1000, outputTokens: 100 }, DEFAULT_MODEL_PRICES.large, 293_000 + 225_300],
		["the small model", { inputTokens: 1000, outputTokens: 100 }, DEFAULT_MODEL_PRICES.small, 45_000 + 38_400],
		["a million tokens each way", { inputTokens: 1e6, outputTokens: 1e6 }, DEFAULT_MODEL_PRICES.large, (0.293 + 2.253) * 1e9],
		["nothing", { inputTokens: 0, outputTokens: 0 }, DEFAULT_MODEL_PRICES.large, 0],
		[
			"a price finer than a nano-dollar per token, rounded",
			{ inputTokens: 3, outputTokens: 0 },
			{ inputPerMillion: 0.0001, outputPerMillion: 0 },
			0,
		],
	])("prices %s", (_name, tokens, price, expected) => {
		expect(costNanoDollars(tokens, price)).toBe(Math.round(expected));
		expect(Number.isInteger(costNanoDollars(tokens, price))).toBe(true);
	});

	it("parses '<input>,<output>' per million tokens and refuses anything else", () => {
		expect(parseModelPrice("0.293,2.253")).toEqual({ inputPerMillion: 0.293, outputPerMillion: 2.253 });
		expect(parseModelPrice(" 1 , 2.5 ")).toEqual({ inputPerMillion: 1, outputPerMillion: 2.5 });
		for (const bad of ["", "1", "1,2,3", "-1,2", "1e3,2", "$1,2"]) expect(parseModelPrice(bad)).toBeUndefined();
	});
});

describe("withUsage", () => {
	const prices = modelPrices({ model: "large-model", smallModel: "small-model" }, DEFAULT_MODEL_PRICES);

	it("counts one call's input and output tokens on the model it named, priced as that model", async () => {
		const { provider, models } = scripted(["To reset ", "your password, ", "open Settings. [1]"]);
		const usage: AiUsage[] = [];
		const text = await drain(
			withUsage(provider, prices, (u) => usage.push(u)),
			{ ...REQUEST, model: "small-model" },
		);
		expect(models).toEqual(["small-model"]);
		const tokens = { inputTokens: estimateInputTokens(REQUEST.messages), outputTokens: estimateTokens(text) };
		expect(usage).toEqual([{ model: "small-model", ...tokens, nanoDollars: costNanoDollars(tokens, DEFAULT_MODEL_PRICES.small) }]);
	});

	it("counts a call without a model as the large one's", async () => {
		const usage: AiUsage[] = [];
		await drain(
			withUsage(scripted(["Hi"]).provider, prices, (u) => usage.push(u)),
			REQUEST,
		);
		expect(usage.map((u) => u.model)).toEqual(["large-model"]);
		expect(usage[0]?.nanoDollars).toBe(costNanoDollars(usage[0] ?? { inputTokens: 0, outputTokens: 0 }, DEFAULT_MODEL_PRICES.large));
	});

	it("bills a call stopped or broken off mid-stream for what it sent, and a call refused before its first chunk for nothing", async () => {
		const usage: AiUsage[] = [];
		const record = (u: AiUsage) => usage.push(u);
		await drain(withUsage(scripted(["one ", "two ", "three "]).provider, prices, record), REQUEST, 1);
		expect(usage[0]?.outputTokens).toBe(estimateTokens("one "));
		await expect(drain(withUsage(scripted(["half "], new TransientError("gone")).provider, prices, record), REQUEST)).rejects.toThrow();
		expect(usage[1]?.outputTokens).toBe(estimateTokens("half "));
		await expect(drain(withUsage(scripted([], new TransientError("429")).provider, prices, record), REQUEST)).rejects.toThrow();
		expect(usage).toHaveLength(2);
	});

	it("keeps the provider's models", () => {
		const wrapped = withUsage(scripted([]).provider, prices);
		expect([wrapped.name, wrapped.model, wrapped.smallModel]).toEqual(["scripted", "large-model", "small-model"]);
	});
});

describe("recordAiUsage", () => {
	it("ships the call's tokens and cost with the isolate's next metrics batch, once", async () => {
		const sent: string[] = [];
		const env = { METRICS_QUEUE: { send: async (body: string) => void sent.push(body) } };
		recordAiUsage({ model: "@cf/test/small", inputTokens: 900, outputTokens: 120, nanoDollars: 86_580 });
		shipMetrics(env, new MetricsRecorder(), undefined, { immediately: true });
		shipMetrics(env, new MetricsRecorder(), undefined, { immediately: true });
		await scheduler.wait(10);
		const counters = sent.flatMap((body) => decodeMetricsBatch(body).counters).filter((c) => c.labels.model === "@cf/test/small");
		expect(counters).toEqual(
			expect.arrayContaining([
				{ name: "chat_ai_tokens_total", labels: { model: "@cf/test/small", direction: "input" }, value: 900 },
				{ name: "chat_ai_tokens_total", labels: { model: "@cf/test/small", direction: "output" }, value: 120 },
				{ name: "chat_ai_cost_dollars_total", labels: { model: "@cf/test/small" }, value: 86_580 },
			]),
		);
		expect(counters).toHaveLength(3);
	});
});
