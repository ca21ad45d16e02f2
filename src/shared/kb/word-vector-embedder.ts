/**
 * The local embedder: sentences as weighted averages of pretrained word
 * vectors (GloVe, 100 dimensions, scripts/build-word-vectors.ts), the "SIF"
 * recipe of Arora, Liang and Ma (ICLR 2017): each word weighs a / (a + p(w)),
 * so rare words carry a sentence and frequent ones barely count, and the
 * direction all sentences share is projected out.
 *
 * What it is: offline, deterministic and a real model of meaning at the word
 * level. "get my money back" lands near "refund", "phone" near "mobile",
 * "warn" near "remind", which the lexical search cannot see.
 * What it is not: a sentence encoder. Word order, negation and phrases are
 * lost ("not charged" is near "charged"), a word outside its 20,000-odd words
 * counts for nothing, and it ranks worse than bge-base, which production
 * uses (embedder.ts). Alone, it ranks the sample knowledge base's right
 * article first for 50 of the eval's 68 opening questions (a script over the
 * passages with their titles), so it is fused with BM25 rather than trusted
 * alone (docs/retrieval.md).
 */
import { contentWords } from "../text/terms";
import { type Embedder, unit } from "./embedder";
import { sifWeight, type WordVectorTable } from "./word-vector-table";

/** @example await wordVectorEmbedder(table).embed(["can I get my money back?"]) // near the vector of "refunds" */
export function wordVectorEmbedder(table: WordVectorTable): Embedder {
	const index = new Map(table.words.map((word, i) => [word, i]));
	const common = unit(table.common);
	const lookup = (word: string) =>
		index.get(word) ??
		variants(word)
			.map((v) => index.get(v))
			.find((i) => i !== undefined);
	const embedOne = (text: string): number[] => {
		const sum = new Array<number>(table.dimensions).fill(0);
		for (const word of contentWords(text)) {
			const i = lookup(word);
			if (i === undefined) continue;
			const weight = sifWeight(table.ranks[i] ?? 0) * table.scale;
			const row = i * table.dimensions;
			for (let d = 0; d < table.dimensions; d++) sum[d] = (sum[d] ?? 0) + weight * (table.vectors[row + d] ?? 0);
		}
		const sentence = unit(sum);
		let shared = 0;
		for (let d = 0; d < table.dimensions; d++) shared += (sentence[d] ?? 0) * (common[d] ?? 0);
		return unit(sentence.map((x, d) => x - shared * (common[d] ?? 0)));
	};
	return {
		model: `local/${table.model}`,
		dimensions: table.dimensions,
		fusionWeight: 0.5,
		// Kept from the hashed embedder it replaced, not tuned: the fusion weight was what the eval measured.
		minSimilarity: 0.3,
		cacheable: false,
		embed: async (texts) => texts.map(embedOne),
	};
}

/** Base forms to try for a word the vocabulary lacks: "synced" → "sync", "renewals" → "renewal". */
function variants(word: string): string[] {
	const out: string[] = [];
	if (word.endsWith("s")) out.push(word.slice(0, -1));
	if (word.endsWith("es")) out.push(word.slice(0, -2));
	if (word.endsWith("ed")) out.push(word.slice(0, -2), word.slice(0, -1));
	if (word.endsWith("ing")) out.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
	return out;
}
