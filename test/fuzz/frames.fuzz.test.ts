/**
 * Property-based fuzzing of the chat socket's client frames (CONTRACT §4), on users' sockets and on
 * agents' (CONTRACT §7: the same protocol, a `send` is the agent's message):
 * real sockets opened through the Worker, sent generated frames (random
 * JSON, near-valid `send` and `ping` frames, non-JSON text, binary, big
 * frames under the 16 KiB limit).
 *
 * Properties: every server frame is one the contract defines; an invalid
 * frame gets exactly one `error` frame (bad_frame, rate_limited or
 * unavailable) and the socket stays open; a valid `send` gets its `message`
 * echo (or a rate_limited/unavailable error); a ping gets a pong; and the
 * transcript holds exactly the messages that were echoed as accepted.
 * A failure prints fast-check's seed and counterexample; `FUZZ_SEED=<seed>`
 * replays the run.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { MAX_CLIENT_FRAME_BYTES, serverFrameSchema } from "../../src/shared/schemas/frames";
import { expectationFor, type Frame, frameCase, ID } from "./frame-cases";
import {
	assertProperty,
	createPool,
	escapeLoneSurrogates,
	expectTranscriptMatchesModel,
	fuzzOptions,
	leaksIn,
	type PoolSession,
	parseJson,
	recordAccepted,
	withTranscriptCheck,
	workerFetch,
} from "./support";

/** With the HTTP suite's default this makes well over 2,000 cases per CI run, in a few seconds each. */
const OPTIONS = fuzzOptions(1000);
/** About 80 cases per session: a fifth are valid sends, so the 30-a-minute limit leaves most of them accepted. */
const POOL_SIZE = Math.max(4, Math.ceil(OPTIONS.numRuns / 80));
/** How long a frame may go unanswered; a local hub answers in milliseconds, but the 2 cores are shared. */
const REPLY_TIMEOUT_MS = 5000;
/**
 * Sent after each case's reply and answered with a pong by the hub itself.
 * Not the exact PING_TEXT: that one is answered by the runtime, out of order
 * with the hub's replies, so it could not mark where a case's replies end.
 */
const BARRIER = '{ "type": "ping" }';

// ---- Sockets ----

/**
 * The server frames of CONTRACT §4. The product's schema has no `summary`
 * frame yet (nothing sends one); the contract defines it, so it is allowed.
 */
const contractFrameSchema = z.union([
	serverFrameSchema,
	z.object({ type: z.literal("summary"), text: z.string(), throughSeq: z.number().int().min(0) }),
]);
type ContractFrame = z.infer<typeof contractFrameSchema>;

interface Received {
	text: string | undefined;
	frame: ContractFrame | undefined;
}

/** Whose socket: the user's, or an agent's holding the conversation (CONTRACT §7: the same frames; a `send` is the agent's message). */
type Side = { as: "user" } | { as: "agent"; token: string };

interface FuzzSocket {
	session: PoolSession;
	side: Side;
	ws: WebSocket;
	received: Received[];
	closed: { code: number; reason: string } | undefined;
	wake: Set<() => void>;
	/** A case failed mid-way: its late frames may still arrive, so the next case first waits for quiet. */
	dirty: boolean;
}

async function open(session: PoolSession, side: Side = { as: "user" }): Promise<FuzzSocket> {
	const [path, credential] =
		side.as === "user"
			? [`/api/sessions/${session.sessionId}/ws`, `bearer.${session.token}`]
			: [`/api/agent/conversations/${session.sessionId}/ws`, `agent.${side.token}`];
	const response = await workerFetch(path, {
		headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": `chat.v1, ${credential}`, "CF-Connecting-IP": session.ip },
	});
	const ws = response.webSocket;
	if (!ws) throw new Error(`no socket for ${session.sessionId}: ${response.status} ${await response.text()}`);
	ws.accept();
	const socket: FuzzSocket = { session, side, ws, received: [], closed: undefined, wake: new Set(), dirty: false };
	ws.addEventListener("message", (event) => {
		const text = typeof event.data === "string" ? event.data : undefined;
		socket.received.push({ text, frame: text === undefined ? undefined : contractFrameSchema.safeParse(parseJson(text)).data });
		for (const wake of socket.wake) wake();
	});
	ws.addEventListener("close", (event) => {
		socket.closed = { code: event.code, reason: event.reason };
		for (const wake of socket.wake) wake();
	});
	const ready = await waitFor(
		socket,
		() => {
			const first = socket.received[0]?.frame;
			return first?.type === "ready" ? first : undefined;
		},
		"the ready frame",
	);
	// A reopened socket replays the transcript first; those frames belong to no case.
	const replayed = () => socket.received.some((r) => r.frame?.type === "message" && r.frame.seq >= ready.lastSeq);
	if (ready.lastSeq > 0) await waitFor(socket, () => (replayed() ? true : undefined), "the replay");
	return socket;
}

/** Resolves with `find`'s first defined answer, re-asked at every frame; rejects on close or timeout. */
function waitFor<T>(socket: FuzzSocket, find: () => T | undefined, what: string, timeoutMs = REPLY_TIMEOUT_MS): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const check = () => {
			const found = find();
			if (found !== undefined) return finish(() => resolve(found));
			if (socket.closed) finish(() => reject(new Error(`socket closed (${socket.closed?.code}) while waiting for ${what}`)));
		};
		const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms`))), timeoutMs);
		const finish = (settle: () => void) => {
			clearTimeout(timer);
			socket.wake.delete(check);
			settle();
		};
		socket.wake.add(check);
		check();
	});
}

/**
 * Replies and echoes answer the client (a user's echo, or an agent's on an agent's socket; no one
 * else writes in the fuzz's sessions); the rest is the background of turns being answered and of
 * system notices (CONTRACT §4 live frames).
 */
function isBackground(frame: ContractFrame | undefined): boolean {
	if (!frame) return false;
	return (
		frame.type === "status" ||
		frame.type === "delta" ||
		frame.type === "summary" ||
		(frame.type === "message" && frame.role !== "user" && frame.role !== "agent")
	);
}

/** Index of the first non-background frame at or after `from`. */
function foregroundFrom(socket: FuzzSocket, from: number): number | undefined {
	for (let i = from; i < socket.received.length; i++) if (!isBackground(socket.received[i]?.frame)) return i;
	return undefined;
}

// ---- The properties ----

/** An agent holding every session of `pool`, as the console's claim makes one. */
async function agentHolding(pool: readonly PoolSession[]): Promise<Side> {
	const admin = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" };
	const created = await workerFetch("/api/admin/agents", { method: "POST", headers: admin, body: JSON.stringify({ name: "Frame fuzz" }) });
	const { token } = z.object({ token: z.string() }).parse(await created.json());
	for (const session of pool) {
		const claimed = await workerFetch(`/api/agent/conversations/${session.sessionId}/claim`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(claimed.status).toBe(200);
		await claimed.body?.cancel();
	}
	return { as: "agent", token };
}

describe.each(["user", "agent"] as const)("the %s's chat socket under generated frames", (as) => {
	let pool: PoolSession[] = [];
	const sockets: FuzzSocket[] = [];
	/** Replies seen, to prove the cases reached the hub's accept path. */
	const seen = { echoes: 0, errors: 0, pongs: 0 };

	beforeAll(async () => {
		pool = await createPool(POOL_SIZE, as === "user" ? 2 : 5);
		const side = as === "user" ? { as } : await agentHolding(pool);
		for (const session of pool) sockets.push(await open(session, side));
	});

	/** The case's socket, reopened if an earlier case closed it, and quiet if an earlier case failed mid-way. */
	async function socketFor(index: number): Promise<FuzzSocket> {
		const slot = index % sockets.length;
		let socket = sockets[slot];
		if (!socket) throw new Error("no sockets");
		if (socket.closed) {
			socket = await open(socket.session, socket.side);
			sockets[slot] = socket;
		}
		if (socket.dirty) {
			const current = socket;
			await new Promise((resolve) => setTimeout(resolve, 100));
			const from = current.received.length;
			current.ws.send(BARRIER);
			await waitFor(
				current,
				() => (current.received.slice(from).some((r) => r.frame?.type === "pong") ? true : undefined),
				"the barrier's pong",
			);
			await new Promise((resolve) => setTimeout(resolve, 20));
			current.dirty = false;
		}
		return socket;
	}

	it(`answers every frame as the contract says and keeps transcripts to what it echoed (${OPTIONS.numRuns} cases)`, {
		timeout: Math.max(60_000, OPTIONS.numRuns * 60),
	}, async () => {
		await assertProperty(
			fc.asyncProperty(frameCase, async (c) => {
				const socket = await socketFor(c.socket);
				try {
					await withTranscriptCheck(socket.session, () => runCase(socket, c.frame));
				} catch (error) {
					socket.dirty = true;
					throw error;
				}
			}),
			OPTIONS,
		);
		for (const session of pool) await expectTranscriptMatchesModel(session);
		for (const socket of sockets) expect(socket.closed, `socket of ${socket.session.sessionId}`).toBeUndefined();
		// Guards the generators: a fuzzer whose every frame is invalid would never test the accept path.
		if (OPTIONS.numRuns < 500) return;
		expect(seen.echoes, "valid sends were echoed").toBeGreaterThan(0);
		expect(seen.pongs, "pings were answered").toBeGreaterThan(0);
	});

	async function runCase(socket: FuzzSocket, frame: Frame): Promise<void> {
		const payload = frame.kind === "text" ? frame.text : frame.bytes;
		const bytes = frame.kind === "text" ? new TextEncoder().encode(frame.text).byteLength : frame.bytes.byteLength;
		expect(bytes, "generated frames stay under the 16 KiB close limit").toBeLessThanOrEqual(MAX_CLIENT_FRAME_BYTES);
		const expectation = expectationFor(frame);
		const mark = socket.received.length;
		socket.ws.send(payload);
		// Valid sends are answered after the hub's awaits, so the barrier goes only once the reply is in.
		const replyAt = await waitFor(socket, () => foregroundFrom(socket, mark), "reply");
		socket.ws.send(BARRIER);
		const barrierAt = await waitFor(
			socket,
			() => {
				const at = foregroundFrom(socket, replyAt + 1);
				return at !== undefined && socket.received[at]?.frame?.type === "pong" ? at : undefined;
			},
			"the barrier's pong",
		);
		const window = socket.received.slice(mark, barrierAt + 1);
		const context = escapeLoneSurrogates(
			`${JSON.stringify(expectation)}; received ${JSON.stringify(window.map((r) => r.text ?? "<binary>"))}`,
		);
		for (const received of window) {
			expect(received.frame, `every server frame is one CONTRACT §4 defines: ${context}`).toBeDefined();
			expect(leaksIn(received.text ?? "", frame.kind === "text" ? frame.text : ""), context).toEqual([]);
		}
		const foreground = window.filter((r) => !isBackground(r.frame));
		expect(foreground.length, `exactly one reply, then the barrier's pong: ${context}`).toBe(2);
		const reply = socket.received[replyAt]?.frame;
		expect(socket.closed, `the socket stays open: ${context}`).toBeUndefined();

		switch (expectation.kind) {
			case "invalid":
				expect(reply?.type === "error" ? reply.code : reply?.type, `an invalid frame gets an error frame: ${context}`).toMatch(
					/^(bad_frame|rate_limited|unavailable)$/,
				);
				seen.errors++;
				break;
			case "confirm":
				// A well-formed answer to a confirmation this session never asked for (CONTRACT §8): refused, the socket stays open.
				expect(reply?.type === "error" && reply.code, `an answer to no confirmation is refused: ${context}`).toBe("bad_frame");
				seen.errors++;
				break;
			case "ping":
				expect(reply?.type, `a ping gets a pong: ${context}`).toBe("pong");
				seen.pongs++;
				break;
			case "send":
				if (reply?.type === "error" && !(socket.side.as === "agent" && reply.code === "bad_frame")) {
					// Not accepted now (CONTRACT §4): the client resends the same id later.
					expect(reply.code, `a valid send is echoed, or refused for now: ${context}`).toMatch(/^(rate_limited|unavailable)$/);
					seen.errors++;
					break;
				}
				if (socket.side.as === "agent") {
					// An agent's message: echoed under role agent with its author; the user transcript model is not its business.
					if (reply?.type === "error" && reply.code === "bad_frame") {
						expect(socket.session.users.has(expectation.id ?? ""), `refused only when the id is a user message's: ${context}`).toBe(true);
						break;
					}
					expect(reply?.type === "message" && reply.role, `an agent's valid send gets its message echo: ${context}`).toBe("agent");
					if (reply?.type === "message" && expectation.id === undefined) expect(reply.text, context).toBe(expectation.text.trim());
					seen.echoes++;
					break;
				}
				expect(reply?.type === "message" && reply.role, `a valid send gets its message echo: ${context}`).toBe("user");
				if (reply?.type !== "message") break;
				if (expectation.id === undefined) {
					expect(reply.id, context).toMatch(ID);
					expect(reply.text, context).toBe(expectation.text.trim());
				}
				// The echo is the server's word that it accepted, as a 202 is over HTTP.
				recordAccepted(
					socket.session,
					{ id: expectation.id, text: expectation.text },
					{
						messageId: reply.id,
						seq: reply.seq,
						duplicate: socket.session.users.has(reply.id),
					},
				);
				expect(reply.text, `the echo carries the stored text: ${context}`).toBe(socket.session.users.get(reply.id)?.text);
				seen.echoes++;
				break;
		}
	}

	it.runIf(as === "user")("keeps a frame of exactly 16 KiB open and answers it", async () => {
		const [session] = await createPool(1, 3);
		if (!session) throw new Error("no session");
		const socket = await open(session);
		const mark = socket.received.length;
		socket.ws.send("z".repeat(MAX_CLIENT_FRAME_BYTES));
		const at = await waitFor(socket, () => foregroundFrom(socket, mark), "reply");
		expect(socket.received[at]?.frame).toMatchObject({ type: "error", code: "bad_frame" });
		expect(socket.closed).toBeUndefined();
		socket.ws.close(1000, "done");
	});

	it.runIf(as === "user")("closes the socket with 1009 for a frame over 16 KiB", async () => {
		const [session] = await createPool(1, 4);
		if (!session) throw new Error("no session");
		const socket = await open(session);
		socket.ws.send(JSON.stringify({ type: "send", text: "x".repeat(MAX_CLIENT_FRAME_BYTES) }));
		const closed = await waitFor(socket, () => socket.closed, "the close");
		expect(closed.code).toBe(1009);
		await expectTranscriptMatchesModel(session);
	});
});
