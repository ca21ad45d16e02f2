/**
 * The word vectors bundled with the Worker, made by
 * scripts/build-word-vectors.ts: the words with their frequency ranks, and
 * their int8 components in base64 (2.65 MB of text, 1.6 MB gzipped), both
 * imported as strings by wrangler's default rule for .txt files. They serve
 * `wrangler dev` and deployments whose model has no embeddings of its own
 * (AI_PROVIDER=openai). Decoded on first use, once per isolate: only the
 * KnowledgeBase object uses them, and the other isolates only hold the strings.
 */

import type { WordVectorTable } from "./word-vector-table";
import header from "./word-vectors/glove.json";
import vectors from "./word-vectors/glove-vectors.txt";
import wordList from "./word-vectors/glove-words.txt";

declare global {
	interface Uint8ArrayConstructor {
		/** ES2026's base64 decoder, which workerd has and TypeScript's ES2024 library does not declare yet. */
		fromBase64(text: string): Uint8Array;
	}
}

let decoded: WordVectorTable | undefined;

/** @example wordVectorEmbedder(bundledWordVectors()) */
export function bundledWordVectors(): WordVectorTable {
	if (decoded) return decoded;
	const words: string[] = [];
	const ranks: number[] = [];
	for (const line of wordList.split("\n")) {
		const [word, rank] = line.split(" ");
		if (!word || rank === undefined) continue;
		words.push(word);
		ranks.push(Number(rank));
	}
	const bytes = Uint8Array.fromBase64(vectors.trim());
	decoded = { ...header, words, ranks, vectors: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
	return decoded;
}
