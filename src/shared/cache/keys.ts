/**
 * Cache keys: `kind:version:hash`, where the hash is the hex SHA-256 of the
 * canonical JSON of the key's parts. Content-aware (equal parts give equal
 * keys, whatever the property order) and versioned (bumping a kind's version
 * in the kinds table orphans its old entries instead of misreading them).
 */
import { sha256Hex } from "../hash";
import { CACHE_KINDS, type CacheKind } from "./kinds";

type JsonScalar = string | number | boolean | null;

/**
 * `T` itself when every value in it is JSON, `never` where it is not (a
 * function, a bigint, a Date's methods). A mapped type rather than an
 * index-signature type, so interfaces pass too. Optional properties may be
 * left out; like JSON, an `undefined` property counts as absent.
 */
export type KeyParts<T> = T extends JsonScalar
	? T
	: T extends (...args: never[]) => unknown
		? never
		: T extends object
			? { readonly [K in keyof T]: KeyParts<T[K]> }
			: never;

/**
 * The key under which a kind caches the value derived from `parts`.
 * @example await cacheKey("answer", { question: normalizeQuestion(text) }) // "answer:2:9f86d0…"
 */
export async function cacheKey<T>(kind: CacheKind, parts: T & KeyParts<T>): Promise<string> {
	return `${kind}:${CACHE_KINDS[kind].version}:${await sha256Hex(canonicalJson(parts))}`;
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal
 * values always serialize to equal text. Checked at run time too, for
 * untyped callers: anything JSON would silently alter (NaN, a Date, a Map,
 * `undefined` in an array) throws instead of colliding with another key.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
	if (typeof value === "number") {
		// JSON.stringify turns NaN and Infinity into "null", which would give them null's key.
		if (!Number.isFinite(value)) throw new TypeError(`cache key parts must be finite numbers, got ${value}`);
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) {
		return `[${value.map((item: unknown) => (item === undefined ? unsupported("undefined in an array") : canonicalJson(item))).join(",")}]`;
	}
	if (typeof value === "object" && isPlainObject(value)) {
		const names = Object.keys(value)
			.filter((name) => Reflect.get(value, name) !== undefined)
			.sort();
		return `{${names.map((name) => `${JSON.stringify(name)}:${canonicalJson(Reflect.get(value, name))}`).join(",")}}`;
	}
	return unsupported(typeof value === "object" ? "a non-plain object" : typeof value);
}

// A Date or a Map would serialize as a string or {}, merging every instance into one key.
function isPlainObject(value: object): boolean {
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function unsupported(what: string): never {
	throw new TypeError(`cache key parts must be JSON, got ${what}`);
}
