/**
 * Knowledge-base search results through the multi-level cache, keyed by the
 * knowledge base's version. The version is read from the knowledge base (its
 * single writer), because it is what makes an edit visible at once: no other
 * store the platform offers is strongly consistent across isolates. An
 * isolate keeps what it read for KB_VERSION_LEASE_MS, counted from when it
 * asked, and every edit waits longer than that before it returns
 * (KnowledgeBase.put and delete), so an edit that has returned is still
 * always reflected, while a busy isolate asks once per lease instead of once
 * per turn. The full-text search (the knowledge base's real work, and every
 * hub in the world funnels into that one object) runs once per query and
 * version.
 *
 * The key is built from the canonical query and so is the search: an entry
 * holds exactly what its key's text finds (STYLE §14), whatever spelling of
 * it the first asker used.
 *
 * A search refined by its conversation (a later turn's: the articles the
 * last reply cited, the one it chose, the earlier question) is refined here
 * (kb/refined-retrieval.ts) over the knowledge base's rankings, each held in
 * the isolate's memory only by its own query, boost, prior and version. The
 * whole search's key would carry the conversation and miss; a ranking's
 * mostly does not (a later turn's standalone question ranks the same in
 * every conversation), so a later turn usually needs no round trip to the
 * knowledge base at all. Memory only: a KV read would almost always miss, on
 * the first token's path, and every miss would pay a KV write (issue 19:
 * docs/benchmarks.md, "Fourth round" and "Fifth round").
 */
import { z } from "zod";
import type { Source } from "../ai/provider";
import { cacheKey, createCache, normalizeQuestion } from "../cache";
import { describeError } from "../errors";
import { KeptRankings } from "../kb/kept-rankings";
import { type Ranked, type RankedAt, refinedRetrieval } from "../kb/refined-retrieval";
import { KB_VERSION_LEASE_MS } from "../kb/version-lease";
import { Lease } from "../lease";
import type { Refine } from "./conversational-query";

/** What a turn asks of the knowledge base. */
export interface Knowledge {
	/** The current version: an edit that has returned is always reflected. */
	version(): Promise<number>;
	/** The best articles for `query`'s canonical form, as of `version` or newer, refined by the turn's conversation. */
	search(query: string, limit: number, version: number, refine?: Refine): Promise<Source[]>;
}

/** The knowledge base's own RPC surface that this needs. */
export interface KnowledgeBaseRpc {
	version(): Promise<number> | number;
	lookup(
		query: string,
		limit: number,
		refine?: Refine,
	): Promise<{ version: number; sources: Source[] }> | { version: number; sources: Source[] };
	rank(query: string, limit: number, boost: readonly string[], prior?: string): Promise<RankedAt> | RankedAt;
}

const sourcesSchema = z.array(
	z
		// An entry written before scores were kept has none: model routing then treats its retrieval as unsure.
		.object({ id: z.string(), title: z.string(), body: z.string(), url: z.string().optional(), score: z.number().optional() })
		.transform(({ url, score, ...source }): Source => ({ ...source, ...(url ? { url } : {}), ...(score === undefined ? {} : { score }) })),
);

/** The version this isolate read last and until when it may be used. Versions only grow: a slower read that returns an older one must not replace a newer lease. */
const versionLease = new Lease<number>(KB_VERSION_LEASE_MS, (read, held) => read >= held);

/**
 * @example const knowledge = cachedKnowledge(kbStub, env, (p) => ctx.waitUntil(p));
 */
export function cachedKnowledge(
	kb: KnowledgeBaseRpc,
	env: { CACHE: KVNamespace; ARCHIVE: R2Bucket },
	waitUntil?: (promise: Promise<unknown>) => void,
): Knowledge {
	const cache = createCache(env, waitUntil ? { waitUntil } : {});
	return {
		version: () => versionLease.get(() => kb.version()),
		async search(query, limit, version, refine = {}) {
			const canonical = normalizeQuestion(query);
			// Searched exactly as keyed: canonical texts, and the boosted articles in one order.
			const boost = [...new Set(refine.boost ?? [])].sort();
			const ifUnsure = refine.ifUnsure === undefined ? undefined : normalizeQuestion(refine.ifUnsure);
			const rewrite = refine.rewrite === undefined ? undefined : normalizeQuestion(refine.rewrite);
			const canonicalRefine: Refine = {
				...(boost.length ? { boost } : {}),
				...(refine.prior === undefined ? {} : { prior: refine.prior }),
				...(ifUnsure === undefined ? {} : { ifUnsure }),
				...(rewrite === undefined ? {} : { rewrite }),
			};
			if (Object.keys(canonicalRefine).length > 0) {
				return refinedRetrieval((q, l, b, p) => heldRanking(kb, version, q, l, b, p), canonical, limit, canonicalRefine);
			}
			const key = await cacheKey("kb-search", { query: canonical, limit, kbVersion: version });
			// If an edit lands between version() and this lookup, the sources are newer than the key
			// says; a reader holding that older version then gets newer articles, which is harmless.
			const raw = await cache.getOrCompute(key, "kb-search", async () => JSON.stringify((await kb.lookup(canonical, limit)).sources));
			const parsed = parse(raw);
			if (parsed) return parsed;
			await cache.delete(key);
			return (await kb.lookup(canonical, limit)).sources;
		},
	};
}

/** The rankings this isolate holds, by version (see the top of this file): memory only, never KV or R2. */
const heldRankings = new KeptRankings<Ranked>();

/**
 * The knowledge base's ranking as of `version`, held in this isolate or asked for. Kept only when
 * it belongs to exactly `version` and the knowledge base says it may be: an entry holds what its
 * key's version ranks. Held as frozen objects, so a hit costs no parse and no hash.
 */
async function heldRanking(
	kb: KnowledgeBaseRpc,
	version: number,
	query: string,
	limit: number,
	boost: readonly string[],
	prior?: string,
): Promise<Ranked> {
	let asked: RankedAt | undefined;
	return heldRankings.get(
		JSON.stringify([version, query, limit, boost, prior ?? null]),
		async () => {
			asked = await kb.rank(query, limit, boost, prior);
			return frozen(asked.ranked);
		},
		() => asked?.keepable === true && asked.version === version,
	);
}

/** Shared by every turn in the isolate: frozen, so a caller that writes to one throws instead of changing the next turn's. */
function frozen({ sources, unanimous }: Ranked): Ranked {
	// Typed as Ranked's plain array for callers; at run time it is frozen (the point of this function).
	return Object.freeze({ sources: Object.freeze(sources.map((source) => Object.freeze({ ...source }))) as Source[], unanimous });
}

function parse(raw: string): Source[] | undefined {
	try {
		const parsed = sourcesSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : undefined;
	} catch (error) {
		console.warn(JSON.stringify({ event: "cached_search_unreadable", error: describeError(error) }));
		return undefined;
	}
}
