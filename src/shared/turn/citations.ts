/** Maps the `[n]` markers of a reply to the articles it was grounded on. */
import type { Source } from "../ai/provider";
import type { Citation } from "../schemas/message";

/**
 * Each cited source once, in order of first mention; unknown numbers are ignored.
 * @example citationsFor("See [2] and [1].", sources) // [sources[1], sources[0]] as citations
 */
export function citationsFor(text: string, sources: readonly Source[]): Citation[] {
	const seen = new Set<number>();
	const out: Citation[] = [];
	for (const match of text.matchAll(/\[(\d{1,2})\]/g)) {
		const index = Number(match[1]) - 1;
		const source = sources[index];
		if (!source || seen.has(index)) continue;
		seen.add(index);
		out.push(source.url ? { id: source.id, title: source.title, url: source.url } : { id: source.id, title: source.title });
	}
	return out;
}
