/**
 * Text embeddings for the dense half of hybrid search (kb/hybrid.ts). In
 * production, Workers AI's `@cf/baai/bge-base-en-v1.5` (768 dimensions);
 * locally, and with a provider that has no embeddings of its own,
 * `wordVectorEmbedder` (word-vector-embedder.ts): pretrained GloVe word
 * vectors averaged into sentences, offline and deterministic, weaker than bge
 * but a model of meaning.
 */
import { z } from "zod";
import type { AiRunner } from "../ai/workers-ai";
import { PermanentError } from "../errors";

export interface Embedder {
	/** Names the vectors: a vector from one model is never compared with one from another. */
	readonly model: string;
	readonly dimensions: number;
	/**
	 * How much its nearest-vector ranking counts in fusion against the BM25 ranking (kb/fusion.ts):
	 * 1 for a sentence model, whose ranking adds meaning; less for word vectors, whose ranking is
	 * noisier (docs/retrieval.md has the eval behind the figure).
	 */
	readonly fusionWeight: number;
	/**
	 * The least cosine similarity at which a passage counts as near a query: below it, the nearest
	 * passages of a question nothing answers are not offered as if they were relevant.
	 */
	readonly minSimilarity: number;
	/** Whether its vectors are worth the embedding cache (a remote model's are; computing word vectors' is cheaper than a KV read). */
	readonly cacheable: boolean;
	/** One unit-length vector per text, in order. */
	embed(texts: readonly string[]): Promise<number[][]>;
}

export const WORKERS_AI_EMBEDDING_MODEL = "@cf/baai/bge-base-en-v1.5";
/** Workers AI takes up to 100 texts per call to this model. */
const WORKERS_AI_BATCH = 100;

const bgeOutput = z.object({ data: z.array(z.array(z.number())) });

/** @example await workersAiEmbedder(env.AI).embed(["How do I reset my password?"]) // [[0.01, …768]] */
export function workersAiEmbedder(ai: AiRunner): Embedder {
	return {
		model: WORKERS_AI_EMBEDDING_MODEL,
		dimensions: 768,
		fusionWeight: 1,
		// bge-base puts unrelated English sentences around 0.3 to 0.5 and paraphrases above 0.7.
		minSimilarity: 0.6,
		cacheable: true,
		async embed(texts) {
			const out: number[][] = [];
			for (let i = 0; i < texts.length; i += WORKERS_AI_BATCH) {
				const batch = texts.slice(i, i + WORKERS_AI_BATCH);
				const parsed = bgeOutput.safeParse(await ai.run(WORKERS_AI_EMBEDDING_MODEL, { text: batch }));
				if (!parsed.success || parsed.data.data.length !== batch.length) {
					throw new PermanentError("Workers AI returned no embeddings for the batch");
				}
				out.push(...parsed.data.data.map(unit));
			}
			return out;
		},
	};
}

/** The vector scaled to length 1 (the zero vector stays zero). */
export function unit(vector: readonly number[]): number[] {
	const norm = Math.hypot(...vector);
	return norm === 0 ? [...vector] : vector.map((x) => x / norm);
}

/** Cosine similarity of two unit vectors (arrays, or a Float32Array read from storage). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let sum = 0;
	for (let i = 0; i < a.length && i < b.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
	return sum;
}
