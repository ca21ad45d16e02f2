/**
 * A Node client of the public chat contract for load and benchmark runs:
 * creates sessions, posts messages, and follows each message over the
 * session's socket from POST to its own echo, the first delta and the final
 * reply. Works against the product and the bare baseline alike (both speak
 * the same frames).
 */
import WebSocket from "ws";

export interface ChatSession {
	sessionId: string;
	token: string;
}

/** Timings of one message, in ms from the moment its POST was sent. */
export interface TurnTiming {
	acceptMs: number;
	echoMs?: number;
	firstDeltaMs?: number;
	finalMs?: number;
	replySeq?: number;
}

export interface Frame {
	type: string;
	seq?: number;
	id?: string;
	role?: string;
	turn?: string;
	replyTo?: string[];
	text?: string;
	offset?: number;
	lastSeq?: number;
	citations?: { id: string; title: string; url?: string }[];
}

export async function createSession(base: string, timeoutMs = 10_000): Promise<ChatSession> {
	const response = await fetch(`${base}/api/sessions`, { method: "POST", signal: AbortSignal.timeout(timeoutMs) });
	if (response.status !== 201) {
		await response.body?.cancel();
		throw new Error(`session creation answered ${response.status}`);
	}
	const body = (await response.json()) as Partial<ChatSession>;
	if (typeof body.sessionId !== "string" || typeof body.token !== "string") throw new Error("session creation answered an unexpected body");
	return { sessionId: body.sessionId, token: body.token };
}

/** A session's socket, tracking every message posted through `send`. */
export class ChatSocket {
	readonly session: ChatSession;
	readonly connectMs: number;
	/** Highest seq seen, for resuming with `after`. */
	lastSeq = 0;
	readonly seqs = new Set<number>();
	duplicates = 0;
	readonly #base: string;
	readonly #ws: WebSocket;
	readonly #pending = new Map<string, { sent: number; timing: TurnTiming; done: () => void }>();
	readonly #turns = new Map<string, string[]>();
	#onFrame: ((frame: Frame) => void) | undefined;

	private constructor(base: string, session: ChatSession, ws: WebSocket, connectMs: number) {
		this.#base = base;
		this.session = session;
		this.#ws = ws;
		this.connectMs = connectMs;
		ws.on("message", (data) => this.#handle(JSON.parse(String(data)) as Frame));
		// A closed socket will deliver no reply: settle the waiting sends at once instead of at their timeouts.
		ws.on("close", () => {
			for (const pending of this.#pending.values()) pending.done();
		});
	}

	/** Opens the socket and resolves once the `ready` frame (and the replay after it) has started. */
	static async connect(base: string, session: ChatSession, after = 0, timeoutMs = 10_000): Promise<ChatSocket> {
		const started = performance.now();
		const url = `${base.replace(/^http/, "ws")}/api/sessions/${session.sessionId}/ws?after=${after}`;
		const ws = new WebSocket(url, ["chat.v1", `bearer.${session.token}`]);
		const buffered: Frame[] = [];
		// Errors after the handshake are reported through `close`; without a listener they would crash the process.
		ws.on("error", () => undefined);
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error("socket: no ready frame in time")), timeoutMs);
				ws.on("message", (data) => {
					const frame = JSON.parse(String(data)) as Frame;
					buffered.push(frame);
					if (frame.type === "ready") {
						clearTimeout(timer);
						resolve();
					}
				});
				ws.once("unexpected-response", (_request, response) => {
					clearTimeout(timer);
					reject(new Error(`socket: handshake answered ${response.statusCode}`));
				});
				ws.once("close", () => {
					clearTimeout(timer);
					reject(new Error("socket closed before ready"));
				});
			});
		} catch (error) {
			ws.terminate();
			throw error;
		}
		ws.removeAllListeners("message");
		ws.removeAllListeners("close");
		ws.removeAllListeners("unexpected-response");
		const socket = new ChatSocket(base, session, ws, performance.now() - started);
		socket.lastSeq = after;
		for (const frame of buffered) socket.#handle(frame);
		return socket;
	}

	/** Called for every frame (after the built-in bookkeeping); for replay measurements. */
	set onFrame(listener: ((frame: Frame) => void) | undefined) {
		this.#onFrame = listener;
	}

	/** POSTs a message and resolves with its timings once its reply arrives (or the timeout passes). */
	async send(id: string, text: string, timeoutMs = 30_000): Promise<TurnTiming> {
		const sent = performance.now();
		const timing: TurnTiming = { acceptMs: 0 };
		const replied = new Promise<void>((resolve) => this.#pending.set(id, { sent, timing, done: resolve }));
		let timer: ReturnType<typeof setTimeout> | undefined;
		try {
			const response = await fetch(`${this.#base}/api/sessions/${this.session.sessionId}/messages`, {
				method: "POST",
				headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.session.token}` },
				body: JSON.stringify({ id, text }),
				signal: AbortSignal.timeout(timeoutMs),
			});
			timing.acceptMs = performance.now() - sent;
			await response.body?.cancel();
			if (response.status !== 202) throw new Error(`POST answered ${response.status}`);
			await Promise.race([replied, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
			return timing;
		} finally {
			clearTimeout(timer);
			this.#pending.delete(id);
		}
	}

	close(): void {
		this.#ws.close(1000, "done");
	}

	/** Drops the connection abruptly, as a flaky network would. */
	terminate(): void {
		this.#ws.terminate();
	}

	#handle(frame: Frame): void {
		const now = performance.now();
		if (frame.type === "message" && typeof frame.seq === "number") {
			if (this.seqs.has(frame.seq)) this.duplicates++;
			this.seqs.add(frame.seq);
			this.lastSeq = Math.max(this.lastSeq, frame.seq);
			if (frame.role === "user" && frame.id) {
				const pending = this.#pending.get(frame.id);
				if (pending && pending.timing.echoMs === undefined) pending.timing.echoMs = now - pending.sent;
			} else {
				for (const id of frame.replyTo ?? []) {
					const pending = this.#pending.get(id);
					if (!pending) continue;
					pending.timing.finalMs = now - pending.sent;
					pending.timing.replySeq = frame.seq;
					pending.done();
				}
			}
		} else if (frame.type === "status" && frame.turn && frame.replyTo) {
			this.#turns.set(frame.turn, frame.replyTo);
		} else if (frame.type === "delta" && frame.turn) {
			for (const id of this.#turns.get(frame.turn) ?? []) {
				const pending = this.#pending.get(id);
				if (pending && pending.timing.firstDeltaMs === undefined) pending.timing.firstDeltaMs = now - pending.sent;
			}
		}
		this.#onFrame?.(frame);
	}
}

/** The committed transcript over HTTP, every page of it. */
export async function transcript(
	base: string,
	session: ChatSession,
): Promise<{ seq: number; id: string; role: string; replyTo?: string[] }[]> {
	const all: { seq: number; id: string; role: string; replyTo?: string[] }[] = [];
	let after = 0;
	for (let page = 0; page < 1000; page++) {
		const response = await fetch(`${base}/api/sessions/${session.sessionId}/messages?after=${after}&limit=100`, {
			headers: { Authorization: `Bearer ${session.token}` },
			signal: AbortSignal.timeout(10_000),
		});
		if (!response.ok) throw new Error(`transcript answered ${response.status}`);
		const body = (await response.json()) as { messages: { seq: number; id: string; role: string; replyTo?: string[] }[]; hasMore: boolean };
		all.push(...body.messages);
		if (!body.hasMore || body.messages.length === 0) break;
		after = body.messages.at(-1)?.seq ?? after;
	}
	return all;
}

/**
 * Checks the exactly-once invariant on a transcript: every user message is
 * answered by exactly one reply, no user message is stored twice, and seq
 * has no gaps. Returns the problems found.
 */
export function auditTranscript(
	messages: { seq: number; id: string; role: string; replyTo?: string[] }[],
	expectedUserIds: string[],
): { lost: number; duplicated: number; gaps: number } {
	const userIds = messages.filter((m) => m.role === "user").map((m) => m.id);
	const answers = messages.flatMap((m) => (m.role === "user" ? [] : (m.replyTo ?? [])));
	const lost = expectedUserIds.filter((id) => !userIds.includes(id) || !answers.includes(id)).length;
	const duplicated = userIds.length - new Set(userIds).size + (answers.length - new Set(answers).size);
	// Seqs missing between 1 and the highest one seen (duplicated seqs are counted above as duplicates).
	const seqs = new Set(messages.map((m) => m.seq));
	const highest = Math.max(0, ...seqs);
	const gaps = highest - seqs.size;
	return { lost, duplicated, gaps };
}
