import { describe, expect, it } from "vitest";
import { PermanentError } from "../../../src/shared/errors";
import { WORKERS_AI_EMBEDDING_MODEL, workersAiEmbedder } from "../../../src/shared/kb/embedder";

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
