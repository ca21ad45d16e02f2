/**
 * Reads a JSON request body under the contract's rules: 415 unless it is
 * JSON, 413 over 32 KiB (checked while reading, not only from
 * Content-Length), 400 when malformed or invalid, with each field listed.
 */
import type { z } from "zod";
import { HttpProblem, validationProblem } from "../shared/problem";

export const MAX_BODY_BYTES = 32 * 1024;

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * @example const body = await readJson(c.req.raw, postMessageSchema);
 */
export async function readJson<S extends z.ZodType>(
	request: Request,
	schema: S,
	options: { optional?: boolean } = {},
): Promise<z.output<S>> {
	const text = await readBodyText(request);
	if (text.trim() === "" && options.optional) return parseWith(schema, {});
	if (!JSON_TYPE.test(request.headers.get("Content-Type") ?? "")) {
		throw new HttpProblem(415, "Send the body as JSON with Content-Type: application/json.");
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new HttpProblem(400, "The request body is not valid JSON.");
	}
	return parseWith(schema, json);
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw validationProblem(parsed.error);
	return parsed.data;
}

async function readBodyText(request: Request): Promise<string> {
	const length = request.headers.get("Content-Length");
	const declared = Number(length ?? "0");
	if (declared > MAX_BODY_BYTES) throw tooLarge();
	if (!request.body) return "";
	// A declared length bounds the body (HTTP framing), so it is read whole: a stream reader cost the
	// accept path more CPU than the rest of parsing (bench/overhead.ts). Chunked bodies are counted as they come.
	if (length !== null && /^\d+$/.test(length)) return decodeUtf8(new Uint8Array(await request.arrayBuffer()));
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > MAX_BODY_BYTES) {
			await reader.cancel();
			throw tooLarge();
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return decodeUtf8(bytes);
}

/** One decoder for every body: decoding whole buffers (never `stream: true`) leaves it no state between calls. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Uint8Array): string {
	if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
	try {
		return UTF8.decode(bytes);
	} catch {
		throw new HttpProblem(400, "The request body is not valid UTF-8.");
	}
}

function tooLarge(): HttpProblem {
	return new HttpProblem(413, `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
}

/** Parses a query string with a schema; 400 with the failing parameters. */
export function readQuery<S extends z.ZodType>(url: string, schema: S): z.output<S> {
	const params = Object.fromEntries(new URL(url).searchParams);
	const parsed = schema.safeParse(params);
	if (!parsed.success) throw validationProblem(parsed.error, "query string");
	return parsed.data;
}
