/**
 * 500 FAQ-style questions for the cache benchmark, built from the sample
 * knowledge base's article titles: each topic asked in several phrasings,
 * some of which differ only in case, punctuation or a greeting (so they share
 * a normalized key) and some of which are real paraphrases (so they do not).
 * Deterministic, so runs compare.
 */
import { sampleArticles } from "../src/shared/kb/sample-articles-node";

const TEMPLATES: ((topic: string) => string)[] = [
	(t) => `${t}?`,
	(t) => `Hi! ${t}?`,
	(t) => `${t.toUpperCase()}`,
	(t) => `  ${t.toLowerCase()} ?? `,
	(t) => `Can you help me with ${t.toLowerCase()}?`,
	(t) => `Tell me about ${t.toLowerCase()}.`,
	(t) => `What should I know about ${t.toLowerCase()}?`,
	(t) => `I need help: ${t.toLowerCase()}`,
	(t) => `How does ${t.toLowerCase()} work?`,
	(t) => `Question about ${t.toLowerCase()}, please`,
	(t) => `Where do I find ${t.toLowerCase()}?`,
	(t) => `Is there a guide for ${t.toLowerCase()}?`,
	(t) => `Explain ${t.toLowerCase()} to me`,
	(t) => `${t} - thanks`,
	(t) => `Help with ${t.toLowerCase()} on the mobile app?`,
];

/** The questions, most popular topic first (the order a Zipf draw ranks them in). */
export function faqQuestions(count = 500): string[] {
	const out: string[] = [];
	for (const template of TEMPLATES) {
		for (const article of sampleArticles) {
			if (out.length === count) return out;
			out.push(template(article.title));
		}
	}
	return out;
}

/**
 * Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s, from a seeded generator.
 * @example zipfSampler(500, 1.1, seededRandom(7))() // 0 most often
 */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
	const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
	const total = weights.reduce((a, b) => a + b, 0);
	const cumulative: number[] = [];
	let sum = 0;
	for (const w of weights) {
		sum += w / total;
		cumulative.push(sum);
	}
	return () => {
		const x = random();
		let lo = 0;
		let hi = n - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if ((cumulative[mid] ?? 1) < x) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	};
}
