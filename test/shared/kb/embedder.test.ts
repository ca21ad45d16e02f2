import { describe, expect, it } from "vitest";
import { PermanentError } from "../../../src/shared/errors";
import { dot, HASHED_DIMENSIONS, hashedEmbedder, WORKERS_AI_EMBEDDING_MODEL, workersAiEmbedder } from "../../../src/shared/kb/embedder";

describe("the local hashed embedder", () => {
	const embedder = hashedEmbedder();
	const cosine = async (a: string, b: string) => {
		const [x, y] = await embedder.embed([a, b]);
		return dot(x ?? [], y ?? []);
	};

	it("is deterministic and returns unit vectors of its dimensions", async () => {
		const [a, b] = await embedder.embed(["How do I reset my password?", "How do I reset my password?"]);
		expect(a).toEqual(b);
		expect(a).toHaveLength(HASHED_DIMENSIONS);
		expect(dot(a ?? [], a ?? [])).toBeCloseTo(1);
	});

	it("finds shared stems and near spellings close, and unrelated texts far", async () => {
		expect(await cosine("refunds for annual plans", "refunded annual plan")).toBeGreaterThan(0.6);
		expect(await cosine("reset my pasword", "reset my password")).toBeGreaterThan(0.6);
		expect(await cosine("reset my password", "slack channel notifications")).toBeLessThan(0.2);
	});

	it("is not a model: a paraphrase with no word in common is not close (docs/retrieval.md)", async () => {
		expect(await cosine("can I get my cash returned", "refund policy for annual plans")).toBeLessThan(0.2);
	});
});

describe("the Workers AI embedder, against the exact output shape of @cf/baai/bge-base-en-v1.5", () => {
	it("sends batches of at most 100 texts and returns unit vectors in order", async () => {
		const calls: { model: string; inputs: Record<string, unknown> }[] = [];
		const ai = {
			run: async (model: string, inputs: Record<string, unknown>) => {
				calls.push({ model, inputs });
				const text = inputs.text as string[];
				return { shape: [text.length, 2], data: text.map((t) => [t.length, 0]), pooling: "mean" };
			},
		};
		const texts = Array.from({ length: 150 }, (_, i) => "x".repeat(i + 1));
		const vectors = await workersAiEmbedder(ai).embed(texts);
		expect(calls.map((c) => [c.model, (c.inputs.text as string[]).length])).toEqual([
			[WORKERS_AI_EMBEDDING_MODEL, 100],
			[WORKERS_AI_EMBEDDING_MODEL, 50],
		]);
		expect(vectors).toHaveLength(150);
		expect(vectors[0]).toEqual([1, 0]);
	});

	it("fails permanently on a response without one vector per text", async () => {
		const ai = { run: async () => ({ data: [[1, 0]] }) };
		await expect(workersAiEmbedder(ai).embed(["a", "b"])).rejects.toBeInstanceOf(PermanentError);
		await expect(workersAiEmbedder({ run: async () => ({ result: "nope" }) }).embed(["a"])).rejects.toBeInstanceOf(PermanentError);
	});
});
