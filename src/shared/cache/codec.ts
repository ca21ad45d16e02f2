/**
 * The bytes the cache stores in KV and R2: one header byte saying how the rest
 * is encoded, then the value's UTF-8, gzip-compressed when it is over 1 KiB.
 * The header travels with the bytes, so KV and R2 hold the same payload and
 * decoding never depends on metadata surviving.
 */

/** Values whose UTF-8 is longer than this are compressed; up to it they are stored plain. */
export const COMPRESS_OVER_BYTES = 1024;

/**
 * The header byte. Unknown headers are refused, so a future encoding can never
 * be misread as text.
 */
export const CODEC_HEADER = { plain: 0x00, gzip: 0x01 } as const;
export type CodecHeader = (typeof CODEC_HEADER)[keyof typeof CODEC_HEADER];

/**
 * A value as stored: header byte plus payload.
 * @example (await encodeValue("hi"))[0] === CODEC_HEADER.plain // true
 */
export async function encodeValue(value: string): Promise<Uint8Array<ArrayBuffer>> {
	const utf8 = new TextEncoder().encode(value);
	// Small values gain little from gzip's ~20-byte framing and cost a stream setup to read.
	if (utf8.byteLength <= COMPRESS_OVER_BYTES) return withHeader(CODEC_HEADER.plain, utf8);
	return withHeader(CODEC_HEADER.gzip, await transform(utf8, new CompressionStream("gzip")));
}

/**
 * The value back from stored bytes. Throws on an unknown header or broken
 * gzip; callers treat that as a miss.
 * @example await decodeValue(await encodeValue("é".repeat(600))) // "éé…"
 */
export async function decodeValue(stored: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
	const bytes = stored instanceof Uint8Array ? stored : new Uint8Array(stored);
	const header = bytes[0];
	const payload = bytes.subarray(1);
	// fatal: bytes that are not UTF-8 are corruption, not text with replacement characters.
	// ignoreBOM: a value that starts with U+FEFF must come back with it.
	const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
	if (header === CODEC_HEADER.plain) return decoder.decode(payload);
	if (header === CODEC_HEADER.gzip) return decoder.decode(await transform(payload, new DecompressionStream("gzip")));
	throw new Error(`unknown cache codec header ${header ?? "(empty value)"}`);
}

/**
 * The UTF-8 length of a string without allocating its bytes: the unit of the
 * compression threshold and of the memory level's byte budget.
 * @example utf8ByteLength("é") // 2
 */
export function utf8ByteLength(value: string): number {
	let bytes = 0;
	for (const char of value) {
		const code = char.codePointAt(0) ?? 0;
		bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
	}
	return bytes;
}

function withHeader(header: CodecHeader, payload: Uint8Array): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(payload.byteLength + 1);
	out[0] = header;
	out.set(payload, 1);
	return out;
}

async function transform(input: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
	const output = new Blob([input]).stream().pipeThrough(stream);
	return new Uint8Array(await new Response(output).arrayBuffer());
}
