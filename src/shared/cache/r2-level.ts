/**
 * L3: R2, for values too large for KV and for kinds archived beyond it. R2
 * has no per-object TTL (lifecycle rules count in days), so `expiresAt` is
 * kept in the object's custom metadata and checked on every read; a daily
 * cron sweeps what no reader came back for (src/consumers/sweep-r2.ts). R2
 * failures surface as thrown errors here; the tiered cache turns them into
 * misses.
 */
import { z } from "zod";
import type { LevelRead, StoredValue } from "./kv-level";

/** Cache objects share the archive bucket with other data, so they live under their own prefix. */
export const R2_CACHE_PREFIX = "cache/";

/**
 * The R2 object key for a cache key.
 * @example r2ObjectKey("summary:1:ab12") // "cache/summary:1:ab12"
 */
export function r2ObjectKey(key: string): string {
	return `${R2_CACHE_PREFIX}${key}`;
}

// Custom metadata is strings only, and anything could have written the object: parse, never cast.
const r2MetadataSchema = z.object({
	expiresAt: z
		.string()
		.regex(/^\d{1,16}$/)
		.transform(Number),
});

/**
 * The `expiresAt` in a cache object's custom metadata, or `undefined` when it
 * is missing or malformed. The daily sweep uses it on listed objects, so a
 * read and the sweep can never disagree about what has expired.
 * @example r2CacheExpiresAt({ expiresAt: "1800000000000" }) // 1800000000000
 * @example r2CacheExpiresAt({ expiresAt: "soon" }) // undefined
 */
export function r2CacheExpiresAt(customMetadata: Record<string, string> | undefined): number | undefined {
	const metadata = r2MetadataSchema.safeParse(customMetadata ?? {});
	return metadata.success ? metadata.data.expiresAt : undefined;
}

/**
 * Reads a key. Throws when R2 fails or the metadata is malformed.
 * @example await readR2(env.ARCHIVE, key, Date.now()) // { state: "expired" }
 */
export async function readR2(bucket: R2Bucket, key: string, now: number): Promise<LevelRead> {
	const object = await bucket.get(r2ObjectKey(key));
	if (object === null) return { state: "absent" };
	const metadata = r2MetadataSchema.safeParse(object.customMetadata ?? {});
	if (!metadata.success || metadata.data.expiresAt <= now) {
		// Drain the unread body rather than leave the stream open. Not cancel(): local workerd logs every
		// cancelled R2 body as a "reader canceled" exception, and this happens once per object (it is deleted next).
		await object.arrayBuffer();
		if (!metadata.success) throw new Error("R2 cache object has malformed metadata", { cause: metadata.error });
		return { state: "expired" };
	}
	return { state: "fresh", bytes: new Uint8Array(await object.arrayBuffer()), expiresAt: metadata.data.expiresAt };
}

/**
 * Writes a value with its `expiresAt` in custom metadata.
 * @example await writeR2(env.ARCHIVE, key, { bytes, expiresAt: now + 7_200_000 })
 */
export async function writeR2(bucket: R2Bucket, key: string, stored: StoredValue): Promise<void> {
	await bucket.put(r2ObjectKey(key), stored.bytes, { customMetadata: { expiresAt: String(stored.expiresAt) } });
}

/**
 * Deletes a key's object; deleting a missing object succeeds.
 * @example await deleteR2(env.ARCHIVE, key)
 */
export async function deleteR2(bucket: R2Bucket, key: string): Promise<void> {
	await bucket.delete(r2ObjectKey(key));
}
