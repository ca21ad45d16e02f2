/**
 * Archive segments: a run of consecutive messages of one session, stored in
 * R2 as gzip-compressed JSON Lines under `sessions/<id>/<from>-<to>.jsonl.gz`.
 * The key is a function of the range alone, so writing a segment again after
 * a crash overwrites it instead of adding a second copy; seqs are zero-padded
 * so that listing a session's prefix returns its segments in order.
 */
import { type Message, messageSchema } from "../../../shared/schemas/message";

/** Messages per segment: the most the hub ever holds in memory while archiving or replaying. */
export const SEGMENT_SIZE = 50;

const SEQ_DIGITS = 12;

/** Everything archived for a session lives under this prefix (erasing lists it). */
export function sessionArchivePrefix(sessionId: string): string {
	return `sessions/${sessionId}/`;
}

/**
 * @example segmentKey("ses_1", 1, 50) // "sessions/ses_1/000000000001-000000000050.jsonl.gz"
 */
export function segmentKey(sessionId: string, fromSeq: number, toSeq: number): string {
	const pad = (seq: number) => String(seq).padStart(SEQ_DIGITS, "0");
	return `${sessionArchivePrefix(sessionId)}${pad(fromSeq)}-${pad(toSeq)}.jsonl.gz`;
}

/** One message per line, gzip-compressed. */
export async function encodeSegment(messages: Message[]): Promise<Uint8Array> {
	const jsonl = messages.map((m) => `${JSON.stringify(m)}\n`).join("");
	const compressed = new Blob([jsonl]).stream().pipeThrough(new CompressionStream("gzip"));
	return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/**
 * The messages of a segment, each parsed like any other input: an archive is
 * read back long after it was written, possibly by newer code.
 */
export async function decodeSegment(body: ReadableStream<Uint8Array>): Promise<Message[]> {
	const text = await new Response(body.pipeThrough(new DecompressionStream("gzip"))).text();
	return text
		.split("\n")
		.filter((line) => line.length > 0)
		.map((line) => messageSchema.parse(JSON.parse(line)));
}
