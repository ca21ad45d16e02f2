/**
 * The chat socket, kept alive: connects with the `chat.v1` and
 * `bearer.<token>` subprotocols, resumes with `?after=<last seq>`, sends a
 * heartbeat ping every 25 s and treats a pong missing for 10 s as a dead
 * socket, reconnects with jittered backoff (at once when the browser comes
 * back online or the tab becomes visible), and flushes the outbox in order,
 * one message at a time, each confirmed by its own echoed `message` frame.
 */

import { Backoff } from "./backoff";
import { serverFrame } from "./frames";
import type { Outbox } from "./outbox";
import type { Transcript } from "./transcript";

export const HEARTBEAT_MS = 25_000;
export const PONG_TIMEOUT_MS = 10_000;
/** How long an unconfirmed send may wait before the socket is presumed dead. */
export const SEND_TIMEOUT_MS = 10_000;

export type ConnectionState = { kind: "connecting" } | { kind: "connected" } | { kind: "reconnecting"; at: number } | { kind: "offline" };

export interface ConnectionStats {
	reconnects: number;
	lastRttMs: number | null;
	connectedAt: number | null;
}

export interface ConnectionOptions {
	url: string;
	token: string;
	transcript: Transcript;
	outbox: Outbox;
	onChange(): void;
	/** A frame the client could not act on (rate limit, refusal): shown to the user. */
	onNotice(text: string): void;
	backoff?: Backoff;
	/** Heartbeat timing; the defaults suit real networks, tests shorten them. */
	heartbeatMs?: number;
	pongTimeoutMs?: number;
}

export class ChatConnection {
	readonly stats: ConnectionStats = { reconnects: 0, lastRttMs: null, connectedAt: null };
	state: ConnectionState = { kind: "connecting" };
	readonly #options: ConnectionOptions;
	readonly #backoff: Backoff;
	#ws: WebSocket | undefined;
	#timers: ReturnType<typeof setTimeout>[] = [];
	#pingSentAt: number | undefined;
	#inFlight: string | undefined;
	#stopped = false;
	#everConnected = false;

	constructor(options: ConnectionOptions) {
		this.#options = options;
		this.#backoff = options.backoff ?? new Backoff();
		addEventListener("online", () => this.reconnectNow());
		addEventListener("offline", () => {
			// A socket that survives going offline is usually dead already; let the outbox hold new messages.
			if (this.#ws) this.#drop(this.#ws, "offline");
			else this.#setState({ kind: "offline" });
		});
		document.addEventListener("visibilitychange", () => {
			if (document.visibilityState === "visible" && this.state.kind !== "connected") this.reconnectNow();
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
		if (!ws || ws.readyState !== WebSocket.OPEN || this.#inFlight) return;
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
		this.#later(
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
		let ws: WebSocket;
		try {
			ws = new WebSocket(url, ["chat.v1", `bearer.${this.#options.token}`]);
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

	#onFrame(ws: WebSocket, data: string): void {
		let json: unknown;
		try {
			json = JSON.parse(data);
		} catch {
			return;
		}
		// A frame this client does not understand (a newer server, a proxy's page) is skipped, not trusted.
		const parsed = serverFrame.safeParse(json);
		if (!parsed.success) return;
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
						this.#inFlight = undefined;
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
			case "ready":
				break;
		}
		this.#options.onChange();
	}

	#onError(ws: WebSocket, code: string, message: string): void {
		const id = this.#inFlight;
		this.#inFlight = undefined;
		if (code === "rate_limited") {
			// Keep the message; try again after a pause.
			this.#options.onNotice("You're sending messages too fast; they'll go out in a moment.");
			this.#later(() => this.flush(), 5_000);
			return;
		}
		// The server refused the frame itself: resending it would fail forever.
		if (id) this.#options.outbox.remove(id);
		this.#options.onNotice(`A message could not be sent: ${message}`);
		if (ws.readyState === WebSocket.OPEN) this.flush();
	}

	#heartbeat(ws: WebSocket): void {
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
	#drop(ws: WebSocket, reason: string): void {
		ws.close(4000, reason);
		this.#onClose(ws);
	}

	#onClose(ws: WebSocket): void {
		if (ws !== this.#ws) return;
		this.#ws = undefined;
		this.#inFlight = undefined;
		this.#pingSentAt = undefined;
		this.#clearTimers();
		if (this.#stopped) return;
		this.#scheduleReconnect();
	}

	#scheduleReconnect(): void {
		if (typeof navigator !== "undefined" && navigator.onLine === false) {
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

	#later(run: () => void, ms: number): void {
		this.#timers.push(setTimeout(run, ms));
	}

	#clearTimers(): void {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers = [];
	}
}
