/** Opaque, URL-safe random ids (`ses_…`, `msg_…`, `turn_…`). */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A random id: the prefix, an underscore and `length` base62 characters.
 * Within the contract's `^[A-Za-z0-9_-]{1,64}$` for every prefix we use.
 * @example newId("msg") // "msg_4fQ2…"
 */
export function newId(prefix: string, length = 20): string {
	let out = `${prefix}_`;
	// 256 % 62 leaves a slight bias toward the first 8 characters; ids only need to be unguessable, not uniform.
	for (let i = 0; i < length; i++) out += ALPHABET[randomByte() % ALPHABET.length];
	return out;
}

/**
 * Bytes from the runtime's cryptographic generator, drawn a pool at a time and each used once: a
 * turn makes several ids, and a call into the runtime and a typed array for each showed in the
 * turn's profile (docs/benchmarks.md, "Tenth round").
 */
const pool = new Uint8Array(1024);
let drawn = pool.length;

function randomByte(): number {
	if (drawn === pool.length) {
		crypto.getRandomValues(pool);
		drawn = 0;
	}
	return pool[drawn++] ?? 0;
}
