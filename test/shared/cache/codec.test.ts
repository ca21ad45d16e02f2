import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CODEC_HEADER, COMPRESS_OVER_BYTES, decodeValue, encodeValue, TieredCache, utf8ByteLength } from "../../../src/shared/cache";
import { testKey } from "./support";

// 1 KiB ± 1 in ASCII, and in 2-, 3- and 4-byte characters: the threshold is UTF-8 bytes, not string length.
const CASES = [
	{ name: "1023 ASCII bytes", value: "a".repeat(1023), compressed: false },
	{ name: "1024 ASCII bytes", value: "a".repeat(1024), compressed: false },
	{ name: "1025 ASCII bytes", value: "a".repeat(1025), compressed: true },
	{ name: "1024 bytes of é", value: "é".repeat(512), compressed: false },
	{ name: "1025 bytes of é and a", value: `${"é".repeat(512)}a`, compressed: true },
	{ name: "1026 bytes in 513 characters of é", value: "é".repeat(513), compressed: true },
	{ name: "1024 bytes of € and a", value: `${"€".repeat(341)}a`, compressed: false },
	{ name: "1025 bytes of emoji and a", value: `${"😀".repeat(256)}a`, compressed: true },
] as const;

describe("codec", () => {
	it.each(CASES)("stores $name as expected and reads it back through real KV", async ({ value, compressed }) => {
		expect(utf8ByteLength(value) > COMPRESS_OVER_BYTES).toBe(compressed);
		const key = testKey("answer", "codec");
		await new TieredCache({ memory: false, kv: env.CACHE }).set(key, "answer", value);

		const raw = new Uint8Array((await env.CACHE.get(key, "arrayBuffer")) ?? new ArrayBuffer(0));
		expect(raw[0]).toBe(compressed ? CODEC_HEADER.gzip : CODEC_HEADER.plain);
		if (compressed) expect(raw.byteLength).toBeLessThan(utf8ByteLength(value));
		else expect(new TextDecoder().decode(raw.subarray(1))).toBe(value);

		expect(await new TieredCache({ memory: false, kv: env.CACHE }).get(key, "answer")).toBe(value);
	});

	it("round-trips the empty string and a leading byte-order mark", async () => {
		for (const value of ["", "\uFEFFstarts with a BOM", `\uFEFF${"x".repeat(2000)}`]) {
			expect(await decodeValue(await encodeValue(value))).toBe(value);
		}
	});

	it("refuses an unknown header rather than misreading the bytes", async () => {
		await expect(decodeValue(new Uint8Array([0x7f, 0x61]))).rejects.toThrow(/header/);
	});
});
