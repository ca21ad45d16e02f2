/**
 * Text embeddings for the dense half of hybrid search (kb/hybrid.ts). In
 * production, Workers AI's `@cf/baai/bge-base-en-v1.5` (768 dimensions);
 * locally, where Workers AI cannot run, `hashedEmbedder`: deterministic and
 * offline, but a stand-in, not a model. It maps each word and each of its
 * character trigrams to one of 256 dimensions by hashing, so it sees shared
 * words, shared stems ("refunded", "refunds") and near spellings ("pasword")
 * as close, and a paraphrase with no word in common ("get my cash returned"
 * against "refunds") as unrelated: meaning is what the real model adds.
 */
import { z } from "zod";
import type { AiRunner } from "../ai/workers-ai";
import { PermanentError } from "../errors";
import { fnv1a } from "../hash";
import { terms } from "../text/terms";

export interface Embedder {
	/** Names the vectors: a vector from one model is never compared with one from another. */
	readonly model: string;
	readonly dimensions: number;
	/**
	 * How much its nearest-vector ranking counts in fusion against the BM25 ranking (kb/fusion.ts):
	 * 1 for a real model, whose ranking adds meaning; less for a stand-in that mostly repeats the
	 * words BM25 already matched, with noise (docs/retrieval.md has the eval behind the figure).
	 */
	readonly fusionWeight: number;
	/**
	 * The least cosine similarity at which a passage counts as near a query: below it, the nearest
	 * passages of a question nothing answers are not offered as if they were relevant.
	 */
	readonly minSimilarity: number;
	/** Whether its vectors are worth the embedding cache (a remote model's are; computing the stand-in's is cheaper than a KV read). */
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

export const HASHED_DIMENSIONS = 256;
/** A word counts this much; each of its character trigrams half as much. */
const TRIGRAM_WEIGHT = 0.5;

/** @example await hashedEmbedder().embed(["refunds"]) // close to the vector of "refunded" */
export function hashedEmbedder(): Embedder {
	return {
		model: `local/hashed-ngrams-${HASHED_DIMENSIONS}-v1`,
		dimensions: HASHED_DIMENSIONS,
		// Measured: given any say in the fusion, its ranking cost right answers on the eval (docs/retrieval.md).
		fusionWeight: 0,
		minSimilarity: 0.3,
		cacheable: false,
		embed: async (texts) => texts.map(hashedVector),
	};
}

function hashedVector(text: string): number[] {
	const vector = new Array<number>(HASHED_DIMENSIONS).fill(0);
	const add = (feature: string, weight: number) => {
		const hash = fnv1a(feature);
		// The hash's top bit signs the feature, so unrelated features cancel out on average instead of piling up.
		vector[hash % HASHED_DIMENSIONS] = (vector[hash % HASHED_DIMENSIONS] ?? 0) + (hash & 0x80000000 ? -weight : weight);
	};
	for (const term of terms(text)) {
		add(`w:${term}`, 1);
		const padded = `^${term}$`;
		for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
	}
	return unit(vector);
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
