/**
 * The chat socket as the end-to-end tests drive it (CONTRACT §4): the SDK's
 * `ChatConnection` over a `ws` socket opened on the exact URL and
 * subprotocols a test names, with no reconnect and no heartbeat, so each test
 * sees the server's own behaviour. Frames are validated by the SDK against a
 * strict variant of the shared schema (an extra or missing field fails);
 * `waitFor` fails fast, with the frames seen so far, when the socket closes
 * or the SDK reports a frame the contract does not allow. Tests that need to
 * send what no client would (invalid frames, binary) write to the raw socket.
 */
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import { ChatConnection, type DeltaFrame, type MessageFrame, PING_TEXT, type StatusFrame } from "../../../src/sdk/node";
import { type ServerFrame, serverFrameSchema as sharedServerFrameSchema } from "../../../src/shared/schemas/frames";
import { strict } from "../../support/strict";
import type { HttpResult, Session } from "./api";

/** The shared frame schema, refusing unknown fields at every depth. */
const serverFrameSchema = strict(sharedServerFrameSchema);

export type { DeltaFrame, ErrorFrame, MessageFrame, StatusFrame } from "../../../src/sdk/node";

export interface CloseInfo {
	code: number;
	reason: string;
}

export interface SocketClient {
	/** Every frame received so far, in order. */
	readonly frames: ServerFrame[];
	/** The subprotocol the server selected ("" when none). */
	readonly protocol: string;
	/**
	 * The first frame at index `since` or later matching `predicate`, waiting up to `timeoutMs`.
	 * @example const pong = await client.waitFor(isType("pong"), 5000, client.frames.length);
	 */
	waitFor<F extends ServerFrame>(predicate: (frame: ServerFrame) => frame is F, timeoutMs?: number, since?: number): Promise<F>;
	waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs?: number, since?: number): Promise<ServerFrame>;
	/** Objects are sent as JSON text, strings as text frames, Buffers as binary frames. */
	send(data: object | string | Buffer): void;
	/** Closes normally and resolves once the close handshake is over (bounded). */
	close(): Promise<CloseInfo>;
	/** Destroys the connection with no close handshake, as a network failure would. */
	drop(): void;
	readonly closed: Promise<CloseInfo>;
	/** Whether the socket is still open. */
	isOpen(): boolean;
}

export interface ConnectOptions {
	origin?: string;
	timeoutMs?: number;
}

type Waiter = { check: () => boolean };

/** Opens a socket; rejects with the HTTP status when the handshake is refused. */
export function connect(url: string, protocols?: string[], options: ConnectOptions = {}): Promise<SocketClient> {
	const ws = new WebSocket(url, protocols, options.origin ? { origin: options.origin } : {});
	const chat = new ChatConnection({
		// The SDK would add `?after=` and its own subprotocols; these tests name the exact handshake they mean.
		url,
		token: "",
		openSocket: () => ws,
		reconnect: false,
		heartbeatMs: 0,
		frameSchema: serverFrameSchema,
	});
	const frames: ServerFrame[] = [];
	const waiters = new Set<Waiter>();
	let failure: string | undefined;
	let closeInfo: CloseInfo | undefined;

	const closed = new Promise<CloseInfo>((resolve) => {
		chat.on("close", (info) => {
			closeInfo = info;
			resolve(closeInfo);
			for (const waiter of waiters) waiter.check();
		});
	});
	chat.on("frame", (frame) => {
		frames.push(frame);
		for (const waiter of waiters) waiter.check();
	});
	chat.on("invalid", ({ data, reason }) => {
		failure ??= `server sent a frame outside the contract: ${data.slice(0, 300)} (${reason})`;
		for (const waiter of waiters) waiter.check();
	});
	chat.start();

	function waitFor<F extends ServerFrame>(predicate: (frame: ServerFrame) => frame is F, timeoutMs?: number, since?: number): Promise<F>;
	function waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs?: number, since?: number): Promise<ServerFrame>;
	function waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs = 10_000, since = 0): Promise<ServerFrame> {
		return new Promise((resolve, reject) => {
			const seen = () => JSON.stringify(frames.slice(since)).slice(-2000);
			const waiter: Waiter = {
				check() {
					const match = frames.slice(since).find(predicate);
					if (match) finish(() => resolve(match));
					else if (failure) finish(() => reject(new Error(`${failure}; frames since ${since}: ${seen()}`)));
					else if (closeInfo) finish(() => reject(new Error(`socket closed (${closeInfo?.code}) before the frame; frames: ${seen()}`)));
					return false;
				},
			};
			const timer = setTimeout(
				() => finish(() => reject(new Error(`no matching frame within ${timeoutMs} ms; frames since ${since}: ${seen()}`))),
				timeoutMs,
			);
			function finish(settle: () => void): void {
				clearTimeout(timer);
				waiters.delete(waiter);
				settle();
			}
			waiters.add(waiter);
			waiter.check();
		});
	}

	const client: SocketClient = {
		frames,
		get protocol() {
			return ws.protocol;
		},
		waitFor,
		send(data) {
			if (typeof data === "string") ws.send(data);
			else if (data instanceof Uint8Array) ws.send(data, { binary: true });
			else ws.send(JSON.stringify(data));
		},
		async close() {
			if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000, "done");
			const timer = setTimeout(() => ws.terminate(), 3000);
			const info = await closed;
			clearTimeout(timer);
			return info;
		},
		drop: () => ws.terminate(),
		closed,
		isOpen: () => ws.readyState === WebSocket.OPEN,
	};

	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			ws.terminate();
			reject(new Error(`WebSocket ${url} did not open within ${options.timeoutMs ?? 10_000} ms`));
		}, options.timeoutMs ?? 10_000);
		ws.once("open", () => {
			clearTimeout(timer);
			resolve(client);
		});
		ws.once("unexpected-response", (_request, response) => {
			clearTimeout(timer);
			ws.terminate();
			reject(new Error(`WebSocket handshake refused with HTTP ${response.statusCode}`));
		});
		ws.once("error", (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}

/**
 * Attempts a handshake that is expected to be refused, and returns the refusal as an HTTP result.
 * Rejects if the socket opens instead.
 */
export function refusedHandshake(url: string, protocols?: string[], options: ConnectOptions = {}): Promise<HttpResult> {
	const ws = new WebSocket(url, protocols, options.origin ? { origin: options.origin } : {});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			ws.terminate();
			reject(new Error(`handshake to ${url} got no answer within 10 s`));
		}, 10_000);
		ws.once("unexpected-response", (_request, response: IncomingMessage) => {
			let body = "";
			response.setEncoding("utf8");
			response.on("data", (chunk: string) => {
				body += chunk;
			});
			response.on("end", () => {
				clearTimeout(timer);
				ws.terminate();
				resolve({ status: response.statusCode ?? 0, headers: toHeaders(response), body });
			});
		});
		ws.once("open", () => {
			clearTimeout(timer);
			ws.close();
			reject(new Error(`handshake to ${url} was accepted, expected a refusal`));
		});
		ws.once("error", (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}

function toHeaders(response: IncomingMessage): Headers {
	const headers = new Headers();
	for (const [name, value] of Object.entries(response.headers)) {
		if (value === undefined) continue;
		for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
	}
	return headers;
}

/** `ws://…/api/sessions/:id/ws`, with `?after=` when given. */
export function socketUrl(baseUrl: string, sessionId: string, query: { after?: number; token?: string } = {}): string {
	const url = new URL(`/api/sessions/${sessionId}/ws`, baseUrl.replace(/^http/, "ws"));
	if (query.after !== undefined) url.searchParams.set("after", String(query.after));
	if (query.token !== undefined) url.searchParams.set("token", query.token);
	return url.toString();
}

/** The contract's subprotocols: `chat.v1` plus the bearer token. */
export function chatProtocols(token: string): string[] {
	return ["chat.v1", `bearer.${token}`];
}

/** Opens the session's socket the way the widget does and waits for `ready`. */
export async function openChat(baseUrl: string, session: Session, after?: number): Promise<SocketClient> {
	const client = await connect(socketUrl(baseUrl, session.sessionId, after === undefined ? {} : { after }), chatProtocols(session.token));
	await client.waitFor(isType("ready"));
	return client;
}

export function isType<T extends ServerFrame["type"]>(type: T): (frame: ServerFrame) => frame is Extract<ServerFrame, { type: T }> {
	return (frame): frame is Extract<ServerFrame, { type: T }> => frame.type === type;
}

/** The final reply (assistant or system message) answering the user message `id`. */
export function isReplyTo(id: string): (frame: ServerFrame) => frame is MessageFrame {
	return (frame): frame is MessageFrame => frame.type === "message" && frame.role !== "user" && (frame.replyTo ?? []).includes(id);
}

/** The terminal status (done or failed) of the turn answering the user message `id`. */
export function isTurnEnd(id: string): (frame: ServerFrame) => frame is StatusFrame {
	return (frame): frame is StatusFrame =>
		frame.type === "status" && (frame.state === "done" || frame.state === "failed") && frame.replyTo.includes(id);
}

/**
 * Applies deltas by offset, as a client renders them: each one writes its text
 * at its offset. A delta that would leave a hole throws.
 * @example applyDeltas([{ offset: 0, text: "Hel" }, { offset: 3, text: "lo" }]) // "Hello"
 */
export function applyDeltas(deltas: ReadonlyArray<Pick<DeltaFrame, "offset" | "text">>, initial = ""): string {
	let text = initial;
	for (const delta of deltas) {
		if (delta.offset > text.length) throw new Error(`gap: delta at offset ${delta.offset} but only ${text.length} characters known`);
		text = text.slice(0, delta.offset) + delta.text;
	}
	return text;
}

/** Sends the exact ping text and waits for the pong that follows it: proof the socket is open and answering. */
export async function pingPong(client: SocketClient, timeoutMs = 5000): Promise<void> {
	const since = client.frames.length;
	client.send(PING_TEXT);
	await client.waitFor(isType("pong"), timeoutMs, since);
}
