/**
 * The project's hashes: FNV-1a for spreading names over shards, SHA-256
 * where two inputs must never share a result (cache keys, question rows,
 * derived ids), and the HMAC-SHA-256 keys tokens are signed with.
 */

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

/**
 * SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex characters: collision-safe, so a key built
 * from it stands for its input alone.
 * @example await sha256Hex("abc") // "ba7816bf…15ad"
 */
export async function sha256Hex(text: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
	let hex = "";
	for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
	return hex;
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC-SHA-256 key for `secret`, imported once per isolate (session tokens and user tokens
 * check one on every request). A handful of secrets at most: the map stays tiny.
 * @example await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, data)
 */
export function hmacKey(secret: string): Promise<CryptoKey> {
	let key = hmacKeys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
		hmacKeys.set(secret, key);
	}
	return key;
}
