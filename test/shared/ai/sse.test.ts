import { describe, expect, it } from "vitest";
import { sseData } from "../../../src/shared/ai/sse";
import { PermanentError } from "../../../src/shared/errors";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A byte stream of `head` and then `filler` repeated to `totalChars`, sent in 64 KiB reads; records how much was read. */
function brokenServer(head: string, filler: string, totalChars: number) {
	const seen = { chars: 0, cancelled: false };
	const encoder = new TextEncoder();
	let pending = head;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			while (pending.length < CHUNK && seen.chars + pending.length < totalChars) pending += filler;
			const piece = pending.slice(0, CHUNK);
			pending = pending.slice(CHUNK);
			seen.chars += piece.length;
			controller.enqueue(encoder.encode(piece));
			if (seen.chars >= totalChars) controller.close();
		},
		cancel() {
			seen.cancelled = true;
		},
	});
	return { stream, seen };
}

/** A byte stream delivering each of `reads` as one read. */
function streamOf(...reads: string[]): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(controller) {
			for (const text of reads) controller.enqueue(new TextEncoder().encode(text));
			controller.close();
		},
	});
}

async function collect(events: AsyncIterable<string>): Promise<string[]> {
	const all: string[] = [];
	for await (const data of events) all.push(data);
	return all;
}

describe("sseData", () => {
	it("yields each event's data, joining multi-line data and skipping comments", async () => {
		const events = await collect(sseData(streamOf(": hi\r\ndata: a\ndata:b\n\nevent: x\ndata: [DONE]\n\n")));
		expect(events).toEqual(["a\nb", "[DONE]"]);
	});

	it("reads a CRLF split between two reads as one line break, not two", async () => {
		const events = await collect(sseData(streamOf("data: a\r", "\ndata: b\r\n\r", "\n")));
		expect(events).toEqual(["a\nb"]);
	});

	it("refuses a line that runs past 1 MiB without a line break, and stops reading", async () => {
		const server = brokenServer("data: ", "x", 3 * MiB);
		await expect(collect(sseData(server.stream))).rejects.toSatisfy(
			(error) => error instanceof PermanentError && /line/.test(error.message),
		);
		expect(server.seen.chars).toBeLessThan(MiB + 2 * CHUNK);
		expect(server.seen.cancelled).toBe(true);
	});

	it("refuses an event whose data lines add up to more than 1 MiB before the blank line ends it", async () => {
		const server = brokenServer("", `data: ${"y".repeat(1000)}\n`, 3 * MiB);
		await expect(collect(sseData(server.stream))).rejects.toSatisfy(
			(error) => error instanceof PermanentError && /event/.test(error.message),
		);
		expect(server.seen.chars).toBeLessThan(MiB + 2 * CHUNK);
	});
});
