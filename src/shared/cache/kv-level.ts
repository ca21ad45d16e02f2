/**
 * L2: Workers KV. Values are the codec's bytes; `expiresAt` rides in the
 * key's metadata, because KV's own expiry cannot go under 60 seconds and
 * cannot follow an injected clock. KV failures surface as thrown errors
 * here; the tiered cache turns them into misses.
 */
import { z } from "zod";
import { kvExpirationTtl } from "./kinds";

/** Stored bytes and when they stop being fresh. */
export interface StoredValue {
	readonly bytes: Uint8Array<ArrayBuffer>;
	/** Epoch milliseconds. */
	readonly expiresAt: number;
}

/** A level's answer to a read: nothing, a fresh value, or a value past its `expiresAt`. */
export type LevelRead = { readonly state: "absent" } | { readonly state: "expired" } | ({ readonly state: "fresh" } & StoredValue);

// KV metadata is whatever was written under the key, possibly by an older deploy: parse, never cast.
const kvMetadataSchema = z.object({ expiresAt: z.number().int().nonnegative() });
export type KvMetadata = z.infer<typeof kvMetadataSchema>;

/**
 * Reads a key. Throws when KV fails or the metadata is malformed.
 * @example await readKv(env.CACHE, key, Date.now()) // { state: "fresh", bytes, expiresAt }
 */
export async function readKv(namespace: KVNamespace, key: string, now: number): Promise<LevelRead> {
	const { value, metadata } = await namespace.getWithMetadata(key, "arrayBuffer");
	if (value === null) return { state: "absent" };
	const { expiresAt } = kvMetadataSchema.parse(metadata);
	if (expiresAt <= now) return { state: "expired" };
	return { state: "fresh", bytes: new Uint8Array(value), expiresAt };
}

/**
 * Writes a value that stays fresh until `expiresAt`. KV expires it on its own
 * no sooner than 60 s from now; readers honour `expiresAt` before that.
 * @example await writeKv(env.CACHE, key, { bytes, expiresAt: now + 3_600_000 }, now)
 */
export async function writeKv(namespace: KVNamespace, key: string, stored: StoredValue, now: number): Promise<void> {
	await namespace.put(key, stored.bytes, {
		expirationTtl: kvExpirationTtl((stored.expiresAt - now) / 1000),
		metadata: { expiresAt: stored.expiresAt } satisfies KvMetadata,
	});
}
