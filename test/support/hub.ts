/** Helpers for SessionHub tests: fresh hubs, and state seeded without going through the queue. */

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import { type ChatSocket, type InvalidFrame, parseServerFrame, type ServerFrame, type WebSocketFactory } from "../../src/sdk";
import { newId } from "../../src/shared/ids";
import { decodeJob } from "../../src/shared/schemas/queue";
import { sessionHub } from "../../src/shared/stubs";

export function freshHub(): { sessionId: string; hub: DurableObjectStub<SessionHub> } {
	const sessionId = newId("ses");
	return { sessionId, hub: sessionHub(env, sessionId) };
}

export async function createdHub(): Promise<{ sessionId: string; hub: DurableObjectStub<SessionHub> }> {
	const fresh = freshHub();
	await fresh.hub.create({ sessionId: fresh.sessionId, createdAt: new Date().toISOString() });
	return fresh;
}

/** Stores user messages as accepted but not enqueued, so no background consumer races the test. */
export async function seedUserMessages(hub: DurableObjectStub<SessionHub>, entries: { id: string; text: string }[]): Promise<void> {
	await runInDurableObject(hub, (_instance: SessionHub, state) => {
		const store = new SessionStore(state.storage.sql);
		for (const { id, text } of entries) store.append({ id, role: "user", text, status: "complete", enqueuedAt: Date.now() });
	});
}

export async function sql<T extends Record<string, SqlStorageValue>>(
	hub: DurableObjectStub<SessionHub>,
	query: string,
	...bindings: SqlStorageValue[]
): Promise<T[]> {
	return runInDurableObject(hub, (_instance: SessionHub, state) => {
		const rows = state.storage.sql.exec<T>(query, ...bindings).toArray();
		// A write here is not the store's: what it remembers of the tables must be read again.
		new SessionStore(state.storage.sql).forget();
		return rows;
	});
}

export interface TestSocket {
	ws: WebSocket;
	frames: ServerFrame[];
	/** Frames outside the contract; `waitFor` fails at once when there is one. */
	invalid: InvalidFrame[];
	closed: Promise<{ code: number; reason: string }>;
	waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
}

/** Opens a socket straight to the hub (the ingress has authenticated by then in production). */
export async function connect(hub: DurableObjectStub<SessionHub>, after = 0): Promise<TestSocket> {
	const response = await hub.fetch(`http://hub/ws?after=${after}`, {
		headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "chat.v1" },
	});
	const ws = response.webSocket;
	if (!ws) throw new Error(`no socket: ${response.status}`);
	const frames: ServerFrame[] = [];
	const invalid: InvalidFrame[] = [];
	const waiters = new Set<() => void>();
	ws.accept();
	ws.addEventListener("message", (event) => {
		const parsed = typeof event.data === "string" ? parseServerFrame(event.data) : undefined;
		if (parsed?.ok) frames.push(parsed.frame);
		else invalid.push(parsed?.invalid ?? { data: "(binary frame)", reason: "not a text frame" });
		for (const wake of waiters) wake();
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
	);
	const waitFor = (predicate: (frame: ServerFrame) => boolean, timeoutMs = 3000) =>
		new Promise<ServerFrame>((resolve, reject) => {
			const check = () => {
				const found = frames.find(predicate);
				if (!found && invalid.length === 0) return;
				waiters.delete(check);
				clearTimeout(timer);
				if (found) resolve(found);
				else reject(new Error(`the hub sent a frame outside the contract: ${JSON.stringify(invalid[0])}`));
			};
			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
			}, timeoutMs);
			waiters.add(check);
			check();
		});
	return { ws, frames, invalid, closed, waitFor };
}

/** Schedules the alarm for now and runs it, as the runtime does when it fires. */
export async function fireAlarm(hub: DurableObjectStub<SessionHub>): Promise<void> {
	await runInDurableObject(hub, (_instance: SessionHub, state) => state.storage.setAlarm(Date.now()));
	if (!(await runDurableObjectAlarm(hub))) throw new Error("the alarm did not run");
}

/** Replaces one binding of a live hub instance, as a failing or slow dependency would behave (until the instance is evicted). */
export async function withBinding(hub: DurableObjectStub<SessionHub>, name: keyof Env, value: unknown): Promise<void> {
	await runInDurableObject(hub, (instance: SessionHub) => {
		Reflect.set(instance, "env", { ...env, [name]: value });
	});
}

/**
 * Keeps the hub's chat-turn jobs from the real consumer, so the test opens
 * turns itself (`runTurn`, `beginTurn`) when it chooses; returns the message
 * ids of every job sent meanwhile.
 */
export async function holdJobs(hub: DurableObjectStub<SessionHub>): Promise<string[][]> {
	const held: string[][] = [];
	const hold = (body: unknown) => held.push(decodeJob(body).messageIds);
	await withBinding(hub, "CHAT_QUEUE", {
		send: async (body: unknown) => hold(body),
		sendBatch: async (messages: { body: unknown }[]) => {
			for (const message of messages) hold(message.body);
		},
	});
	return held;
}

/**
 * Opens SDK sockets straight to the hub, as `ChatConnection`'s `openSocket`:
 * the upgrade is a promise, so the socket reports `open` once it resolves.
 * @example new ChatConnection({ url: "ws://hub/ws", token: "t", openSocket: hubSockets(hub) })
 */
export function hubSockets(hub: DurableObjectStub<SessionHub>): WebSocketFactory {
	return (url, protocols) => new HubSocket(hub, url, protocols);
}

class HubSocket implements ChatSocket {
	readyState = 0;
	protocol = "";
	#ws: WebSocket | undefined;
	readonly #listeners = new Map<string, ((event: { data: unknown; code: number; reason: string }) => void)[]>();

	constructor(hub: DurableObjectStub<SessionHub>, url: string, protocols: string[]) {
		const upgrade = hub.fetch(`http://hub/ws${new URL(url).search}`, {
			headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": protocols.join(", ") },
		});
		upgrade.then(
			(response) => {
				const ws = response.webSocket;
				if (!ws) return this.#closed(1006, `no socket: ${response.status}`);
				ws.accept();
				this.#ws = ws;
				this.readyState = 1;
				this.protocol = response.headers.get("Sec-WebSocket-Protocol") ?? "";
				ws.addEventListener("message", (event) => this.#emit("message", { data: event.data, code: 0, reason: "" }));
				ws.addEventListener("close", (event) => this.#closed(event.code, event.reason));
				this.#emit("open", { data: undefined, code: 0, reason: "" });
			},
			() => this.#closed(1006, "upgrade failed"),
		);
	}

	addEventListener(type: "open", listener: () => void): void;
	addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
	addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
	addEventListener(type: "error", listener: () => void): void;
	addEventListener(type: string, listener: (event: { data: unknown; code: number; reason: string }) => void): void {
		this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
	}

	send(data: string): void {
		this.#ws?.send(data);
	}

	close(code?: number, reason?: string): void {
		this.readyState = 3;
		this.#ws?.close(code, reason);
	}

	#closed(code: number, reason: string): void {
		if (this.readyState === 3) return;
		this.readyState = 3;
		this.#emit("close", { data: undefined, code, reason });
	}

	#emit(type: string, event: { data: unknown; code: number; reason: string }): void {
		for (const listener of this.#listeners.get(type) ?? []) listener(event);
	}
}
