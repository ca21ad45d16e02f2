/**
 * The chat socket, kept alive: connects with the `chat.v1` and
 * `bearer.<token>` subprotocols, resumes with `?after=<last seq>`, sends a
 * heartbeat ping every 25 s and treats a pong missing for 10 s as a dead
 * socket, reconnects with jittered backoff (at once when the browser comes
 * back online or the tab becomes visible), and flushes the outbox in order,
 * one message at a time, each confirmed by its own echoed `message` frame.
 * A send the server refuses stays in the outbox unless the refusal is final
 * (`bad_frame`); the rest are sent again, same id, after a pause.
 */

import { ERROR_CODES } from "../shared/schemas/wire";
import { Backoff } from "./backoff";
import { anyErrorFrame, serverFrame } from "./frames";
import type { Outbox } from "./outbox";
import type { Transcript } from "./transcript";

export const HEARTBEAT_MS = 25_000;
export const PONG_TIMEOUT_MS = 10_000;
/** How long an unconfirmed send may wait before the socket is presumed dead. */
export const SEND_TIMEOUT_MS = 10_000;
/** The pause after `rate_limited` (as before): the hub's message limiter counts per minute, so a quick retry would only be refused again. */
export const RATE_LIMITED_PAUSE_MS = 5_000;

export type ConnectionState = { kind: "connecting" } | { kind: "connected" } | { kind: "reconnecting"; at: number } | { kind: "offline" };

export interface ConnectionStats {
	reconnects: number;
	lastRttMs: number | null;
	connectedAt: number | null;
}

/** The part of the browser's `WebSocket` the connection uses, so a test can pass a fake. */
export interface ChatSocket {
	readonly readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	addEventListener(type: "open" | "close", listener: () => void): void;
	addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

/**
 * What the connection needs from the page around it. The widget passes the
 * browser's; keeping `document`, `navigator` and window events out of this
 * file lets the unit tests run it in workerd (which has none of them) with a
 * fake socket and fake timers.
 */
export interface ConnectionHost {
	openSocket(url: string, protocols: string[]): ChatSocket;
	/** False only when the browser knows it is offline (`navigator.onLine`). */
	isOnline(): boolean;
	/** `visible` fires when the tab becomes visible again. */
	on(event: "online" | "offline" | "visible", listener: () => void): void;
}

export interface ConnectionOptions {
	url: string;
	token: string;
	host: ConnectionHost;
	transcript: Transcript;
	outbox: Outbox;
	onChange(): void;
	/** A frame the client could not act on (rate limit, refusal): shown to the user. */
	onNotice(text: string): void;
	/** Reconnect delays. */
	backoff?: Backoff;
	/** Resend delays after `unavailable`; a schedule of its own, reset by each confirmed send. */
	sendBackoff?: Backoff;
	/** Heartbeat timing; the defaults suit real networks, tests shorten them. */
	heartbeatMs?: number;
	pongTimeoutMs?: number;
}

export class ChatConnection {
	readonly stats: ConnectionStats = { reconnects: 0, lastRttMs: null, connectedAt: null };
	state: ConnectionState = { kind: "connecting" };
	readonly #options: ConnectionOptions;
	readonly #backoff: Backoff;
	readonly #sendBackoff: Backoff;
	#ws: ChatSocket | undefined;
	#timers: ReturnType<typeof setTimeout>[] = [];
	#pingSentAt: number | undefined;
	#inFlight: string | undefined;
	#sendTimer: ReturnType<typeof setTimeout> | undefined;
	/** The server asked for a pause before the next send; the timer that ends it is pending. */
	#paused = false;
	#stopped = false;
	#everConnected = false;

	constructor(options: ConnectionOptions) {
		this.#options = options;
		this.#backoff = options.backoff ?? new Backoff();
		this.#sendBackoff = options.sendBackoff ?? new Backoff();
		const { host } = options;
		host.on("online", () => this.reconnectNow());
		host.on("offline", () => {
			// A socket that survives going offline is usually dead already; let the outbox hold new messages.
			if (this.#ws) this.#drop(this.#ws, "offline");
			else this.#setState({ kind: "offline" });
		});
		host.on("visible", () => {
			if (this.state.kind !== "connected") this.reconnectNow();
		});
	}

	start(): void {
		this.#open();
	}

	stop(): void {
		this.#stopped = true;
		this.#clearTimers();
		this.#ws?.close(1000, "bye");
	}

	/** Skips the backoff wait (network came back, tab became visible, user asked). */
	reconnectNow(): void {
		if (this.#stopped || this.state.kind === "connected" || this.state.kind === "connecting") return;
		this.#clearTimers();
		this.#open();
	}

	/** Sends the next outbox message if the socket is up and nothing is awaiting confirmation. */
	flush(): void {
		const ws = this.#ws;
		// While paused, a newly typed message must not jump ahead of the refused one (nor be refused in its turn).
		if (!ws || ws.readyState !== WebSocket.OPEN || this.#inFlight || this.#paused) return;
		const next = this.#options.outbox.items[0];
		if (!next) return;
		if (this.#options.transcript.has(next.id)) {
			// Already delivered (its echo arrived in a replay): drop it and move on.
			this.#options.outbox.remove(next.id);
			this.#options.onChange();
			this.flush();
			return;
		}
		this.#inFlight = next.id;
		ws.send(JSON.stringify({ type: "send", id: next.id, text: next.text }));
		// Its own timer, cleared on any answer: a resend of the same id must not inherit the deadline of the first try.
		this.#sendTimer = this.#later(
			() => {
				if (this.#inFlight === next.id) this.#drop(ws, "send not confirmed");
			},
			Math.max(SEND_TIMEOUT_MS, this.#options.pongTimeoutMs ?? 0),
		);
	}

	#open(): void {
		this.#setState({ kind: "connecting" });
		const url = new URL(this.#options.url);
		url.searchParams.set("after", String(this.#options.transcript.lastSeq));
		let ws: ChatSocket;
		try {
			ws = this.#options.host.openSocket(url.href, ["chat.v1", `bearer.${this.#options.token}`]);
		} catch {
			this.#scheduleReconnect();
			return;
		}
		this.#ws = ws;
		ws.addEventListener("open", () => {
			if (this.#everConnected) this.stats.reconnects++;
			this.#everConnected = true;
			this.stats.connectedAt = Date.now();
			this.#setState({ kind: "connected" });
			this.#later(() => this.#backoff.reset(), this.#backoff.stableMs);
			this.#heartbeat(ws);
			this.flush();
		});
		ws.addEventListener("message", (event) => {
			if (typeof event.data === "string") this.#onFrame(ws, event.data);
		});
		ws.addEventListener("close", () => this.#onClose(ws));
	}

	#onFrame(ws: ChatSocket, data: string): void {
		let json: unknown;
		try {
			json = JSON.parse(data);
		} catch {
			return;
		}
		// A frame this client does not understand (a newer server, a proxy's page) is skipped, not trusted,
		// except an error with a code this build does not know: it still answers the send in flight.
		const parsed = serverFrame.safeParse(json);
		if (!parsed.success) {
			const error = anyErrorFrame.safeParse(json);
			if (error.success) {
				this.#onError(ws, error.data.code, error.data.message);
				this.#options.onChange();
			}
			return;
		}
		const frame = parsed.data;
		const { transcript, outbox } = this.#options;
		switch (frame.type) {
			case "pong":
				if (this.#pingSentAt !== undefined) this.stats.lastRttMs = Math.round(performance.now() - this.#pingSentAt);
				this.#pingSentAt = undefined;
				break;
			case "message": {
				const { type: _type, ...message } = frame;
				transcript.addMessage(message);
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
			case "delta":
				transcript.applyDelta(frame.turn, frame.offset, frame.text);
				break;
			case "status":
				transcript.setStatus(frame.turn, frame.state, frame.replyTo);
				break;
			case "error":
				this.#onError(ws, frame.code, frame.message);
				break;
			case "summary":
				transcript.setSummary(frame.text, frame.throughSeq);
				break;
			case "ready":
				break;
		}
		this.#options.onChange();
	}

	#onError(ws: ChatSocket, code: string, message: string): void {
		const id = this.#inFlight;
		this.#settle();
		if (code === ERROR_CODES.badFrame) {
			// The server refused the frame itself: resending it would fail forever.
			if (id) this.#options.outbox.remove(id);
			this.#options.onNotice(`A message could not be sent: ${message}`);
			if (ws.readyState === WebSocket.OPEN) this.flush();
			return;
		}
		if (code === ERROR_CODES.rateLimited) {
			this.#options.onNotice("You're sending messages too fast; they'll go out in a moment.");
			this.#pause(RATE_LIMITED_PAUSE_MS);
			return;
		}
		// `unavailable` ("try again shortly"), and also any code this build does not know yet: only
		// `bad_frame` is known to be final, and a wrong guess the other way would silently lose the user's
		// text. Keeping it costs a retry at most every 30 s while the message shows as unsent, and the
		// resend is harmless because the server is idempotent on the id.
		this.#options.onNotice("Support is busy right now; your message will be sent in a moment.");
		this.#pause(this.#sendBackoff.next());
	}

	/** The send in flight got its answer: forget it and its deadline. */
	#settle(): void {
		this.#inFlight = undefined;
		clearTimeout(this.#sendTimer);
		this.#sendTimer = undefined;
	}

	/** Holds the outbox for `ms`, then sends the head message again (same id). A reconnect ends the pause early. */
	#pause(ms: number): void {
		this.#paused = true;
		this.#later(() => {
			this.#paused = false;
			this.flush();
		}, ms);
	}

	#heartbeat(ws: ChatSocket): void {
		this.#later(() => {
			if (ws !== this.#ws || ws.readyState !== WebSocket.OPEN) return;
			this.#pingSentAt = performance.now();
			ws.send('{"type":"ping"}');
			this.#later(() => {
				if (this.#pingSentAt !== undefined && ws === this.#ws) this.#drop(ws, "no pong");
			}, this.#options.pongTimeoutMs ?? PONG_TIMEOUT_MS);
			this.#heartbeat(ws);
		}, this.#options.heartbeatMs ?? HEARTBEAT_MS);
	}

	/** Gives up on a socket that looks alive but is not (a half-open connection after sleep, say). */
	#drop(ws: ChatSocket, reason: string): void {
		ws.close(4000, reason);
		this.#onClose(ws);
	}

	#onClose(ws: ChatSocket): void {
		if (ws !== this.#ws) return;
		this.#ws = undefined;
		this.#settle();
		this.#pingSentAt = undefined;
		// Its timer is cleared below; the reconnect's own backoff is pause enough before the resend.
		this.#paused = false;
		this.#clearTimers();
		if (this.#stopped) return;
		this.#scheduleReconnect();
	}

	#scheduleReconnect(): void {
		if (!this.#options.host.isOnline()) {
			// The `online` event reconnects at once; no point burning backoff steps while offline.
			this.#setState({ kind: "offline" });
			return;
		}
		const delay = this.#backoff.next();
		this.#setState({ kind: "reconnecting", at: Date.now() + delay });
		this.#later(() => this.#open(), delay);
	}

	#setState(state: ConnectionState): void {
		this.state = state;
		this.#options.onChange();
	}

	#later(run: () => void, ms: number): ReturnType<typeof setTimeout> {
		const timer = setTimeout(run, ms);
		this.#timers.push(timer);
		return timer;
	}

	#clearTimers(): void {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers = [];
	}
}
