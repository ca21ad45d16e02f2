/**
 * What `ChatConnection` does for every client of the chat socket (CONTRACT §4):
 * resume after the last seq with jittered backoff between attempts, deliver
 * an outbox message exactly once across reconnects, drop duplicate seqs,
 * merge deltas by offset, and report frames outside the contract instead of
 * trusting or throwing on them. A fake socket and fake timers stand in for
 * the network.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backoff, ChatConnection, type ConnectionOptions, type InvalidFrame, type Message, type StreamingReply } from "../../src/sdk";
import { message, socketFactory } from "./fakes";

/** With `random` pinned to 1 each reconnect waits exactly the ceiling: 100 ms, 200 ms, 400 ms… */
const fullJitter = () => new Backoff({ baseMs: 100, capMs: 10_000, stableMs: 60_000, random: () => 1 });

let connection: ChatConnection | undefined;

function setup(options: Partial<ConnectionOptions> = {}) {
	const factory = socketFactory();
	connection = new ChatConnection({
		url: "ws://chat.test/api/sessions/s1/ws",
		token: "tok",
		openSocket: factory.open,
		backoff: fullJitter(),
		heartbeatMs: 0,
		...options,
	});
	const events = { messages: [] as Message[], replies: [] as StreamingReply[], invalid: [] as InvalidFrame[], states: [] as string[] };
	connection.on("message", (m) => events.messages.push(m));
	connection.on("reply", (r) => events.replies.push({ ...r }));
	connection.on("invalid", (i) => events.invalid.push(i));
	connection.on("state", (s) => events.states.push(s.kind));
	connection.start();
	return { chat: connection, factory, events };
}

const resumedAfter = (url: string) => new URL(url).searchParams.get("after");

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	connection?.stop();
	connection = undefined;
	vi.useRealTimers();
});

describe("ChatConnection", () => {
	it("connects with the chat.v1 and bearer subprotocols, resuming after 0", () => {
		const { factory } = setup();
		expect(factory.last().protocols).toEqual(["chat.v1", "bearer.tok"]);
		expect(resumedAfter(factory.last().url)).toBe("0");
	});

	it("reconnects with growing jittered backoff and resumes after the last seq it holds", () => {
		const { factory, events } = setup();
		const first = factory.last();
		first.open();
		first.receive({ type: "ready", sessionId: "s1", lastSeq: 2 });
		first.receive(message(1, "u1"));
		first.receive(message(2, "a1", "assistant", { replyTo: ["u1"] }));
		first.serverClose();
		expect(events.states.at(-1)).toBe("reconnecting");

		vi.advanceTimersByTime(99);
		expect(factory.sockets).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(factory.sockets).toHaveLength(2);
		expect(resumedAfter(factory.last().url)).toBe("2");

		// The second attempt fails before opening: the wait doubles.
		factory.last().serverClose();
		vi.advanceTimersByTime(199);
		expect(factory.sockets).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(factory.sockets).toHaveLength(3);
		expect(resumedAfter(factory.last().url)).toBe("2");
		factory.last().open();
		expect(connection?.stats.reconnects).toBe(1);
	});

	it("draws each reconnect delay uniformly below the backoff ceiling", () => {
		const { factory, events } = setup({ backoff: new Backoff({ baseMs: 1000, capMs: 10_000, stableMs: 60_000, random: () => 0.25 }) });
		const now = Date.now();
		factory.last().serverClose();
		expect(events.states.at(-1)).toBe("reconnecting");
		expect(connection?.state).toEqual({ kind: "reconnecting", at: now + 250 });
	});

	it("delivers a message sent while offline exactly once after the reconnect", () => {
		const { chat, factory } = setup();
		factory.last().serverClose();
		const id = chat.send("hello", "m1");
		expect(id).toBe("m1");
		expect(chat.outbox.items.map((m) => m.id)).toEqual(["m1"]);

		vi.advanceTimersByTime(100);
		const second = factory.last();
		second.open();
		second.receive({ type: "ready", sessionId: "s1", lastSeq: 0 });
		expect(second.frames).toEqual([{ type: "send", id: "m1", text: "hello" }]);
		second.receive(message(1, "m1"));
		expect(chat.outbox.items).toEqual([]);

		// Another drop and reconnect: the confirmed message is not sent again.
		second.serverClose();
		vi.advanceTimersByTime(200);
		factory.last().open();
		expect(factory.sockets.flatMap((s) => s.sentIds)).toEqual(["m1"]);
	});

	it("does not send an outbox message whose echo the transcript already holds", () => {
		const { chat, factory } = setup();
		const first = factory.last();
		first.open();
		chat.send("hello", "m1");
		expect(first.sentIds).toEqual(["m1"]);
		// Dropped before the echo: the server may or may not have the message.
		first.serverClose();
		vi.advanceTimersByTime(100);
		const second = factory.last();
		// Its echo reached the transcript before the new socket could send (a replay on another tab's socket, say).
		second.receive(message(1, "m1"));
		second.open();
		expect(second.sentIds).toEqual([]);
		expect(chat.outbox.items).toEqual([]);
	});

	it("resends an unconfirmed message with the same id after a reconnect, once", () => {
		const { chat, factory } = setup();
		const first = factory.last();
		first.open();
		chat.send("hello", "m1");
		first.serverClose();
		vi.advanceTimersByTime(100);
		const second = factory.last();
		second.open();
		second.receive({ type: "ready", sessionId: "s1", lastSeq: 0 });
		second.receive(message(1, "m1"));
		expect(factory.sockets.map((s) => s.sentIds)).toEqual([["m1"], ["m1"]]);
		expect(chat.transcript.messages.map((m) => m.id)).toEqual(["m1"]);
	});

	it("reports a message whose seq it already holds once, and counts the duplicate", () => {
		const { chat, factory, events } = setup();
		const socket = factory.last();
		socket.open();
		socket.receive(message(1, "u1"));
		socket.receive(message(1, "u1"));
		expect(events.messages.map((m) => m.seq)).toEqual([1]);
		expect(chat.stats.duplicates).toBe(1);
		expect(chat.transcript.messages).toHaveLength(1);
	});

	it("merges deltas by turn and offset, ignoring replayed text, until the final message replaces them", () => {
		const { chat, factory, events } = setup();
		const socket = factory.last();
		socket.open();
		socket.receive(message(1, "u1"));
		socket.receive({ type: "status", turn: "t1", state: "streaming", replyTo: ["u1"] });
		socket.receive({ type: "delta", turn: "t1", offset: 0, text: "Hel" });
		socket.receive({ type: "delta", turn: "t1", offset: 3, text: "lo" });
		// A late joiner's catch-up delta and an overlapping one add nothing.
		socket.receive({ type: "delta", turn: "t1", offset: 0, text: "Hello" });
		socket.receive({ type: "delta", turn: "t1", offset: 2, text: "llo, w" });
		socket.receive({ type: "delta", turn: "t2", offset: 0, text: "other turn" });
		expect(events.replies.filter((r) => r.turn === "t1").map((r) => r.text)).toEqual(["Hel", "Hello", "Hello, w"]);
		expect(chat.transcript.reply("t1")?.text).toBe("Hello, w");

		socket.receive(message(2, "a1", "assistant", { text: "Hello, world", replyTo: ["u1"] }));
		expect(chat.transcript.reply("t1")).toBeUndefined();
		expect(events.messages.at(-1)?.text).toBe("Hello, world");
	});

	it("reports frames outside the contract instead of throwing, and keeps going", () => {
		const { chat, factory, events } = setup();
		const socket = factory.last();
		socket.open();
		const frame = vi.fn();
		chat.on("frame", frame);
		expect(() => {
			socket.receive("not json {");
			socket.receive({ type: "surprise" });
			socket.receive({ ...message(1, "u1"), seq: "1" });
			socket.receive({ type: "delta", turn: "t1", offset: -1, text: "x" });
		}).not.toThrow();
		expect(events.invalid.map((i) => i.data)).toEqual([
			"not json {",
			'{"type":"surprise"}',
			JSON.stringify({ ...message(1, "u1"), seq: "1" }),
			'{"type":"delta","turn":"t1","offset":-1,"text":"x"}',
		]);
		expect(events.invalid.every((i) => i.reason.length > 0)).toBe(true);
		expect(chat.stats.invalidFrames).toBe(4);
		expect(frame).not.toHaveBeenCalled();
		expect(chat.transcript.messages).toEqual([]);

		socket.receive(message(1, "u1"));
		expect(events.messages.map((m) => m.id)).toEqual(["u1"]);
		expect(chat.state.kind).toBe("connected");
	});

	it("pings on the heartbeat and drops a socket whose pong does not come", () => {
		const { factory } = setup({ heartbeatMs: 1000, pongTimeoutMs: 500 });
		const socket = factory.last();
		socket.open();
		vi.advanceTimersByTime(1000);
		expect(socket.sent).toEqual(['{"type":"ping"}']);
		socket.receive({ type: "pong" });
		expect(connection?.stats.lastRttMs).not.toBeNull();
		vi.advanceTimersByTime(1000);
		expect(socket.sent).toHaveLength(2);
		vi.advanceTimersByTime(500);
		expect(socket.readyState).toBe(3);
		expect(connection?.state.kind).toBe("reconnecting");
	});

	it("stays closed after a drop when reconnecting is off, and `ready` rejects", async () => {
		const { factory } = setup({ reconnect: false });
		const ready = connection?.ready(1000);
		factory.last().serverClose(1011, "gone");
		await expect(ready).rejects.toThrow(/closed before ready/);
		vi.advanceTimersByTime(60_000);
		expect(factory.sockets).toHaveLength(1);
		expect(connection?.state.kind).toBe("closed");
	});

	it("resolves `ready` with the ready frame", async () => {
		const { factory } = setup();
		const ready = connection?.ready();
		factory.last().open();
		factory.last().receive({ type: "ready", sessionId: "s1", lastSeq: 7 });
		await expect(ready).resolves.toEqual({ sessionId: "s1", lastSeq: 7 });
	});
});
