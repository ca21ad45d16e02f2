/**
 * Server-sent events, read from a byte stream: yields each event's `data`
 * (multi-line data joined with "\n"). Both Workers AI and OpenAI-compatible
 * servers stream completions this way.
 */

/**
 * @example for await (const data of sseData(response.body)) if (data === "[DONE]") break;
 */
export async function* sseData(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	let buffer = "";
	let data: string[] = [];
	const reader = stream.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
			const lines = buffer.split(/\r\n|\r|\n/);
			// The last piece may be a partial line; keep it unless the stream ended.
			buffer = done ? "" : (lines.pop() ?? "");
			for (const line of lines) {
				if (line === "") {
					if (data.length > 0) yield data.join("\n");
					data = [];
				} else if (line.startsWith("data:")) {
					data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
				}
				// Comments (":"), "event:", "id:" and "retry:" lines carry nothing we use.
			}
			if (done) break;
		}
		if (data.length > 0) yield data.join("\n");
	} finally {
		// A consumer that stops early (reply cap, abort) must not leave the upstream open.
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
