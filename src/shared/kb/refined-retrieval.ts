/**
 * How a turn's conversation refines its search, over rankings from anywhere.
 * The knowledge base ranks (BM25 and nearest passages, fused: its SQL and
 * vectors live there); what to rank, and what to keep of it, is decided here,
 * so the same steps run inside the object (KnowledgeBase.retrieve) and in the
 * isolate that runs a turn over rankings it already holds
 * (turn/kb-search-store.ts). A later turn's standalone question ranks the same
 * in every conversation that asks it; only its refinement is the
 * conversation's own, and that needs no round trip to the one object every
 * hub in the world shares (issue 19: docs/benchmarks.md, "Fifth round").
 */
import type { Source } from "../ai/provider";
import type { Refine } from "../turn/conversational-query";
import { fuseRanks } from "./fusion";

/**
 * What a search found: the articles, best first, and whether every list behind them (BM25 over
 * articles, BM25 over passages, the nearest passages by embedding) put the same one first, and the
 * fusion kept it there.
 */
export interface Ranked {
	sources: Source[];
	unanimous: boolean;
}

/** A ranking as the knowledge base gives it out: the version it belongs to, and whether it may be kept. */
export interface RankedAt {
	version: number;
	ranked: Ranked;
	/** False while the knowledge base's vectors are behind: the ranking lacks its dense list until they catch up. */
	keepable: boolean;
}

/** One ranking: `query`'s best `limit` articles, with `boost`'s scores raised and `prior` ranked as a list of its own. */
export type Rank = (query: string, limit: number, boost: readonly string[], prior?: string) => Promise<Ranked>;

/** A top article found clearly: a strong BM25 score, or a fair one well ahead of the next. */
const CLEAR_SCORE = 6;
export const FAIR_SCORE = 4;
const CLEAR_LEAD = 1.5;

function clearWinner(hits: readonly Source[]): boolean {
	const top = hits[0]?.score ?? 0;
	const next = hits[1]?.score ?? 0;
	return top >= CLEAR_SCORE || (top >= FAIR_SCORE && top >= CLEAR_LEAD * next);
}

/**
 * The best articles for a question, refined by its conversation. With `ifUnsure`, that query is
 * searched instead when `query` finds no article clearly (a later turn whose own words name too
 * little); with `rewrite`, that is searched too and the two lists are fused by rank. Articles in
 * `boost` (the ones the previous reply cited) win near-ties but not clear losses; `prior` (the
 * article the previous reply chose) is ranked as a list of its own (kb/hybrid.ts).
 * @example await refinedRetrieval(rank, "how long is the link valid", 3, { boost: ["reset-password"], prior: "reset-password" })
 */
export async function refinedRetrieval(rank: Rank, query: string, limit: number, refine: Refine = {}): Promise<Source[]> {
	const { boost = [], prior, rewrite } = refine;
	// A model's standalone rewrite of the follow-up is ranked alongside, then fused by rank with what its own words found.
	const [found, rewritten] = await Promise.all([
		conversational(rank, query, limit, refine),
		rewrite === undefined ? undefined : rank(rewrite, limit, boost, prior),
	]);
	if (rewritten === undefined) return found;
	const byId = new Map([...rewritten.sources, ...found].map((source) => [source.id, source]));
	return fuseRanks([found.map((s) => s.id), rewritten.sources.map((s) => s.id)])
		.slice(0, limit)
		.flatMap(({ id }) => byId.get(id) ?? []);
}

/** What the turn's own words find, or with `ifUnsure` and they find nothing clearly, what its conversation finds. */
async function conversational(rank: Rank, query: string, limit: number, { boost = [], prior, ifUnsure }: Refine): Promise<Source[]> {
	if (ifUnsure === undefined) return (await rank(query, limit, boost, prior)).sources;
	const own = await rank(query, limit, []);
	// A turn's own words find its article when BM25 scores it clearly, or when all three lists agree on it: FTS5's
	// BM25 gives a word in half the articles or more no weight, so "how do i change the email address on my
	// account?" scores low everywhere, and its conversation's words (two-factor, a turn before) would win.
	if (clearWinner(own.sources) || own.unanimous) return own.sources;
	return (await rank(ifUnsure, limit, boost)).sources;
}
