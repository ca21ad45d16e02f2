/**
 * Both vector indexes through one contract: SQLite in a Durable Object's own
 * storage, and Vectorize through a stand-in that implements the binding's
 * exact API (no local simulator exists). The stand-in is exact where Vectorize
 * is approximate; the contract tested is what the knowledge base relies on.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteVectorIndex, type VectorIndex, VectorizeIndex } from "../../../src/shared/kb/vector-index";

/** Vectorize's binding, as workers-types declares it, over an in-memory map (cosine = dot on unit vectors). */
class VectorizeStandIn implements Pick<Vectorize, "query" | "upsert" | "deleteByIds"> {
	readonly vectors = new Map<string, number[]>();
	readonly calls: string[] = [];
	async query(vector: VectorFloatArray | number[], options?: VectorizeQueryOptions): Promise<VectorizeMatches> {
		this.calls.push(`query topK=${options?.topK}`);
		const query = [...vector];
		const matches = [...this.vectors]
			.map(([id, values]) => ({ id, score: values.reduce((sum, x, i) => sum + x * (query[i] ?? 0), 0) }))
			.sort((a, b) => b.score - a.score)
			.slice(0, options?.topK ?? 5);
		return { matches, count: matches.length };
	}
	async upsert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
		this.calls.push(`upsert ${vectors.length}`);
		for (const v of vectors) this.vectors.set(v.id, [...v.values]);
		return { mutationId: `m${this.calls.length}` };
	}
	async deleteByIds(ids: string[]): Promise<VectorizeAsyncMutation> {
		this.calls.push(`delete ${ids.length}`);
		for (const id of ids) this.vectors.delete(id);
		return { mutationId: `m${this.calls.length}` };
	}
}

async function contract(index: VectorIndex) {
	await index.upsert([
		{ id: "north", values: [1, 0] },
		{ id: "east", values: [0, 1] },
		{ id: "north-east", values: [Math.SQRT1_2, Math.SQRT1_2] },
	]);
	expect((await index.query([1, 0], 2)).map((m) => m.id)).toEqual(["north", "north-east"]);
	await index.upsert([{ id: "north", values: [0, -1] }]);
	expect((await index.query([1, 0], 1)).map((m) => m.id)).toEqual(["north-east"]);
	await index.remove(["north-east"]);
	const left = await index.query([1, 0], 10);
	expect(left.map((m) => m.id).sort()).toEqual(["east", "north"]);
	expect(left[0]?.score).toBeCloseTo(0);
}

describe("vector indexes", () => {
	it("SqliteVectorIndex: nearest first, upsert replaces, remove removes; models kept apart", async () => {
		const stub = env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName("vector-index-test"));
		await runInDurableObject(stub, async (_instance, state) => {
			await contract(new SqliteVectorIndex(state.storage.sql, "model-a"));
			expect(await new SqliteVectorIndex(state.storage.sql, "model-b").query([1, 0], 10)).toEqual([]);
		});
	});

	it("SqliteVectorIndex: the same contract when its vectors are too many to hold in memory (read row by row)", async () => {
		const stub = env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName("vector-index-test-row-by-row"));
		await runInDurableObject(stub, async (_instance, state) => {
			await contract(new SqliteVectorIndex(state.storage.sql, "model-c", 0));
		});
	});

	it("VectorizeIndex: the same contract through the binding's API, in Vectorize's batch limits", async () => {
		const binding = new VectorizeStandIn();
		await contract(new VectorizeIndex(binding));
		await new VectorizeIndex(binding).upsert(Array.from({ length: 2500 }, (_, i) => ({ id: `v${i}`, values: [1, 0] })));
		expect(binding.calls.filter((c) => c.startsWith("upsert")).slice(-3)).toEqual(["upsert 1000", "upsert 1000", "upsert 500"]);
		await new VectorizeIndex(binding).query([1, 0], 500);
		expect(binding.calls.at(-1)).toBe("query topK=100");
	});
});
