/**
 * How `ChatConnection` answers an `error` frame to a send (CONTRACT §4):
 * only `bad_frame` gives the message up; `unavailable`, `rate_limited` and
 * codes this client does not know keep it and send the same id again later.
 * A fake socket and fake timers stand in for the browser.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backoff } from "../../src/client/backoff";
import { ChatConnection, type ChatSocket, type ConnectionHost } from "../../src/client/connection";
import { Outbox } from "../../src/client/outbox";
import { Transcript } from "../../src/client/transcript";
import { memoryStore } from "./memory-store";

type Listener = (event: { data: unknown }) => void;

/** A socket that records what the client sends and delivers what the test says the server sent. */
class FakeSocket implements ChatSocket {
	readyState: number = WebSocket.CONNECTING;
	readonly sent: unknown[] = [];
	readonly #listeners = new Map<string, Listener[]>();

	addEventListener(type: "open" | "close", listener: () => void): void;
	addEventListener(type: "message", listener: Listener): void;
	addEventListener(type: string, listener: Listener): void {
		this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
	}

	send(data: string): void {
		this.sent.push(JSON.parse(data));
	}

	close(): void {
		this.readyState = WebSocket.CLOSED;
	}

	open(): void {
		this.readyState = WebSocket.OPEN;
		this.#emit("open", undefined);
	}

	receive(frame: object): void {
		this.#emit("message", JSON.stringify(frame));
	}

	/** The ids of the `send` frames, in order. */
	get sentIds(): unknown[] {
		return this.sent.flatMap((frame) => (typeof frame === "object" && frame !== null && "id" in frame ? [frame.id] : []));
	}

	#emit(type: string, data: unknown): void {
		for (const listener of this.#listeners.get(type) ?? []) listener({ data });
	}
}

/** With `random` pinned to 1 each retry waits exactly the backoff ceiling: 1 s, 2 s, 4 s… */
const RETRY_BASE_MS = 1000;

function setup(ids: string[]) {
	const sockets: FakeSocket[] = [];
	const host: ConnectionHost = {
		openSocket: () => {
			const socket = new FakeSocket();
			sockets.push(socket);
			return socket;
		},
		isOnline: () => true,
		on: () => {},
	};
	const outbox = new Outbox(memoryStore(), "outbox");
	for (const id of ids) outbox.add({ id, text: `text of ${id}`, createdAt: "2026-01-01T00:00:00.000Z" });
	const notices: string[] = [];
	const connection = new ChatConnection({
		url: "wss://chat.example/api/sessions/s1/ws",
		token: "token",
		host,
		transcript: new Transcript(),
		outbox,
		onChange: () => {},
		onNotice: (text) => notices.push(text),
		sendBackoff: new Backoff({ baseMs: RETRY_BASE_MS, capMs: 30_000, stableMs: 10_000, random: () => 1 }),
	});
	connection.start();
	const socket = sockets[0];
	if (!socket) throw new Error("the connection opened no socket");
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
		expect(socket.readyState).toBe(WebSocket.OPEN);
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
