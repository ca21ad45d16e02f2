import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CACHE_KINDS, cacheKey, canonicalJson, kvExpirationTtl } from "../../../src/shared/cache";

describe("cacheKey", () => {
	it("is kind:version:hex SHA-256 of the canonical JSON of the parts", async () => {
		const parts = { question: "how do i reset my password", locale: "en" };
		const hash = createHash("sha256").update(canonicalJson(parts)).digest("hex");
		expect(await cacheKey("answer", parts)).toBe(`answer:${CACHE_KINDS.answer.version}:${hash}`);
	});

	it("ignores property order at every depth", async () => {
		expect(await cacheKey("kb-search", { q: "refund", opts: { k: 3, lang: "en" } })).toBe(
			await cacheKey("kb-search", { opts: { lang: "en", k: 3 }, q: "refund" }),
		);
	});

	it("differs by kind and by content", async () => {
		const keys = await Promise.all([
			cacheKey("answer", ["a"]),
			cacheKey("summary", ["a"]),
			cacheKey("answer", ["b"]),
			cacheKey("answer", "a"),
		]);
		expect(new Set(keys).size).toBe(4);
	});
});

describe("canonicalJson", () => {
	it("sorts keys and drops undefined properties, as JSON does", () => {
		expect(canonicalJson({ b: 1, a: [true, null], c: undefined })).toBe('{"a":[true,null],"b":1}');
	});

	it("refuses values JSON would silently alter, instead of colliding keys", () => {
		expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
		expect(() => canonicalJson({ at: new Date(0) })).toThrow(TypeError);
		expect(() => canonicalJson([undefined])).toThrow(TypeError);
		expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
	});
});

describe("kvExpirationTtl", () => {
	it("never goes under KV's 60-second minimum", () => {
		expect(kvExpirationTtl(1)).toBe(60);
		expect(kvExpirationTtl(CACHE_KINDS["kb-search"].ttlSeconds)).toBe(1800);
	});
});
