/**
 * Server-sent events, read from a byte stream: yields each event's `data`
 * (multi-line data joined with "\n"). Both Workers AI and OpenAI-compatible
 * servers stream completions this way.
 */
import { PermanentError } from "../errors";

/**
 * The longest line, and the most data one event may carry, in characters (1 MiB of ASCII).
 * A completion chunk is a few hundred bytes, so a server past either limit is not
 * streaming completions: it is broken or not speaking SSE at all (say, a proxy's
 * endless body). Without a limit it would fill the isolate's 128 MB of memory.
 */
const MAX_LINE_CHARS = 1024 * 1024;
const MAX_EVENT_CHARS = 1024 * 1024;

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Throws `PermanentError` when the server breaks the limits above: resending the
 * same request to the same server gets the same answer, so a retry only spends an attempt.
 * `signal` cancels the stream at once and makes the generator throw its reason.
 * @example for await (const data of sseData(response.body)) if (data === "[DONE]") break;
 */
export async function* sseData(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	let buffer = "";
	let data: string[] = [];
	let dataChars = 0;
	// A read that ends in "\r" may be half of a "\r\n" whose "\n" starts the next read.
	let afterCr = false;
	const reader = stream.getReader();
	// An abort cancels the upstream at once, even in the middle of a read that may take seconds
	// (a slow model between two tokens); the pending read then ends and so does this generator.
	const stop = () => void reader.cancel(signal?.reason).catch(() => undefined);
	signal?.addEventListener("abort", stop, { once: true });
	try {
		for (;;) {
			signal?.throwIfAborted();
			const { done, value } = await reader.read();
			signal?.throwIfAborted();
			let text = done ? decoder.decode() : decoder.decode(value, { stream: true });
			if (afterCr && text.startsWith("\n")) text = text.slice(1);
			if (text) afterCr = text.endsWith("\r");
			if (!done && !LINE_BREAK.test(text)) {
				// Still inside one line: append without re-splitting, so a long line costs linear time.
				buffer += text;
				if (buffer.length > MAX_LINE_CHARS) {
					throw new PermanentError(`SSE line longer than ${MAX_LINE_CHARS} characters without a line break`);
				}
				continue;
			}
			const lines = (buffer + text).split(LINE_BREAK);
			// The last piece may be a partial line; keep it unless the stream ended.
			buffer = done ? "" : (lines.pop() ?? "");
			if (buffer.length > MAX_LINE_CHARS) {
				throw new PermanentError(`SSE line longer than ${MAX_LINE_CHARS} characters without a line break`);
			}
			for (const line of lines) {
				if (line === "") {
					if (data.length > 0) yield data.join("\n");
					data = [];
					dataChars = 0;
				} else if (line.startsWith("data:")) {
					const piece = line.slice(line.startsWith("data: ") ? 6 : 5);
					dataChars += piece.length + 1;
					if (dataChars > MAX_EVENT_CHARS) throw new PermanentError(`SSE event with more than ${MAX_EVENT_CHARS} characters of data`);
					data.push(piece);
				}
				// Comments (":"), "event:", "id:" and "retry:" lines carry nothing we use.
			}
			if (done) break;
		}
		if (data.length > 0) yield data.join("\n");
	} finally {
		signal?.removeEventListener("abort", stop);
		// A consumer that stops early (reply cap, abort, a refused line) must not leave the upstream open.
		await reader.cancel().catch(() => undefined);
	}
}

/** An event's JSON payload, or undefined when it is not JSON; callers validate it with zod. */
export function eventJson(data: string): unknown {
	try {
		return JSON.parse(data);
	} catch {
		return undefined;
	}
}
