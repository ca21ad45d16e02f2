/**
 * The cache's kinds: what the product caches, for how long, under which key
 * version, and whether a copy goes to the R2 archive. One table, so a TTL or
 * a key-format change is a one-line edit that every level honours.
 */

/** What one kind of cached value promises. */
export interface CacheKindPolicy {
	/** How long a value stays fresh, at every level. */
	readonly ttlSeconds: number;
	/** Part of every key: bump it when the value's shape or meaning changes, and old entries are never read again. */
	readonly version: number;
	/** Also write to R2 (L3), for values that must survive a KV miss or failure. */
	readonly archive: boolean;
}

/**
 * The kinds the product uses, as the design brief prices them. `profile` and
 * `tool-result` are per user (keyed by the verified user id, never shared,
 * and erased with the user: src/shared/tools/account-cache.ts).
 * @example CACHE_KINDS.answer.ttlSeconds // 3600
 */
export const CACHE_KINDS = {
	/**
	 * An AI answer to a canonical question. Version 2: computed from the canonical text itself;
	 * version 1 entries were computed from whichever spelling came first, and are never read again.
	 */
	answer: { ttlSeconds: 60 * 60, version: 2, archive: false },
	/**
	 * Knowledge-base search results for a canonical query (version 2: searched with that query, as
	 * above; version 3: each article grounded on its best-matching passages, not its whole body; version 4:
	 * "log in" searched as "sign in", text/terms.ts, and passages counting more than whole articles, kb/hybrid.ts;
	 * version 5: pronouns, idioms and contraction stubs no longer searched,
	 * "update" searched as "change" too, text/terms.ts; version 6: the local embedder's nearest passages
	 * fused in, kb/word-vector-embedder.ts; 7 and 8: the conversation's article as a prior, and a stopword's
	 * stem no longer searched; versions 9 to 13: quantifiers ("each", "few") not searched, "more time" searched as "extend", "move up" as "upgrade", "a full copy" as "export", "get anything back" as "refund", "warn" as "remind", "cost" as "price" too, and "who deleted …" with "audit log", text/terms.ts; version 14: a later turn's own words are kept
	 * when BM25 over articles and passages and the nearest passages all put one article first,
	 * knowledge-base.ts).
	 */
	"kb-search": { ttlSeconds: 30 * 60, version: 14, archive: false },
	/** A text's embedding, by model and text: a week, as the design brief prices it (kb/passage-vectors.ts). */
	embedding: { ttlSeconds: 7 * 24 * 60 * 60, version: 1, archive: false },
	/** A conversation summary: archived, because rebuilding it means re-reading the whole conversation. */
	summary: { ttlSeconds: 2 * 60 * 60, version: 1, archive: true },
	/** An identified user's back-office profile (CONTRACT §8): a day. */
	profile: { ttlSeconds: 24 * 60 * 60, version: 1, archive: false },
	/** A read tool's answer for one user (CONTRACT §8): 15 minutes, so account facts stay close to the truth. */
	"tool-result": { ttlSeconds: 15 * 60, version: 1, archive: false },
} as const satisfies Record<string, CacheKindPolicy>;

/** A kind's name, derived from the table. */
export type CacheKind = keyof typeof CACHE_KINDS;

/** Every kind, in table order (for iterating stats). */
export const CACHE_KIND_NAMES = Object.keys(CACHE_KINDS).filter((name): name is CacheKind => Object.hasOwn(CACHE_KINDS, name));

/** KV refuses an `expirationTtl` under 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60;

/**
 * The `expirationTtl` to give KV for a value that stays fresh `seconds` more:
 * whole seconds, never under KV's minimum. KV may then keep a value a little
 * longer than its freshness; readers check `expiresAt` themselves.
 * @example kvExpirationTtl(30) // 60
 * @example kvExpirationTtl(CACHE_KINDS.answer.ttlSeconds) // 3600
 */
export function kvExpirationTtl(seconds: number): number {
	return Math.max(KV_MIN_TTL_SECONDS, Math.ceil(seconds));
}
