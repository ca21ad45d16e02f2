/**
 * The daily R2 sweep (issue 17 item 3: nothing in R2 outlives its TTL). R2
 * has no per-object TTL, and a reader deletes an expired cache object only if
 * one comes back for it; the rest would stay forever. Once a day this lists
 * the cache prefix with its custom metadata and deletes every object past its
 * `expiresAt` or without one that parses. A run is bounded; the bucket's
 * lifecycle rule on `cache/` (docs/operations.md) is the backstop for what a
 * run leaves behind.
 *
 * Session archive segments (`sessions/<id>/…`) are never swept by age: they
 * live as long as their session, and its hub erases them (on DELETE and by
 * its retention alarm). Listing only the cache prefix keeps them out of reach.
 */
import { R2_CACHE_PREFIX, r2CacheExpiresAt } from "../shared/cache";
import { describeError } from "../shared/errors";

/**
 * Listing pages per run (up to 1,000 objects each). Each page costs two
 * subrequests, a list and a delete: 20 pages stay under the 50 subrequests
 * the Workers free plan allows one invocation.
 */
export const SWEEP_MAX_PAGES = 20;

/** What one run did. `finished` is false when it stopped at the page bound with more left to list. */
export interface SweepResult {
	readonly listed: number;
	readonly deleted: number;
	readonly finished: boolean;
}

export interface SweepOptions {
	/** Default `SWEEP_MAX_PAGES`. */
	readonly maxPages?: number;
	/** Objects per listing page; default R2's (1,000). Tests make it small to cross pages. */
	readonly pageSize?: number;
}

/**
 * Deletes the expired and malformed objects under the cache prefix, at most
 * `maxPages` listing pages' worth, and logs one `r2_sweep` line. A list or
 * delete that fails ends the run: it is logged with the counts so far and
 * rethrown, and tomorrow's run starts again from the top.
 * @example await sweepR2Cache(env.ARCHIVE, Date.now()) // { listed: 1200, deleted: 1150, finished: true }
 */
export async function sweepR2Cache(bucket: R2Bucket, now: number, options: SweepOptions = {}): Promise<SweepResult> {
	const maxPages = options.maxPages ?? SWEEP_MAX_PAGES;
	let listed = 0;
	let deleted = 0;
	let cursor: string | undefined;
	try {
		for (let page = 0; page < maxPages; page++) {
			// Without `include`, production listings carry no custom metadata, and every object would look malformed.
			const listing = await bucket.list({ prefix: R2_CACHE_PREFIX, include: ["customMetadata"], cursor, limit: options.pageSize });
			listed += listing.objects.length;
			const doomed = listing.objects.filter((object) => isSweepable(object, now)).map((object) => object.key);
			// One call deletes up to 1,000 keys, as many as a page lists. A value rewritten between the list and
			// the delete is lost with the old one: for a cache that is one extra miss, not a wrong answer.
			if (doomed.length > 0) await bucket.delete(doomed);
			deleted += doomed.length;
			if (!listing.truncated) return logged({ listed, deleted, finished: true });
			cursor = listing.cursor;
		}
		return logged({ listed, deleted, finished: false });
	} catch (error) {
		console.error(JSON.stringify({ event: "r2_sweep_failed", listed, deleted, error: describeError(error) }));
		throw error;
	}
}

/** Past its `expiresAt`, or with no `expiresAt` a reader would trust (readers refuse such objects anyway). */
function isSweepable(object: R2Object, now: number): boolean {
	const expiresAt = r2CacheExpiresAt(object.customMetadata);
	return expiresAt === undefined || expiresAt <= now;
}

function logged(result: SweepResult): SweepResult {
	console.log(JSON.stringify({ event: "r2_sweep", ...result }));
	return result;
}
