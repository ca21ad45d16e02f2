import { describe, expect, it } from "vitest";
import { Transcript } from "../../src/sdk";
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

describe("Transcript: seq order and dedupe", () => {
	it("keeps messages ordered by seq whatever the arrival order", () => {
		const t = new Transcript();
		for (const seq of [3, 1, 2]) t.addMessage(message(seq));
		expect(t.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
	});

	it("shows a replayed message once", () => {
		const t = new Transcript();
		expect(t.addMessage(message(1))).toBe(true);
		expect(t.addMessage(message(1))).toBe(false);
		expect(t.messages).toHaveLength(1);
	});

	it("resumes after the last seq with no gap below it", () => {
		const t = new Transcript();
		for (const seq of [1, 2, 4]) t.addMessage(message(seq));
		expect(t.lastSeq).toBe(2);
	});
});

describe("Transcript: deltas", () => {
	it("appends deltas by offset", () => {
		const t = new Transcript();
		t.applyDelta("t1", 0, "Hello");
		t.applyDelta("t1", 5, ", world");
		expect(t.streaming[0]?.text).toBe("Hello, world");
	});

	it("never duplicates text from a replayed or overlapping delta", () => {
		const t = new Transcript();
		t.applyDelta("t1", 0, "Hello");
		expect(t.applyDelta("t1", 0, "Hello")).toBe(false);
		t.applyDelta("t1", 0, "Hello, wor");
		t.applyDelta("t1", 5, ", world");
		expect(t.streaming[0]?.text).toBe("Hello, world");
	});

	it("ignores a delta past a gap until a catch-up delta arrives", () => {
		const t = new Transcript();
		t.applyDelta("t1", 0, "Hi");
		expect(t.applyDelta("t1", 10, "later")).toBe(false);
		t.applyDelta("t1", 0, "Hi there, some more later");
		expect(t.streaming[0]?.text).toBe("Hi there, some more later");
	});

	it("replaces the streamed text with the final message", () => {
		const t = new Transcript();
		t.addMessage(message(1));
		t.setStatus("t1", "streaming", ["m1"]);
		t.applyDelta("t1", 0, "partial");
		t.addMessage(message(2, "assistant", ["m1"]));
		expect(t.streaming).toEqual([]);
		expect(t.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
	});

	it("keeps a turn given back to the queue under its id, without its partial text", () => {
		const t = new Transcript();
		t.setStatus("t1", "thinking", ["m1"]);
		t.applyDelta("t1", 0, "partial");
		t.setStatus("t1", "queued", ["m1"]);
		expect(t.streaming).toEqual([{ turn: "t1", state: "queued", text: "", replyTo: ["m1"] }]);
		t.setStatus("t1", "thinking", ["m1"]);
		t.applyDelta("t1", 0, "again");
		expect(t.streaming).toEqual([{ turn: "t1", state: "streaming", text: "again", replyTo: ["m1"] }]);
	});

	it("drops a turn merged into another: one whose every message the other's status lists", () => {
		const t = new Transcript();
		t.setStatus("t1", "queued", ["m1"]);
		t.setStatus("t2", "queued", ["m2"]);
		t.setStatus("t1", "thinking", ["m1", "m2"]);
		expect(t.streaming.map((s) => [s.turn, s.state])).toEqual([["t1", "thinking"]]);
		// The merged turn's own end, later on the wire, changes nothing.
		t.setStatus("t1", "done", ["m1", "m2"]);
		t.setStatus("t2", "done", ["m2"]);
		expect(t.streaming).toEqual([]);
	});

	it("ignores a stale status for messages already answered", () => {
		const t = new Transcript();
		t.addMessage(message(1));
		t.addMessage(message(2, "assistant", ["m1"]));
		t.setStatus("m1", "queued", ["m1"]);
		expect(t.streaming).toEqual([]);
	});
});

describe("Transcript: summary", () => {
	it("keeps the newest summary whatever order the frames arrive in", () => {
		const transcript = new Transcript();
		expect(transcript.summary).toBeNull();
		transcript.setSummary("through 40", 40);
		transcript.setSummary("through 20, late", 20);
		expect(transcript.summary).toEqual({ text: "through 40", throughSeq: 40 });
		transcript.setSummary("through 60", 60);
		expect(transcript.summary).toEqual({ text: "through 60", throughSeq: 60 });
	});
});
