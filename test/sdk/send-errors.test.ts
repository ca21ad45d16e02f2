/**
 * How `ChatConnection` answers an `error` frame to a send (CONTRACT §4):
 * only `bad_frame` gives the message up; `unavailable`, `rate_limited` and
 * codes this client does not know keep it and send the same id again later.
 * A fake socket and fake timers stand in for the network.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backoff, ChatConnection, memoryStorage, Outbox } from "../../src/sdk";
import { socketFactory } from "./fakes";

/** With `random` pinned to 1 each retry waits exactly the backoff ceiling: 1 s, 2 s, 4 s… */
const RETRY_BASE_MS = 1000;

function setup(ids: string[]) {
	const factory = socketFactory();
	const outbox = new Outbox(memoryStorage(), "outbox");
	for (const id of ids) outbox.add({ id, text: `text of ${id}`, createdAt: "2026-01-01T00:00:00.000Z" });
	const notices: string[] = [];
	const connection = new ChatConnection({
		url: "wss://chat.example/api/sessions/s1/ws",
		token: "token",
		openSocket: factory.open,
		outbox,
		sendBackoff: new Backoff({ baseMs: RETRY_BASE_MS, capMs: 30_000, stableMs: 10_000, random: () => 1 }),
	});
	connection.on("notice", (text) => notices.push(text));
	connection.start();
	const socket = factory.last();
	const sockets = factory.sockets;
	socket.open();
	let seq = 0;
	/** The server commits and echoes a user message, which confirms its send. */
	const confirm = (id: string) =>
		socket.receive({
			type: "message",
			seq: ++seq,
			id,
			role: "user",
			text: `text of ${id}`,
			createdAt: "2026-01-01T00:00:00.000Z",
			status: "complete",
		});
	const refuse = (code: string) => socket.receive({ type: "error", code, message: `refused: ${code}` });
	const pending = () => outbox.items.map((m) => m.id);
	return { connection, sockets, socket, outbox, notices, confirm, refuse, pending };
}

let current: ReturnType<typeof setup> | undefined;
const start = (ids: string[]) => {
	current = setup(ids);
	return current;
};

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	current?.connection.stop();
	current = undefined;
	vi.useRealTimers();
});

describe("ChatConnection: error frames answering a send", () => {
	it("keeps a message refused as `unavailable` and sends the same id again after a backoff", () => {
		const { socket, refuse, confirm, pending, notices } = start(["c_1"]);
		expect(socket.sentIds).toEqual(["c_1"]);

		refuse("unavailable");
		expect(pending()).toEqual(["c_1"]);
		expect(notices).toHaveLength(1);
		vi.advanceTimersByTime(RETRY_BASE_MS - 1);
		expect(socket.sentIds).toEqual(["c_1"]);
		vi.advanceTimersByTime(1);
		expect(socket.sentIds).toEqual(["c_1", "c_1"]);

		confirm("c_1");
		expect(pending()).toEqual([]);
	});

	it("waits longer after each `unavailable` and starts over once a send is confirmed", () => {
		const { connection, socket, outbox, refuse, confirm } = start(["c_1"]);
		refuse("unavailable");
		vi.advanceTimersByTime(RETRY_BASE_MS);
		expect(socket.sentIds).toEqual(["c_1", "c_1"]);
		refuse("unavailable");
		vi.advanceTimersByTime(2 * RETRY_BASE_MS - 1);
		expect(socket.sentIds).toEqual(["c_1", "c_1"]);
		vi.advanceTimersByTime(1);
		expect(socket.sentIds).toEqual(["c_1", "c_1", "c_1"]);
		confirm("c_1");

		outbox.add({ id: "c_2", text: "text of c_2", createdAt: "2026-01-01T00:00:00.000Z" });
		connection.flush();
		refuse("unavailable");
		vi.advanceTimersByTime(RETRY_BASE_MS);
		expect(socket.sentIds).toEqual(["c_1", "c_1", "c_1", "c_2", "c_2"]);
	});

	it("does not let a message typed during the wait jump ahead of the one refused", () => {
		const { connection, socket, outbox, refuse } = start(["c_1"]);
		refuse("unavailable");
		outbox.add({ id: "c_2", text: "text of c_2", createdAt: "2026-01-01T00:00:00.000Z" });
		connection.flush();
		expect(socket.sentIds).toEqual(["c_1"]);
		vi.advanceTimersByTime(RETRY_BASE_MS);
		expect(socket.sentIds).toEqual(["c_1", "c_1"]);
	});

	it("does not drop the socket when a resend is still within its own confirmation time", () => {
		const { sockets, socket, refuse } = start(["c_1"]);
		refuse("unavailable");
		vi.advanceTimersByTime(RETRY_BASE_MS);
		// The first send's 10 s deadline has passed; the resend's has not.
		vi.advanceTimersByTime(10_000 - RETRY_BASE_MS + 500);
		expect(socket.readyState).toBe(1);
		expect(sockets).toHaveLength(1);
	});

	it("keeps a message refused with a code it does not know and retries it like `unavailable`", () => {
		const { socket, refuse, pending } = start(["c_1"]);
		refuse("some_future_code");
		expect(pending()).toEqual(["c_1"]);
		vi.advanceTimersByTime(RETRY_BASE_MS);
		expect(socket.sentIds).toEqual(["c_1", "c_1"]);
	});

	it("gives up a message refused as `bad_frame` and sends the next one", () => {
		const { socket, refuse, pending, notices } = start(["c_1", "c_2"]);
		refuse("bad_frame");
		expect(pending()).toEqual(["c_2"]);
		expect(socket.sentIds).toEqual(["c_1", "c_2"]);
		expect(notices).toEqual(["A message could not be sent: refused: bad_frame"]);
	});

	it("keeps a message refused as `rate_limited` and sends it again after 5 s", () => {
		const { socket, refuse, pending } = start(["c_1"]);
		refuse("rate_limited");
		expect(pending()).toEqual(["c_1"]);
		vi.advanceTimersByTime(4_999);
		expect(socket.sentIds).toEqual(["c_1"]);
		vi.advanceTimersByTime(1);
		expect(socket.sentIds).toEqual(["c_1", "c_1"]);
	});
});
