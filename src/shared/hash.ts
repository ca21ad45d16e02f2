/**
 * FNV-1a (32-bit): a fast, stable, non-cryptographic hash for spreading
 * names over shards and for short fingerprints. Never for anything secret.
 * @example fnv1a("ses_abc") % 16 // the same shard on every isolate, forever
 */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
	let hash = seed;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return hash;
}
