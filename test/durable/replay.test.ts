import { describe, expect, it } from "vitest";
import { REPLAY_PAGE, replayPages } from "../../src/durable/session-hub/replay";
import type { Message } from "../../src/shared/schemas/message";

function transcript(length: number): Message[] {
	return Array.from({ length }, (_, i) => ({
		seq: i + 1,
		id: `m${i + 1}`,
		role: "user",
		text: "x",
		createdAt: new Date(0).toISOString(),
		status: "complete",
	}));
}

/** A reader over an in-memory transcript that records every limit it was asked for. */
function recordingReader(messages: Message[]) {
	const limits: number[] = [];
	const read = (after: number, limit: number) => {
		limits.push(limit);
		return messages.filter((m) => m.seq > after).slice(0, limit);
	};
	return { read, limits };
}

describe("replayPages", () => {
	it(`reads a long replay ${REPLAY_PAGE} messages at a time, complete and in order`, () => {
		const { read, limits } = recordingReader(transcript(1050));
		const pages = [...replayPages(read, 0)];
		expect(pages.flat().map((m) => m.seq)).toEqual(Array.from({ length: 1050 }, (_, i) => i + 1));
		expect(Math.max(...pages.map((p) => p.length))).toBe(REPLAY_PAGE);
		expect(limits.every((limit) => limit <= REPLAY_PAGE)).toBe(true);
	});

	it("starts after the given seq and stops at an exact page boundary", () => {
		const { read } = recordingReader(transcript(100 + 2 * REPLAY_PAGE));
		expect([...replayPages(read, 100)].map((p) => p.length)).toEqual([REPLAY_PAGE, REPLAY_PAGE]);
		expect([...replayPages(read, 100 + 2 * REPLAY_PAGE)]).toEqual([]);
	});
});
