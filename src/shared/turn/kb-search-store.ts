/**
 * Knowledge-base search results through the multi-level cache, keyed by the
 * knowledge base's version. The version itself is always read from the
 * knowledge base (its single writer), because it is what makes an edit
 * visible at once: no other store the platform offers is strongly consistent
 * across isolates. So a repeated question still costs one round trip, but a
 * constant-time one; the full-text search (the knowledge base's real work,
 * and every hub in the world funnels into that one object) runs once per
 * query and version.
 *
 * The key is built from the canonical query and so is the search: an entry
 * holds exactly what its key's text finds (STYLE §14), whatever spelling of
 * it the first asker used.
 */
import { z } from "zod";
import type { Source } from "../ai/provider";
import { cacheKey, createCache, normalizeQuestion } from "../cache";
import { describeError } from "../errors";

/** What a turn asks of the knowledge base. */
export interface Knowledge {
	/** The current version: an edit that has returned is always reflected. */
	version(): Promise<number>;
	/** The best articles for `query`'s canonical form, as of `version` or newer. */
	search(query: string, limit: number, version: number): Promise<Source[]>;
}

/** The knowledge base's own RPC surface that this needs. */
export interface KnowledgeBaseRpc {
	version(): Promise<number> | number;
	lookup(query: string, limit: number): Promise<{ version: number; sources: Source[] }> | { version: number; sources: Source[] };
}

const sourcesSchema = z.array(
	z
		// An entry written before scores were kept has none: model routing then treats its retrieval as unsure.
		.object({ id: z.string(), title: z.string(), body: z.string(), url: z.string().optional(), score: z.number().optional() })
		.transform(({ url, score, ...source }): Source => ({ ...source, ...(url ? { url } : {}), ...(score === undefined ? {} : { score }) })),
);

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
		version: async () => kb.version(),
		async search(query, limit, version) {
			const canonical = normalizeQuestion(query);
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

function parse(raw: string): Source[] | undefined {
	try {
		const parsed = sourcesSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : undefined;
	} catch (error) {
		console.warn(JSON.stringify({ event: "cached_search_unreadable", error: describeError(error) }));
		return undefined;
	}
}
