/**
 * One turn, one id (CONTRACT §4): through a raw socket on the real runtime,
 * every `status` and `delta` frame of the reply to a message carries the
 * `turn` its `queued` frame named, and every turn id seen `queued` reaches a
 * terminal state under that id: a plain turn, two messages answered by one
 * turn, a turn given back and retried, a turn recovered by the watchdog after
 * an eviction, a turn failed in part, a socket that joins late, and rows an
 * older build left in SQLite.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import type { ServerFrame } from "../../src/sdk";
import { connect, createdHub, fireAlarm, holdJobs, sql, type TestSocket } from "../support/hub";

type StatusFrame = Extract<ServerFrame, { type: "status" }>;

const TERMINAL = new Set(["done", "failed", "escalated"]);

function statuses(frames: readonly ServerFrame[]): StatusFrame[] {
	return frames.filter((f): f is StatusFrame => f.type === "status");
}

/** The states each turn id went through, in order. */
function lifecycles(frames: readonly ServerFrame[]): Record<string, string[]> {
	const byTurn: Record<string, string[]> = {};
	for (const f of statuses(frames)) byTurn[f.turn] = [...(byTurn[f.turn] ?? []), f.state];
	return byTurn;
}

/** Turn ids whose last status is not a terminal one: for a client tracking turns by id, stuck. */
function unended(frames: readonly ServerFrame[]): string[] {
	return Object.entries(lifecycles(frames)).flatMap(([turn, states]) => (TERMINAL.has(states.at(-1) ?? "") ? [] : [turn]));
}

/** The turn ids the `delta` frames carried. */
function deltaTurns(frames: readonly ServerFrame[]): string[] {
	return [...new Set(frames.flatMap((f) => (f.type === "delta" ? [f.turn] : [])))];
}

async function queuedTurn(socket: TestSocket, messageId: string): Promise<string> {
	const queued = await socket.waitFor((f) => f.type === "status" && f.state === "queued" && f.replyTo.includes(messageId));
	if (queued.type !== "status") throw new Error("not a status frame");
	return queued.turn;
}

async function turnEnd(socket: TestSocket, turn: string, timeoutMs = 5000): Promise<StatusFrame> {
	const end = await socket.waitFor((f) => f.type === "status" && f.turn === turn && TERMINAL.has(f.state), timeoutMs);
	if (end.type !== "status") throw new Error("not a status frame");
	return end;
}

describe("SessionHub: one turn, one id", () => {
	it("names a reply by the id of its queued frame from queued to done, through the real queue and consumer", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		await hub.accept({ id: "q1", text: "How do I reset my password?" });
		const turn = await queuedTurn(socket, "q1");
		const end = await turnEnd(socket, turn);
		expect(end).toEqual({ type: "status", turn, state: "done", replyTo: ["q1"] });
		expect(lifecycles(socket.frames)).toEqual({ [turn]: ["queued", "thinking", "streaming", "done"] });
		expect(deltaTurns(socket.frames)).toEqual([turn]);
		expect(unended(socket.frames)).toEqual([]);
	});

	it("answers two messages queued together with one turn under the id both queued frames named", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const socket = await connect(hub);
		await hub.accept({ id: "q1", text: "How do I reset my password?" });
		await hub.accept({ id: "q2", text: "And how do I enable two-factor authentication?" });
		const turn = await queuedTurn(socket, "q1");
		expect(await queuedTurn(socket, "q2")).toBe(turn);
		expect(statuses(socket.frames)).toEqual([
			{ type: "status", turn, state: "queued", replyTo: ["q1"] },
			{ type: "status", turn, state: "queued", replyTo: ["q1", "q2"] },
		]);
		await hub.runTurn({ messageIds: ["q1"], attempt: 1 });
		await turnEnd(socket, turn);
		const reply = socket.frames.find((f) => f.type === "message" && f.role === "assistant");
		expect(reply).toMatchObject({ replyTo: ["q1", "q2"] });
		expect(lifecycles(socket.frames)).toEqual({ [turn]: ["queued", "queued", "thinking", "streaming", "done"] });
		expect(deltaTurns(socket.frames)).toEqual([turn]);
	});

	it("queues a turn given back after a failure again under its id, and its retry ends under it", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const socket = await connect(hub);
		await hub.accept({ id: "q1", text: "How do I reset my password?" });
		const turn = await queuedTurn(socket, "q1");
		const first = await hub.beginTurn({ messageIds: ["q1"] });
		if (first.kind !== "started") throw new Error("turn did not start");
		await hub.appendDelta({ turnId: first.turnId, text: "Partial " });
		await hub.abandonTurn(first.turnId);
		// The attempt that gave the turn back is fenced off, although the turn's public id is unchanged.
		expect(await hub.appendDelta({ turnId: first.turnId, text: "late" })).toEqual({ ok: false, reason: "superseded" });
		await hub.runTurn({ messageIds: ["q1"], attempt: 2 });
		await turnEnd(socket, turn);
		expect(lifecycles(socket.frames)).toEqual({ [turn]: ["queued", "thinking", "streaming", "queued", "thinking", "streaming", "done"] });
		expect(deltaTurns(socket.frames)).toEqual([turn]);
	});

	it("merges the turn queued behind a turn given back into its retry, and ends both ids when the retry ends", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const socket = await connect(hub);
		await hub.accept({ id: "q1", text: "How do I reset my password?" });
		const first = await hub.beginTurn({ messageIds: ["q1"] });
		if (first.kind !== "started") throw new Error("turn did not start");
		await hub.accept({ id: "q2", text: "And how do I enable two-factor authentication?" });
		const turn = await queuedTurn(socket, "q1");
		const later = await queuedTurn(socket, "q2");
		expect(later).not.toBe(turn);
		await hub.abandonTurn(first.turnId);
		// Given back: queued again under its own id, now with the message queued behind it (the mapping frame).
		await socket.waitFor((f) => f.type === "status" && f.turn === turn && f.state === "queued" && f.replyTo.length === 2);
		await hub.runTurn({ messageIds: ["q1"], attempt: 2 });
		await turnEnd(socket, turn);
		expect(await turnEnd(socket, later)).toEqual({ type: "status", turn: later, state: "done", replyTo: ["q2"] });
		const reply = socket.frames.find((f) => f.type === "message" && f.role === "assistant");
		expect(reply).toMatchObject({ replyTo: ["q1", "q2"] });
		expect(statuses(socket.frames).find((f) => f.turn === turn && f.state === "thinking" && f.replyTo.length === 2)).toBeDefined();
		expect(deltaTurns(socket.frames)).toEqual([turn]);
		expect(unended(socket.frames)).toEqual([]);
	});

	it("keeps the id through an eviction: the watchdog recovers a turn whose owner died, and it ends under the same id", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const socket = await connect(hub);
		await hub.accept({ id: "q1", text: "How do I reset my password?" });
		const turn = await queuedTurn(socket, "q1");
		const first = await hub.beginTurn({ messageIds: ["q1"] });
		if (first.kind !== "started") throw new Error("turn did not start");
		// The owner dies with the instance: nothing remains but SQLite, and the lease runs out.
		await evictDurableObject(hub);
		await sql(hub, "UPDATE turns SET lease_until = ?", Date.now() - 1);
		await fireAlarm(hub);
		// The alarm re-drove the job through the real queue; the real consumer opened the next attempt.
		await turnEnd(socket, turn);
		expect(lifecycles(socket.frames)).toEqual({ [turn]: ["queued", "thinking", "queued", "thinking", "streaming", "done"] });
		expect(deltaTurns(socket.frames)).toEqual([turn]);
	});

	it("keeps a turn failed in part queued for the messages left, then ends it failed under its id", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const socket = await connect(hub);
		await hub.accept({ id: "q1", text: "hello?" });
		await hub.accept({ id: "q2", text: "anyone?" });
		const turn = await queuedTurn(socket, "q1");
		await hub.failMessages({ messageIds: ["q1"], reason: "test" });
		await socket.waitFor((f) => f.type === "status" && f.turn === turn && f.state === "queued" && f.replyTo.join() === "q2");
		expect(unended(socket.frames)).toEqual([turn]);
		await hub.failMessages({ messageIds: ["q2"], reason: "test" });
		expect(await turnEnd(socket, turn)).toEqual({ type: "status", turn, state: "failed", replyTo: ["q2"] });
		expect(Object.keys(lifecycles(socket.frames))).toEqual([turn]);
	});

	it("tells a socket joining while a turn is queued, or mid-stream, the turn's id", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const first = await connect(hub);
		await hub.accept({ id: "q1", text: "How do I reset my password?" });
		const turn = await queuedTurn(first, "q1");
		const whileQueued = await connect(hub);
		await whileQueued.waitFor((f) => f.type === "status" && f.turn === turn && f.state === "queued");
		const begun = await hub.beginTurn({ messageIds: ["q1"] });
		if (begun.kind !== "started") throw new Error("turn did not start");
		await hub.appendDelta({ turnId: begun.turnId, text: "Hello" });
		const midStream = await connect(hub);
		await midStream.waitFor((f) => f.type === "status" && f.state === "streaming");
		expect(midStream.frames.filter((f) => f.type === "delta" || f.type === "status")).toEqual([
			{ type: "delta", turn, offset: 0, text: "Hello" },
			{ type: "status", turn, state: "streaming", replyTo: ["q1"] },
		]);
	});

	it("answers rows an older build left (no public turn ids) under the ids their clients were shown", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		const now = Date.now();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const db = state.storage.sql;
			db.exec("ALTER TABLE messages DROP COLUMN public_turn");
			db.exec("ALTER TABLE turns DROP COLUMN public_turn");
			// A turn of the older build answering "old1", whose owner died, and "old2" queued behind it: its
			// clients saw `queued` "old1", then `thinking` "turn_legacy"; and `queued` "old2".
			const insert =
				"INSERT INTO messages (seq, id, role, text, created_at, status, turn_id, enqueued_at) VALUES (?, ?, 'user', ?, ?, 'complete', ?, ?)";
			db.exec(insert, 1, "old1", "How do I reset my password?", new Date(now).toISOString(), "turn_legacy", now);
			db.exec(insert, 2, "old2", "And two-factor authentication?", new Date(now).toISOString(), null, now);
			db.exec("INSERT INTO turns (id, state, reply_to, lease_until) VALUES ('turn_legacy', 'thinking', '[\"old1\"]', ?)", now - 1);
		});
		// The new build starts on that database and adds its columns.
		await evictDurableObject(hub);
		await hub.runTurn({ messageIds: ["old2"], attempt: 1 });
		await turnEnd(socket, "turn_legacy");
		expect(await turnEnd(socket, "old2")).toMatchObject({ state: "done", replyTo: ["old2"] });
		expect(lifecycles(socket.frames)).toEqual({ turn_legacy: ["queued", "thinking", "streaming", "done"], old2: ["done"] });
		expect(deltaTurns(socket.frames)).toEqual(["turn_legacy"]);
	});
});
