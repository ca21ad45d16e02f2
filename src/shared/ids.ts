/** Opaque, URL-safe random ids (`ses_…`, `msg_…`, `turn_…`). */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A random id: the prefix, an underscore and `length` base62 characters.
 * Within the contract's `^[A-Za-z0-9_-]{1,64}$` for every prefix we use.
 * @example newId("msg") // "msg_4fQ2…"
 */
export function newId(prefix: string, length = 20): string {
	const bytes = crypto.getRandomValues(new Uint8Array(length));
	let out = `${prefix}_`;
	// 256 % 62 leaves a slight bias toward the first 8 characters; ids only need to be unguessable, not uniform.
	for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
	return out;
}
