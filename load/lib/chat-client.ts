/**
 * The load and bench suites' view of a chat session, built on the SDK
 * (src/sdk): creates sessions, posts messages, and follows each message over
 * the session's socket from POST to its own echo, the first delta and the
 * final reply. Every frame it counts has been validated by the SDK; a frame
 * outside the contract is reported and never reaches the bookkeeping (so the
 * audit sees its seq as undelivered).
 */
import WebSocket from "ws";
import {
	ChatApi,
	ChatConnection,
	type Message,
	ProblemError,
	ProtocolError,
	type ChatSocket as SdkSocket,
	type ServerFrame,
	type SessionRef,
} from "../../src/sdk/node";
import { HANDOFF_TEXT } from "../../src/shared/text/person-request";

export type ChatSession = SessionRef;

/** A validated server frame (CONTRACT §4). */
export type Frame = ServerFrame;

/** Timings of one message, in ms from the moment its POST was sent. */
export interface TurnTiming {
	acceptMs: number;
	echoMs?: number;
	firstDeltaMs?: number;
	finalMs?: number;
	replySeq?: number;
	/** Accepted once the conversation was handed to people (CONTRACT §7): the assistant stays silent, by design. */
	handedOver?: boolean;
}

export async function createSession(base: string, timeoutMs = 10_000): Promise<ChatSession> {
	try {
		const { sessionId, token } = await new ChatApi({ baseUrl: base, timeoutMs }).createSession();
		return { sessionId, token };
	} catch (error) {
		throw answered("session creation", error);
	}
}

/** The SDK's errors in the load summary's short words: "POST answered 503", not the problem's detail. */
function answered(what: string, error: unknown): unknown {
	if (error instanceof ProblemError) return new Error(`${what} answered ${error.status}`, { cause: error });
	if (error instanceof ProtocolError) return new Error(`${what} answered an unexpected body`, { cause: error });
	return error;
}

/** A `ws` socket for the SDK that records the status of a refused handshake (the global WebSocket hides it). */
function openSocket(refused: { status?: number }) {
	return (url: string, protocols: string[]): SdkSocket => {
		const ws = new WebSocket(url, protocols);
		ws.once("unexpected-response", (_request, response) => {
			refused.status = response.statusCode;
			ws.terminate();
		});
		return ws;
	};
}

/** A session's socket, tracking every message posted through `send`. */
export class ChatSocket {
	readonly session: ChatSession;
	connectMs = 0;
	/** Highest seq seen, for resuming with `after`. */
	lastSeq = 0;
	readonly seqs = new Set<number>();
	/** `message` frames for a seq this socket had already received. */
	duplicates = 0;
	/** Frames outside the contract (also logged). */
	invalidFrames = 0;
	/** The conversation was handed to people (a `status` frame `escalated`): the assistant answers nothing sent after. */
	escalated = false;
	readonly #api: ChatApi;
	readonly #chat: ChatConnection;
	readonly #pending = new Map<string, { sent: number; timing: TurnTiming; done: () => void }>();
	readonly #turns = new Map<string, string[]>();
	#onFrame: ((frame: Frame) => void) | undefined;

	private constructor(api: ChatApi, session: ChatSession, chat: ChatConnection, after: number) {
		this.#api = api;
		this.session = session;
		this.#chat = chat;
		this.lastSeq = after;
		chat.on("frame", (frame) => this.#handle(frame));
		chat.on("invalid", ({ data, reason }) => {
			if (this.invalidFrames++ === 0)
				console.error(`socket ${session.sessionId}: frame outside the contract: ${data.slice(0, 200)} (${reason.slice(0, 200)})`);
		});
		// A closed socket will deliver no reply: settle the waiting sends at once instead of at their timeouts.
		chat.on("close", () => {
			for (const pending of this.#pending.values()) pending.done();
		});
	}

	/** Opens the socket and resolves once the `ready` frame (and the replay after it) has started. */
	static async connect(base: string, session: ChatSession, after = 0, timeoutMs = 10_000): Promise<ChatSocket> {
		const started = performance.now();
		const api = new ChatApi({ baseUrl: base });
		const refused: { status?: number } = {};
		// No heartbeat and no reconnect: load runs measure their own drops and resumes.
		const chat = new ChatConnection({
			url: api.socketUrl(session.sessionId),
			token: session.token,
			after,
			reconnect: false,
			heartbeatMs: 0,
			openSocket: openSocket(refused),
		});
		const socket = new ChatSocket(api, session, chat, after);
		const ready = chat.ready(timeoutMs);
		chat.start();
		try {
			await ready;
		} catch (error) {
			chat.drop("no ready");
			if (refused.status !== undefined) throw new Error(`socket: handshake answered ${refused.status}`, { cause: error });
			throw error;
		}
		socket.connectMs = performance.now() - started;
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
			try {
				await this.#api.postMessage(this.session, { id, text }, { signal: AbortSignal.timeout(timeoutMs) });
			} catch (error) {
				throw answered("POST", error);
			} finally {
				timing.acceptMs = performance.now() - sent;
			}
			await Promise.race([replied, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
			return timing;
		} finally {
			clearTimeout(timer);
			this.#pending.delete(id);
		}
	}

	close(): void {
		this.#chat.stop();
	}

	/** Drops the connection abruptly, as a flaky network would. */
	terminate(): void {
		this.#chat.drop("terminated");
	}

	#handle(frame: Frame): void {
		const now = performance.now();
		if (frame.type === "message") {
			if (this.seqs.has(frame.seq)) this.duplicates++;
			this.seqs.add(frame.seq);
			this.lastSeq = Math.max(this.lastSeq, frame.seq);
			if (frame.role === "user") {
				const pending = this.#pending.get(frame.id);
				if (pending && pending.timing.echoMs === undefined) pending.timing.echoMs = now - pending.sent;
				// Stored after the handoff's frame: people answer it, and the assistant never will.
				if (pending && this.escalated) {
					pending.timing.handedOver = true;
					pending.done();
				}
			} else {
				// The handoff notice says it too, and unlike the status frame it is replayed to a socket that was away.
				if (frame.role === "system" && frame.text === HANDOFF_TEXT) this.escalated = true;
				for (const id of frame.replyTo ?? []) {
					const pending = this.#pending.get(id);
					if (!pending) continue;
					pending.timing.finalMs = now - pending.sent;
					pending.timing.replySeq = frame.seq;
					pending.done();
				}
			}
		} else if (frame.type === "status") {
			this.#turns.set(frame.turn, frame.replyTo);
			if (frame.state === "escalated") this.escalated = true;
		} else if (frame.type === "delta") {
			for (const id of this.#turns.get(frame.turn) ?? []) {
				const pending = this.#pending.get(id);
				if (pending && pending.timing.firstDeltaMs === undefined) pending.timing.firstDeltaMs = now - pending.sent;
			}
		}
		this.#onFrame?.(frame);
	}
}

/** The committed transcript over HTTP, every page of it, validated. */
export async function transcript(base: string, session: ChatSession): Promise<Message[]> {
	try {
		return await new ChatApi({ baseUrl: base, timeoutMs: 10_000 }).allMessages(session);
	} catch (error) {
		throw answered("transcript", error);
	}
}

/**
 * Checks the exactly-once invariant on a transcript: every user message is
 * answered by exactly one reply (or, once the conversation was handed to
 * people, left to them), no user message is stored twice, and seq has no
 * gaps. Returns the problems found.
 */
export function auditTranscript(
	messages: { seq: number; id: string; role: string; text?: string; replyTo?: string[] }[],
	expectedUserIds: string[],
): { lost: number; duplicated: number; gaps: number } {
	const userIds = messages.filter((m) => m.role === "user").map((m) => m.id);
	const answers = messages.flatMap((m) => (m.role === "user" ? [] : (m.replyTo ?? [])));
	// After the handoff notice people answer (CONTRACT §7): the assistant's silence there loses nothing.
	const handedAt = messages.find((m) => m.role === "system" && m.text === HANDOFF_TEXT)?.seq ?? Number.POSITIVE_INFINITY;
	const forPeople = new Set(messages.filter((m) => m.role === "user" && m.seq > handedAt).map((m) => m.id));
	const lost = expectedUserIds.filter((id) => !userIds.includes(id) || !(answers.includes(id) || forPeople.has(id))).length;
	const duplicated = userIds.length - new Set(userIds).size + (answers.length - new Set(answers).size);
	// Seqs missing between 1 and the highest one seen (duplicated seqs are counted above as duplicates).
	const seqs = new Set(messages.map((m) => m.seq));
	const highest = Math.max(0, ...seqs);
	const gaps = highest - seqs.size;
	return { lost, duplicated, gaps };
}
