/**
 * Hybrid ranking: which articles ground a reply, and on which of their
 * passages. Ranked lists, fused by reciprocal rank (fusion.ts):
 * - the articles by BM25 over their whole text (a chatty question's words
 *   spread over an article still count together), at ARTICLE_LIST_WEIGHT;
 * - the articles in the order their best passage ranks by BM25 (a question
 *   about one section finds the article that has that section);
 * - the articles in the order their nearest passage ranks by embedding (a
 *   paraphrase that shares no word with its article), at the embedder's
 *   fusion weight;
 * - for a follow-up, the article the conversation is about, alone, at
 *   PRIOR_WEIGHT.
 * Reciprocal rank ignores margins, so an article BM25 puts far ahead (a word
 * only it has) is kept first. Each chosen article grounds the reply on its
 * best passages (fused the same way, lexical and dense), in article order
 * under their headings, and its URL points at the best one's section. Its
 * score stays the article's BM25: model routing and the conversational
 * fallback are calibrated on it.
 */
import type { Source } from "../ai/provider";
import { fuseRanks } from "./fusion";

/**
 * How much the whole-article BM25 list counts against the passage list. FTS5's BM25 gives a term
 * found in half the documents or more an IDF of (almost) nothing: over 34 articles "change", "email"
 * and "sign" say nothing, even in a title, so "I need to update the email I log in with" ranked the
 * mobile-sync article first (for "update") and the change-email article nowhere. Over 110 passages
 * the same terms still count. At a quarter, the article list breaks near ties between articles whose
 * passages rank alike (the eval: follow-ups 38 → 41 of 70, first turns unchanged; docs/retrieval.md).
 */
export const ARTICLE_LIST_WEIGHT = 0.25;

/**
 * How much the conversation's article (the previous reply's first citation) counts, as a ranked
 * list of its own, for a turn that leans on the conversation: the reply chose it over the other
 * articles found, so it is what "it" and "that one" most likely mean. Reciprocal rank is flat
 * (with k = 60, rank 1 and rank 4 of three lists differ by about 0.0013), so even a tenth of a list
 * at rank 1 (0.0016) moves it up two or three places; at 0.25, 0.5 and 1 the eval was the same as
 * at 0.1, and 0.03 lost a follow-up (docs/retrieval.md).
 */
export const PRIOR_WEIGHT = 0.1;

/** A passage as SQLite reads it (a type, not an interface, so it is a row record). */
export type PassageRow = {
	article_id: string;
	ord: number;
	heading: string | null;
	anchor: string | null;
	body: string;
	title: string;
	url: string | null;
};

export interface HybridInput {
	/** Articles by BM25 over their whole text, best first, with that score (boosts applied). */
	articles: readonly { id: string; score: number }[];
	/** Passages by BM25, best first. */
	lexical: readonly PassageRow[];
	/** Passages by embedding similarity, nearest first. */
	dense: readonly PassageRow[];
	denseWeight: number;
	limit: number;
	passagesPerArticle: number;
	/** An article BM25 puts far ahead of the rest (the caller decides how far): it stays first whatever the other lists say. */
	leader?: string | undefined;
	/** The article the conversation is about (turn/conversational-query.ts): a ranked list of its own, when found. */
	prior?: string | undefined;
}

/** @example hybridRank({ articles: [{ id: "reset-password", score: 9.1 }], lexical, dense: [], denseWeight: 1, limit: 3, passagesPerArticle: 4 }) */
export function hybridRank({ articles, lexical, dense, denseWeight, limit, passagesPerArticle, leader, prior }: HybridInput): Source[] {
	const firstOfEach = (rows: readonly PassageRow[]) => [...new Set(rows.map((r) => r.article_id))];
	// Only when the question's words find it: a follow-up about something else entirely does not get it back.
	const found = prior !== undefined && articles.some((a) => a.id === prior);
	const fused = fuseRanks(
		[articles.map((a) => a.id), firstOfEach(lexical), firstOfEach(dense), found ? [prior] : []],
		[ARTICLE_LIST_WEIGHT, 1, denseWeight, PRIOR_WEIGHT],
	);
	const order = leader === undefined ? fused : [...fused.filter((a) => a.id === leader), ...fused.filter((a) => a.id !== leader)];
	const key = (row: PassageRow) => `${row.article_id}#${row.ord}`;
	const rows = new Map([...dense, ...lexical].map((row) => [key(row), row]));
	const passageOrder = fuseRanks([lexical.map(key), dense.map(key)], [1, denseWeight]).flatMap(({ id }) => rows.get(id) ?? []);
	const bm25 = new Map(articles.map((a) => [a.id, a.score]));
	const out: Source[] = [];
	for (const { id } of order) {
		if (out.length === limit) break;
		const passages = passageOrder.filter((row) => row.article_id === id).slice(0, passagesPerArticle);
		const best = passages[0];
		if (!best) continue;
		const body = [...passages]
			.sort((a, b) => a.ord - b.ord)
			.map((p) => (p.heading ? `## ${p.heading}\n\n${p.body}` : p.body))
			.join("\n\n");
		const source: Source = { id, title: best.title, body };
		const score = bm25.get(id);
		if (score !== undefined) source.score = Math.round(score * 1000) / 1000;
		if (best.url) source.url = best.anchor ? `${best.url}#${best.anchor}` : best.url;
		out.push(source);
	}
	return out;
}
