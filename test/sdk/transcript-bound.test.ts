/**
 * Issue 17: the transcript holds the newest `limit` messages plus pinned
 * ones, keeps them in seq order without re-sorting, and still knows what
 * it let go (a replay of it is a duplicate; a reconnect resumes after it).
 */
import { describe, expect, it } from "vitest";
import { Transcript } from "../../src/sdk";
import { TRANSCRIPT_LIMIT } from "../../src/sdk/transcript";
import type { Message } from "../../src/shared/schemas/message";

function message(seq: number, role: Message["role"] = "user", replyTo?: string[]): Message {
	return {
		seq,
		id: `m${seq}`,
		role,
		text: `text ${seq}`,
		createdAt: "2026-01-01T00:00:00.000Z",
		status: "complete",
		...(replyTo ? { replyTo } : {}),
	};
}

/** 1..n in a fixed shuffled order (a seeded LCG, so a failure replays). */
function shuffled(n: number): number[] {
	const seqs = Array.from({ length: n }, (_, i) => i + 1);
	let seed = 17;
	for (let i = n - 1; i > 0; i--) {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		const j = seed % (i + 1);
		[seqs[i], seqs[j]] = [seqs[j] ?? 0, seqs[i] ?? 0];
	}
	return seqs;
}

const seqs = (t: Transcript) => t.messages.map((m) => m.seq);

describe("Transcript: bounded", () => {
	it("holds at most the default limit of the newest messages when fed 10,000", () => {
		const t = new Transcript();
		for (let seq = 1; seq <= 10_000; seq++) t.addMessage(message(seq));
		expect(t.messages).toHaveLength(TRANSCRIPT_LIMIT);
		expect(t.messages[0]?.seq).toBe(10_000 - TRANSCRIPT_LIMIT + 1);
		expect(t.lastSeq).toBe(10_000);
	});

	it("keeps seq order and the newest `limit` when 500 messages arrive shuffled", () => {
		const t = new Transcript({ limit: 100 });
		for (const seq of shuffled(500)) t.addMessage(message(seq));
		expect(seqs(t)).toEqual(Array.from({ length: 100 }, (_, i) => 401 + i));
		expect(t.lastSeq).toBe(500);
	});

	it("treats a replay of a message it let go as a duplicate", () => {
		const t = new Transcript({ limit: 2 });
		for (const seq of [1, 2, 3, 4, 5]) t.addMessage(message(seq));
		expect(t.addMessage(message(1))).toBe(false);
		expect(seqs(t)).toEqual([4, 5]);
		expect(t.has("m1")).toBe(false);
	});

	it("holds a pinned message beyond the limit until it is unpinned", () => {
		const t = new Transcript({ limit: 3 });
		for (const seq of [1, 2, 3]) t.addMessage(message(seq));
		expect(t.pin(1)).toBe(true);
		for (const seq of [4, 5]) t.addMessage(message(seq));
		expect(seqs(t)).toEqual([1, 3, 4, 5]);
		t.unpin(1);
		expect(seqs(t)).toEqual([3, 4, 5]);
		expect(t.pin(1)).toBe(false);
	});

	it("stops waiting for a gap once every message above it has been let go past it", () => {
		const t = new Transcript({ limit: 3 });
		for (const seq of [1, 3, 4, 5]) t.addMessage(message(seq));
		expect(t.lastSeq).toBe(1);
		t.addMessage(message(6));
		expect(t.lastSeq).toBe(6);
		expect(t.addMessage(message(2))).toBe(false);
	});

	it("merges deltas into the streaming reply while messages around it stay in seq order", () => {
		const t = new Transcript({ limit: 3 });
		t.addMessage(message(2));
		t.setStatus("t1", "streaming", ["m2"]);
		t.applyDelta("t1", 0, "Hel");
		t.addMessage(message(1));
		t.applyDelta("t1", 3, "lo");
		t.addMessage(message(3));
		expect(t.streaming.map((r) => [r.turn, r.text])).toEqual([["t1", "Hello"]]);
		expect(seqs(t)).toEqual([1, 2, 3]);
		t.addMessage(message(4, "assistant", ["m2"]));
		expect(t.streaming).toEqual([]);
		expect(seqs(t)).toEqual([2, 3, 4]);
	});

	it("refuses a limit that is not a positive integer", () => {
		expect(() => new Transcript({ limit: 0 })).toThrow(RangeError);
	});
});
