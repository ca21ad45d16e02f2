/**
 * Remembers a pure function of a short text. A turn analyses the same few texts
 * again and again (its question and the earlier ones it leans on, in the follow-up
 * check, the search and the local model): the regular expressions that fold a
 * question into the articles' words were 3 % of the isolate's samples under
 * load (issue 19, docs/benchmarks.md), and canonicalizing a question for its
 * cache keys (cache/normalize-question.ts) 2.6 %. Bounded twice: the newest MEMO_TEXTS
 * texts, and only texts up to MEMO_MAX_CHARS (questions; an article's text is
 * analysed once elsewhere, ai/local-answer.ts). Results are frozen, so a caller
 * cannot change what the next one gets.
 */
import { LRUCache } from "lru-cache";

export const MEMO_TEXTS = 512;
export const MEMO_MAX_CHARS = 600;

/**
 * `bounds` widens the two bounds for longer texts that recur (a prompt's history and articles:
 * turn/prompt.ts); what it may hold is still at most `texts` × `maxChars`.
 * @example const cachedTerms = memoizeText(terms); cachedTerms("How do I get a refund?")
 */
export function memoizeText<R extends string | readonly unknown[]>(
	compute: (text: string) => R,
	bounds: { texts: number; maxChars: number } = { texts: MEMO_TEXTS, maxChars: MEMO_MAX_CHARS },
): (text: string) => R {
	const memo = new LRUCache<string, R>({ max: bounds.texts });
	return (text) => {
		if (text.length > bounds.maxChars) return compute(text);
		const known = memo.get(text);
		if (known !== undefined) return known;
		const value = Object.freeze(compute(text)) as R;
		memo.set(text, value);
		return value;
	};
}
