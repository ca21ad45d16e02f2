/**
 * The word vectors' table as scripts/build-word-vectors.ts writes it, and the
 * word weights both it and the embedder (word-vector-embedder.ts) use. Apart
 * from the embedder so that the Node script needs nothing of the Worker.
 */

/** What glove.json holds: everything but the words and the vectors. */
export interface WordVectorHeader {
	model: string;
	dimensions: number;
	/** What an int8 component is multiplied by. */
	scale: number;
	/** The sentences' common direction, projected out of every vector. */
	common: number[];
}

/** The whole table, as the embedder reads it (bundled-word-vectors.ts decodes it from the three files). */
export interface WordVectorTable extends WordVectorHeader {
	/** The vocabulary, most frequent first. */
	words: string[];
	/** Each word's rank by frequency in GloVe's corpus (0 for "the"). */
	ranks: number[];
	/** words.length × dimensions int8 components, a word's in a row. */
	vectors: Int8Array;
}

/** SIF's a: the paper's recommended 1e-3 (on the eval, 1e-4 and 3e-3 ranked one or two first turns worse). */
const SIF_A = 1e-3;

/**
 * A word's weight from its frequency rank. GloVe ships no counts, so p(w) is Zipf's law from the rank:
 * 0.1 / (rank + 10), close for English text.
 * @example sifWeight(0) // 0.09 ("the"), sifWeight(15_977) // 0.99 ("refund")
 */
export function sifWeight(rank: number): number {
	return SIF_A / (SIF_A + 0.1 / (rank + 10));
}
