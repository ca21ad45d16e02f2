/**
 * Issue 17: a connection open for days must hold only the timers still
 * pending, not every heartbeat it ever ran. Fake timers count what is
 * pending; a spy on `clearTimeout` shows what the connection still holds,
 * since closing clears every timer it kept.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backoff, ChatConnection } from "../../src/sdk";
import { socketFactory } from "./fakes";

let connection: ChatConnection | undefined;

function open(heartbeatMs: number, pongTimeoutMs: number) {
	const factory = socketFactory();
	connection = new ChatConnection({
		url: "ws://chat.test/api/sessions/s1/ws",
		token: "tok",
		openSocket: factory.open,
		backoff: new Backoff({ baseMs: 100, capMs: 10_000, stableMs: 60_000, random: () => 1 }),
		heartbeatMs,
		pongTimeoutMs,
	});
	connection.start();
	const socket = factory.last();
	socket.open();
	return { chat: connection, socket };
}

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	connection?.stop();
	connection = undefined;
	vi.useRealTimers();
});

describe("ChatConnection timers", () => {
	it("holds only its pending timers after 1,000 heartbeats, so closing clears just those", () => {
		const { chat, socket } = open(1000, 500);
		for (let beat = 0; beat < 1000; beat++) {
			vi.advanceTimersByTime(1000);
			socket.receive({ type: "pong" });
		}
		expect(socket.sent).toHaveLength(1000);
		const pending = vi.getTimerCount();
		expect(pending).toBeLessThanOrEqual(2);
		const clear = vi.spyOn(globalThis, "clearTimeout");
		chat.stop();
		const cleared = clear.mock.calls.length;
		clear.mockRestore();
		expect(cleared).toBe(pending);
	});

	it("cancels the pong deadline when the pong arrives", () => {
		const { socket } = open(1000, 500);
		const idle = vi.getTimerCount();
		vi.advanceTimersByTime(1000);
		expect(socket.sent).toEqual(['{"type":"ping"}']);
		expect(vi.getTimerCount()).toBe(idle + 1);
		socket.receive({ type: "pong" });
		expect(vi.getTimerCount()).toBe(idle);
	});

	it("drops the socket on the first unanswered ping's deadline when pings outpace the timeout", () => {
		const { chat, socket } = open(1000, 1500);
		vi.advanceTimersByTime(2000);
		expect(socket.sent).toHaveLength(2);
		expect(chat.state.kind).toBe("connected");
		vi.advanceTimersByTime(500);
		expect(chat.state.kind).toBe("reconnecting");
	});
});
