/**
 * L2: Workers KV. Values are the codec's bytes; `expiresAt` rides in the
 * key's metadata, because KV's own expiry cannot go under 60 seconds and
 * cannot follow an injected clock. A value too big for KV leaves a pointer
 * here instead (no bytes, `r2: true`), so a reader knows when R2 is worth a
 * read. KV failures surface as thrown errors here; the tiered cache turns
 * them into misses.
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

/** KV's answer: a level's, or a fresh pointer saying the value lives in R2. */
export type KvRead = LevelRead | { readonly state: "in-r2" };

// KV metadata is whatever was written under the key, possibly by an older deploy: parse, never cast.
// `r2` is absent on values (and on everything older deploys wrote), `true` on pointers.
const kvMetadataSchema = z.object({ expiresAt: z.number().int().nonnegative(), r2: z.literal(true).optional() });
export type KvMetadata = z.infer<typeof kvMetadataSchema>;

/**
 * Reads a key. Throws when KV fails or the metadata is malformed.
 * @example await readKv(env.CACHE, key, Date.now()) // { state: "fresh", bytes, expiresAt } or { state: "in-r2" }
 */
export async function readKv(namespace: KVNamespace, key: string, now: number): Promise<KvRead> {
	const { value, metadata } = await namespace.getWithMetadata(key, "arrayBuffer");
	if (value === null) return { state: "absent" };
	const { expiresAt, r2 } = kvMetadataSchema.parse(metadata);
	if (expiresAt <= now) return { state: "expired" };
	if (r2) return { state: "in-r2" };
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

/**
 * Writes a pointer for a value stored in R2 only: no bytes, the value's
 * `expiresAt`, `r2: true`. It also replaces any older, smaller copy under the
 * key, which readers would otherwise find first.
 * @example await writeKvPointer(env.CACHE, key, now + 3_600_000, now)
 */
export async function writeKvPointer(namespace: KVNamespace, key: string, expiresAt: number, now: number): Promise<void> {
	await namespace.put(key, new Uint8Array(0), {
		expirationTtl: kvExpirationTtl((expiresAt - now) / 1000),
		metadata: { expiresAt, r2: true } satisfies KvMetadata,
	});
}
