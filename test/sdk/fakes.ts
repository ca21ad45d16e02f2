/** Fakes for the SDK tests: a socket the test drives as the server, and a fetch that answers from a table. */
import type { ChatSocket } from "../../src/sdk";

type Listener = (event: { data: unknown; code: number; reason: string }) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** A socket that records what the client sends and delivers what the test says the server sent. */
export class FakeSocket implements ChatSocket {
	readyState = CONNECTING;
	readonly sent: string[] = [];
	readonly #listeners = new Map<string, Listener[]>();

	constructor(
		readonly url: string,
		readonly protocols: string[],
	) {}

	addEventListener(type: "open", listener: () => void): void;
	addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
	addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
	addEventListener(type: "error", listener: () => void): void;
	addEventListener(type: string, listener: Listener): void {
		this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
	}

	send(data: string): void {
		this.sent.push(data);
	}

	/** The client closing: no event, as with a real socket whose close handshake never completes. */
	close(): void {
		this.readyState = CLOSED;
	}

	open(): void {
		this.readyState = OPEN;
		this.#emit("open", undefined);
	}

	receive(frame: object | string): void {
		this.#emit("message", typeof frame === "string" ? frame : JSON.stringify(frame));
	}

	/** The server (or the network) closing the connection. */
	serverClose(code = 1006, reason = ""): void {
		this.readyState = CLOSED;
		for (const listener of this.#listeners.get("close") ?? []) listener({ data: undefined, code, reason });
	}

	/** The parsed frames the client sent. */
	get frames(): unknown[] {
		return this.sent.map((text) => JSON.parse(text));
	}

	/** The ids of the `send` frames, in order. */
	get sentIds(): unknown[] {
		return this.frames.flatMap((frame) => (typeof frame === "object" && frame !== null && "id" in frame ? [frame.id] : []));
	}

	#emit(type: string, data: unknown): void {
		for (const listener of this.#listeners.get(type) ?? []) listener({ data, code: 0, reason: "" });
	}
}

/** Every socket a connection opened, newest last. */
export function socketFactory(): { sockets: FakeSocket[]; open: (url: string, protocols: string[]) => FakeSocket; last(): FakeSocket } {
	const sockets: FakeSocket[] = [];
	return {
		sockets,
		open: (url, protocols) => {
			const socket = new FakeSocket(url, protocols);
			sockets.push(socket);
			return socket;
		},
		last() {
			const socket = sockets.at(-1);
			if (!socket) throw new Error("no socket was opened");
			return socket;
		},
	};
}

export interface RecordedRequest {
	url: string;
	method: string;
	headers: Headers;
	body: string | undefined;
}

/** A fetch that records each request and answers with the next queued response. */
export function fakeFetch(...responses: Response[]): {
	fetch: (input: string, init?: RequestInit) => Promise<Response>;
	requests: RecordedRequest[];
} {
	const requests: RecordedRequest[] = [];
	return {
		requests,
		fetch: async (input, init = {}) => {
			requests.push({
				url: input,
				method: init.method ?? "GET",
				headers: new Headers(init.headers),
				body: typeof init.body === "string" ? init.body : undefined,
			});
			const response = responses.shift();
			if (!response) throw new Error(`unexpected request ${input}`);
			return response;
		},
	};
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

/** A committed message as the server sends it. */
export function message(seq: number, id: string, role: "user" | "assistant" = "user", extra: Record<string, unknown> = {}) {
	return { type: "message", seq, id, role, text: `text ${seq}`, createdAt: "2026-01-01T00:00:00.000Z", status: "complete", ...extra };
}
