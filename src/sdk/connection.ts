/**
 * The chat socket, kept alive (CONTRACT §4): connects with the `chat.v1` and
 * `bearer.<token>` subprotocols, resumes with `?after=<last seq>`, sends a
 * heartbeat ping every 25 s and treats a pong missing for 10 s as a dead
 * socket, reconnects with jittered backoff (at once when the host says the
 * network is back or the tab is visible), and flushes the outbox in order,
 * one message at a time, each confirmed by its own echoed `message` frame.
 * A send the server refuses stays in the outbox unless the refusal is final
 * (`bad_frame`); the rest are sent again, same id, after a pause.
 *
 * Every server frame is validated; one outside the contract is reported
 * through the `invalid` event and otherwise ignored, never trusted.
 */
import { ERROR_CODES } from "../shared/schemas/wire";
import { Backoff } from "./backoff";
import { ConnectionEvents, type ConnectionState, type Emitter } from "./events";
import { anyErrorFrameSchema, type Parser, PING_TEXT, parseServerFrame, type ServerFrame, serverFrameSchema } from "./frames";
import { newClientId, Outbox } from "./outbox";
import { memoryStorage } from "./storage";
import { Transcript } from "./transcript";

export const HEARTBEAT_MS = 25_000;
export const PONG_TIMEOUT_MS = 10_000;
/** How long an unconfirmed send may wait before the socket is presumed dead. */
export const SEND_TIMEOUT_MS = 10_000;
/** The pause after `rate_limited`: the hub's message limiter counts per minute, so a quick retry would only be refused again. */
export const RATE_LIMITED_PAUSE_MS = 5_000;
/** `WebSocket.OPEN`, spelled out: Node's `ws` and fakes need not carry the constant. */
const OPEN = 1;

type Timer = ReturnType<typeof setTimeout>;

export type { ConnectionState } from "./events";

export interface ConnectionStats {
	reconnects: number;
	lastRttMs: number | null;
	connectedAt: number | null;
	/** `message` frames for a seq already known (a replay overlapping a live push): dropped. */
	duplicates: number;
	/** Frames outside the contract: reported, dropped. */
	invalidFrames: number;
}

/** The part of the `WebSocket` API the connection uses: the browser's, Node 22's, `ws`'s or a test's fake. */
export interface ChatSocket {
	readonly readyState: number;
	readonly protocol?: string | null;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	/** Node's `ws` can drop a connection without a close handshake, as a network failure would. */
	terminate?(): void;
	addEventListener(type: "open", listener: () => void): void;
	addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
	addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
	addEventListener(type: "error", listener: () => void): void;
}

export type WebSocketFactory = (url: string, protocols: string[]) => ChatSocket;

/**
 * What the connection needs from the world around it beyond a socket. The
 * widget passes the browser's network and tab events; keeping `document` and
 * `navigator` out of this file lets it run in Node and in workerd tests.
 */
export interface ConnectionHost {
	/** False only when the host knows it is offline (`navigator.onLine`). */
	isOnline(): boolean;
	/** `visible` fires when the tab becomes visible again. */
	on(event: "online" | "offline" | "visible", listener: () => void): void;
}

export interface ConnectionOptions {
	/** `ws(s)://…/api/sessions/:id/ws` (see `ChatApi.socketUrl`); `?after=` is added on each connect. */
	url: string;
	token: string;
	/** Opens a socket; defaults to the global `WebSocket`. */
	openSocket?: WebSocketFactory;
	host?: ConnectionHost;
	/** Committed messages and streaming replies; pass one to resume from its `lastSeq`. */
	transcript?: Transcript;
	/** Unsent messages; pass one over `localStorage` or a file to survive a reload. */
	outbox?: Outbox;
	/** The first connect resumes after this seq when the transcript knows less. */
	after?: number;
	/** False: a dropped socket stays closed (load tools reconnect by hand). */
	reconnect?: boolean;
	/** Reconnect delays. */
	backoff?: Backoff;
	/** Resend delays after `unavailable`; a schedule of its own, reset by each confirmed send. */
	sendBackoff?: Backoff;
	/** Heartbeat timing; 0 turns the heartbeat off. The defaults suit real networks. */
	heartbeatMs?: number;
	pongTimeoutMs?: number;
	/** A stricter frame schema (a conformance test's); the default is the SDK's. */
	frameSchema?: Parser<ServerFrame>;
}

/**
 * @example
 * const chat = new ChatConnection({ url: api.socketUrl(session.sessionId), token: session.token });
 * chat.on("message", (m) => console.log(m.role, m.text));
 * chat.start();
 * chat.send("Hello");
 */
export class ChatConnection {
	readonly stats: ConnectionStats = { reconnects: 0, lastRttMs: null, connectedAt: null, duplicates: 0, invalidFrames: 0 };
	readonly transcript: Transcript;
	readonly outbox: Outbox;
	state: ConnectionState = { kind: "connecting" };
	readonly #events = new ConnectionEvents();
	readonly #options: ConnectionOptions;
	readonly #backoff: Backoff;
	readonly #sendBackoff: Backoff;
	#ws: ChatSocket | undefined;
	/** Pending timers only: each leaves as it fires or is cancelled, so a connection open for days holds a handful (issue 17). */
	readonly #timers = new Set<Timer>();
	#pingSentAt: number | undefined;
	/** The deadline for the oldest unanswered ping; a pong cancels it. */
	#pongTimer: Timer | undefined;
	#inFlight: string | undefined;
	#sendTimer: Timer | undefined;
	#pauseTimer: Timer | undefined;
	/** The server asked for a pause before the next send; the timer that ends it is pending. */
	#paused = false;
	#stopped = false;
	#everConnected = false;

	constructor(options: ConnectionOptions) {
		this.#options = options;
		this.transcript = options.transcript ?? new Transcript();
		this.outbox = options.outbox ?? new Outbox(memoryStorage(), "outbox");
		this.#backoff = options.backoff ?? new Backoff();
		this.#sendBackoff = options.sendBackoff ?? new Backoff();
		const { host } = options;
		host?.on("online", () => this.reconnectNow());
		host?.on("offline", () => {
			// A socket that survives going offline is usually dead already; let the outbox hold new messages.
			if (this.#ws) this.drop("offline");
			else this.#setState({ kind: "offline" });
		});
		host?.on("visible", () => {
			if (this.state.kind !== "connected") this.reconnectNow();
		});
	}

	/** Subscribes to an event; returns the unsubscribe function. */
	readonly on: Emitter["on"] = (type, listener) => this.#events.on(type, listener);

	/** The subprotocol the server selected on the current socket ("" when none or not connected). */
	get protocol(): string {
		return this.#ws?.protocol ?? "";
	}

	start(): void {
		this.#open();
	}

	/** Closes for good (code 1000); no reconnect follows. */
	stop(): void {
		this.#stopped = true;
		this.#clearTimers();
		const ws = this.#ws;
		this.#ws = undefined;
		ws?.close(1000, "bye");
		if (ws) this.#events.emit("close", { code: 1000, reason: "bye" });
		this.#setState({ kind: "closed" });
	}

	/**
	 * Resolves with the next `ready` frame (the current connect's), rejects when the socket closes first or `timeoutMs` passes.
	 * @example chat.start(); await chat.ready();
	 */
	ready(timeoutMs = 10_000): Promise<{ sessionId: string; lastSeq: number }> {
		return new Promise((resolve, reject) => {
			const done = () => {
				clearTimeout(timer);
				offReady();
				offClose();
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error("socket: no ready frame in time"));
			}, timeoutMs);
			const offReady = this.on("frame", (frame) => {
				if (frame.type !== "ready") return;
				done();
				resolve({ sessionId: frame.sessionId, lastSeq: frame.lastSeq });
			});
			const offClose = this.on("close", ({ code }) => {
				done();
				reject(new Error(`socket closed before ready (${code})`));
			});
		});
	}

	/** Skips the backoff wait (network came back, tab became visible, user asked). */
	reconnectNow(): void {
		if (this.#stopped || this.state.kind === "connected" || this.state.kind === "connecting") return;
		this.#clearTimers();
		this.#open();
	}

	/**
	 * Queues a message and sends it when the socket is up; it goes out exactly
	 * once under its id however many reconnects it waits through. Returns the
	 * id, or null when the outbox is full.
	 */
	send(text: string, id: string = newClientId()): string | null {
		if (!this.outbox.add({ id, text, createdAt: new Date().toISOString() })) return null;
		this.#events.emit("change", undefined);
		this.flush();
		return id;
	}

	/** Sends the next outbox message if the socket is up and nothing is awaiting confirmation. */
	flush(): void {
		const ws = this.#ws;
		// While paused, a newly typed message must not jump ahead of the refused one (nor be refused in its turn).
		if (!ws || ws.readyState !== OPEN || this.#inFlight || this.#paused) return;
		const next = this.outbox.items[0];
		if (!next) return;
		if (this.transcript.has(next.id)) {
			// Already delivered (its echo arrived in a replay): drop it and move on.
			this.outbox.remove(next.id);
			this.#events.emit("change", undefined);
			this.flush();
			return;
		}
		this.#inFlight = next.id;
		ws.send(JSON.stringify({ type: "send", id: next.id, text: next.text }));
		// Its own timer, cleared on any answer: a resend of the same id must not inherit the deadline of the first try.
		this.#sendTimer = this.#later(
			() => {
				if (this.#inFlight === next.id) this.drop("send not confirmed");
			},
			Math.max(SEND_TIMEOUT_MS, this.#options.pongTimeoutMs ?? 0),
		);
	}

	/** Gives up on the current socket (a half-open connection after sleep, say); reconnects unless told not to. */
	drop(reason = "dropped"): void {
		const ws = this.#ws;
		if (!ws) return;
		if (ws.terminate) ws.terminate();
		else ws.close(4000, reason);
		this.#onClose(ws, { code: 4000, reason });
	}

	#open(): void {
		this.#setState({ kind: "connecting" });
		const url = new URL(this.#options.url);
		url.searchParams.set("after", String(Math.max(this.transcript.lastSeq, this.#options.after ?? 0)));
		let ws: ChatSocket;
		try {
			const open = this.#options.openSocket ?? ((href: string, protocols: string[]) => new WebSocket(href, protocols));
			ws = open(url.href, ["chat.v1", `bearer.${this.#options.token}`]);
		} catch {
			this.#scheduleReconnect();
			return;
		}
		this.#ws = ws;
		// Node's `ws` throws an `error` event nobody listens to; the `close` that follows is what the connection acts on.
		ws.addEventListener("error", () => {});
		ws.addEventListener("open", () => {
			if (ws !== this.#ws) return;
			if (this.#everConnected) this.stats.reconnects++;
			this.#everConnected = true;
			this.stats.connectedAt = Date.now();
			this.#setState({ kind: "connected" });
			this.#later(() => this.#backoff.reset(), this.#backoff.stableMs);
			this.#heartbeat(ws);
			this.flush();
		});
		ws.addEventListener("message", (event) => {
			if (ws !== this.#ws) return;
			if (typeof event.data === "string") this.#onFrame(ws, event.data);
			else this.#invalid(ws, "(binary frame)", "not a text frame");
		});
		ws.addEventListener("close", (event) => this.#onClose(ws, { code: event.code, reason: event.reason }));
	}

	#invalid(_ws: ChatSocket, data: string, reason: string): void {
		this.stats.invalidFrames++;
		this.#events.emit("invalid", { data, reason });
	}

	#onFrame(ws: ChatSocket, data: string): void {
		const parsed = parseServerFrame(data, this.#options.frameSchema ?? serverFrameSchema);
		if (!parsed.ok) {
			this.#invalid(ws, parsed.invalid.data, parsed.invalid.reason);
			// An error with a code this build does not know still answers the send in flight.
			const error = anyErrorFrameSchema.safeParse(parsed.json);
			if (error.success) {
				this.#onError(ws, error.data.code, error.data.message);
				this.#events.emit("change", undefined);
			}
			return;
		}
		const frame = parsed.frame;
		this.#events.emit("frame", frame);
		const { transcript, outbox } = this;
		switch (frame.type) {
			case "pong":
				if (this.#pingSentAt !== undefined) this.stats.lastRttMs = Math.round(performance.now() - this.#pingSentAt);
				this.#pingSentAt = undefined;
				this.#cancel(this.#pongTimer);
				this.#pongTimer = undefined;
				break;
			case "message": {
				const { type: _type, ...message } = frame;
				if (transcript.addMessage(message)) this.#events.emit("message", message);
				else this.stats.duplicates++;
				if (message.role === "user") {
					outbox.remove(message.id);
					if (this.#inFlight === message.id) {
						this.#settle();
						this.#sendBackoff.reset();
						this.flush();
					}
				}
				break;
			}
			case "delta": {
				const reply = transcript.applyDelta(frame.turn, frame.offset, frame.text) ? transcript.reply(frame.turn) : undefined;
				if (reply) this.#events.emit("reply", reply);
				break;
			}
			case "status":
				transcript.setStatus(
					frame.turn,
					frame.state,
					frame.replyTo,
					frame.position === undefined ? undefined : { position: frame.position, etaSeconds: frame.etaSeconds ?? 0 },
				);
				this.#events.emit("status", frame);
				break;
			case "error":
				this.#onError(ws, frame.code, frame.message);
				break;
			case "summary":
				transcript.setSummary(frame.text, frame.throughSeq);
				break;
			case "confirm":
				transcript.setConfirmation(frame.turn, { callId: frame.callId, tool: frame.tool, summary: frame.summary });
				this.#events.emit("confirm", frame);
				break;
			case "ready":
				break;
		}
		this.#events.emit("change", undefined);
	}

	#onError(ws: ChatSocket, code: string, message: string): void {
		const id = this.#inFlight;
		this.#settle();
		if (code === ERROR_CODES.badFrame) {
			// The server refused the frame itself: resending it would fail forever.
			if (id) this.outbox.remove(id);
			this.#events.emit("notice", `A message could not be sent: ${message}`);
			if (ws.readyState === OPEN) this.flush();
			return;
		}
		if (code === ERROR_CODES.rateLimited) {
			this.#events.emit("notice", "You're sending messages too fast; they'll go out in a moment.");
			this.#pause(RATE_LIMITED_PAUSE_MS);
			return;
		}
		// `unavailable` ("try again shortly"), and also any code this build does not know yet: only
		// `bad_frame` is known to be final, and a wrong guess the other way would silently lose the user's
		// text. Keeping it costs a retry at most every 30 s while the message shows as unsent, and the
		// resend is harmless because the server is idempotent on the id.
		this.#events.emit("notice", "Support is busy right now; your message will be sent in a moment.");
		this.#pause(this.#sendBackoff.next());
	}

	/** The send in flight got its answer: forget it and its deadline. */
	#settle(): void {
		this.#inFlight = undefined;
		this.#cancel(this.#sendTimer);
		this.#sendTimer = undefined;
	}

	/** Holds the outbox for `ms`, then sends the head message again (same id). A reconnect ends the pause early. */
	#pause(ms: number): void {
		this.#paused = true;
		this.#cancel(this.#pauseTimer);
		this.#pauseTimer = this.#later(() => {
			this.#pauseTimer = undefined;
			this.#paused = false;
			this.flush();
		}, ms);
	}

	#heartbeat(ws: ChatSocket): void {
		const every = this.#options.heartbeatMs ?? HEARTBEAT_MS;
		if (every <= 0) return;
		this.#later(() => {
			if (ws !== this.#ws || ws.readyState !== OPEN) return;
			this.#pingSentAt = performance.now();
			ws.send(PING_TEXT);
			// An earlier ping still unanswered keeps its deadline: the pong has been missing since then.
			this.#pongTimer ??= this.#later(() => {
				this.#pongTimer = undefined;
				if (this.#pingSentAt !== undefined && ws === this.#ws) this.drop("no pong");
			}, this.#options.pongTimeoutMs ?? PONG_TIMEOUT_MS);
			this.#heartbeat(ws);
		}, every);
	}

	#onClose(ws: ChatSocket, info: { code: number; reason: string }): void {
		if (ws !== this.#ws) return;
		this.#ws = undefined;
		this.#settle();
		this.#pingSentAt = undefined;
		// Its timer is cleared below; the reconnect's own backoff is pause enough before the resend.
		this.#paused = false;
		this.#clearTimers();
		this.#events.emit("close", info);
		if (this.#stopped) return;
		if (this.#options.reconnect === false) {
			this.#setState({ kind: "closed" });
			return;
		}
		this.#scheduleReconnect();
	}

	#scheduleReconnect(): void {
		if (this.#options.host && !this.#options.host.isOnline()) {
			// The `online` event reconnects at once; no point burning backoff steps while offline.
			this.#setState({ kind: "offline" });
			return;
		}
		if (this.#options.reconnect === false) {
			this.#setState({ kind: "closed" });
			return;
		}
		const delay = this.#backoff.next();
		this.#setState({ kind: "reconnecting", at: Date.now() + delay });
		this.#later(() => this.#open(), delay);
	}

	#setState(state: ConnectionState): void {
		this.state = state;
		this.#events.emit("state", state);
		this.#events.emit("change", undefined);
	}

	#later(run: () => void, ms: number): Timer {
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			run();
		}, ms);
		this.#timers.add(timer);
		return timer;
	}

	/** Cancels a pending timer and forgets it (one that already fired is forgotten already). */
	#cancel(timer: Timer | undefined): void {
		if (timer === undefined) return;
		clearTimeout(timer);
		this.#timers.delete(timer);
	}

	#clearTimers(): void {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		this.#pongTimer = undefined;
		this.#sendTimer = undefined;
		this.#pauseTimer = undefined;
	}
}
