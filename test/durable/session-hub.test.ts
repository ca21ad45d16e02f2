import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_REQUEUES, TURN_LEASE_MS } from "../../src/durable/session-hub/session-hub";
import { MAX_SOCKETS_PER_SESSION } from "../../src/durable/session-hub/sockets";
import { connect, createdHub, fireAlarm, freshHub, seedUserMessages, sql } from "../support/hub";

describe("SessionHub: accepting messages", () => {
	it("refuses messages for a session that was never created", async () => {
		const { hub } = freshHub();
		expect(await hub.accept({ text: "hi" })).toEqual({ ok: false, reason: "not_found" });
	});

	it("assigns gapless seqs and is idempotent on the message id", async () => {
		const { hub } = await createdHub();
		const results = [
			await hub.accept({ id: "a", text: "one" }),
			await hub.accept({ id: "b", text: "two" }),
			await hub.accept({ id: "a", text: "one" }),
		];
		expect(results).toEqual([
			{ ok: true, messageId: "a", seq: 1, duplicate: false },
			{ ok: true, messageId: "b", seq: 2, duplicate: false },
			{ ok: true, messageId: "a", seq: 1, duplicate: true },
		]);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages.map((m) => m.seq)).toEqual([1, 2]);
	});

	it("keeps the transcript across eviction", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "kept", text: "still here?" }]);
		await evictDurableObject(hub);
		expect((await hub.list({ after: 0, limit: 10 }))?.messages).toMatchObject([{ seq: 1, id: "kept", text: "still here?" }]);
	});
});

describe("SessionHub: turns", () => {
	it("opens one turn for all waiting messages and reports the rest as owned", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [
			{ id: "q1", text: "hi" },
			{ id: "q2", text: "refunds?" },
		]);
		const begun = await hub.beginTurn({ messageIds: ["q1"] });
		expect(begun).toMatchObject({ kind: "started", replyTo: ["q1", "q2"] });
		expect(begun.kind === "started" && begun.history.map((m) => m.id)).toEqual(["q1", "q2"]);
		expect(await hub.beginTurn({ messageIds: ["q2"] })).toEqual({ kind: "in_progress", covered: true });
	});

	it("commits the reply once and then reports the job as answered", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const begun = await hub.beginTurn({ messageIds: ["q"] });
		if (begun.kind !== "started") throw new Error("turn did not start");
		expect(await hub.appendDelta({ turnId: begun.turnId, text: "Hello" })).toEqual({ ok: true });
		const done = { turnId: begun.turnId, text: "Hello!", status: "complete" as const, citations: [{ id: "a", title: "A" }] };
		expect(await hub.completeTurn(done)).toEqual({ ok: true });
		expect(await hub.completeTurn(done)).toEqual({ ok: true });
		const page = await hub.list({ after: 0, limit: 10 });
		expect(page?.messages.map((m) => [m.seq, m.role, m.replyTo ?? null])).toEqual([
			[1, "user", null],
			[2, "assistant", ["q"]],
		]);
		expect(page?.messages[1]?.citations).toEqual([{ id: "a", title: "A" }]);
		expect(await hub.beginTurn({ messageIds: ["q"] })).toEqual({ kind: "answered" });
	});

	it("lets a new delivery take over a turn whose lease expired, and fences off the old owner", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const first = await hub.beginTurn({ messageIds: ["q"] });
		if (first.kind !== "started") throw new Error("turn did not start");
		await sql(hub, "UPDATE turns SET lease_until = ?", Date.now() - 1);
		const second = await hub.beginTurn({ messageIds: ["q"] });
		expect(second.kind).toBe("started");
		expect(await hub.appendDelta({ turnId: first.turnId, text: "late" })).toEqual({ ok: false, reason: "superseded" });
		expect(await hub.completeTurn({ turnId: first.turnId, text: "late", status: "complete", citations: [] })).toEqual({
			ok: false,
			reason: "superseded",
		});
	});

	it("gives an abandoned turn's messages back to the next delivery at once", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const first = await hub.beginTurn({ messageIds: ["q"] });
		if (first.kind !== "started") throw new Error("turn did not start");
		await hub.abandonTurn(first.turnId);
		expect((await hub.beginTurn({ messageIds: ["q"] })).kind).toBe("started");
	});

	it("fails waiting messages visibly exactly once", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		expect(await hub.failMessages({ messageIds: ["q"], reason: "test" })).toEqual({ failed: 1 });
		expect(await hub.failMessages({ messageIds: ["q"], reason: "test" })).toEqual({ failed: 0 });
		const page = await hub.list({ after: 0, limit: 10 });
		expect(page?.messages[1]).toMatchObject({ seq: 2, role: "system", status: "failed", replyTo: ["q"] });
	});
});

describe("SessionHub: the watchdog alarm", () => {
	it("re-enqueues a stalled message, which then gets answered", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		await seedUserMessages(hub, [{ id: "stuck", text: "How do I reset my password?" }]);
		await sql(hub, "UPDATE messages SET enqueued_at = 0");
		await fireAlarm(hub);
		expect(await sql(hub, "SELECT requeues FROM messages WHERE id = 'stuck'")).toEqual([{ requeues: 1 }]);
		// The real chat-turns consumer of this test runtime picks the job up.
		const reply = await socket.waitFor((f) => f.type === "message" && f.role === "assistant", 5000);
		expect(reply).toMatchObject({ replyTo: ["stuck"], status: "complete" });
	});

	it("fails a message visibly once its re-enqueues are used up", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "stuck", text: "hello?" }]);
		await sql(hub, "UPDATE messages SET enqueued_at = 0, requeues = ?", MAX_REQUEUES);
		await fireAlarm(hub);
		const page = await hub.list({ after: 0, limit: 10 });
		expect(page?.messages.at(-1)).toMatchObject({ role: "system", status: "failed", replyTo: ["stuck"] });
	});

	it("leaves a turn alone while its lease is live", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		await hub.beginTurn({ messageIds: ["q"] });
		await sql(hub, "UPDATE messages SET enqueued_at = 0");
		await fireAlarm(hub);
		expect(await sql(hub, "SELECT requeues FROM messages")).toEqual([{ requeues: 0 }]);
		const [turn] = await sql<{ lease_until: number }>(hub, "SELECT lease_until FROM turns");
		expect(turn?.lease_until).toBeGreaterThan(Date.now() + TURN_LEASE_MS / 2);
	});
});

describe("SessionHub: sockets", () => {
	it("sends ready, replays after the given seq, then pushes live frames", async () => {
		const { sessionId, hub } = await createdHub();
		await seedUserMessages(hub, [
			{ id: "a", text: "one" },
			{ id: "b", text: "two" },
		]);
		const socket = await connect(hub, 1);
		await socket.waitFor((f) => f.type === "message" && f.id === "b");
		expect(socket.frames[0]).toEqual({ type: "ready", sessionId, lastSeq: 2 });
		expect(socket.frames.filter((f) => f.type === "message").map((f) => f.type === "message" && f.seq)).toEqual([2]);
		await hub.accept({ id: "c", text: "three" });
		await socket.waitFor((f) => f.type === "message" && f.id === "c");
		await socket.waitFor((f) => f.type === "status" && f.state === "queued" && f.replyTo.includes("c"));
	});

	it("gives a socket joining mid-stream all text so far, then the rest", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "hi" }]);
		const begun = await hub.beginTurn({ messageIds: ["q"] });
		if (begun.kind !== "started") throw new Error("turn did not start");
		await hub.appendDelta({ turnId: begun.turnId, text: "Hello, " });
		await hub.appendDelta({ turnId: begun.turnId, text: "how can " });
		const late = await connect(hub);
		await late.waitFor((f) => f.type === "delta");
		await hub.appendDelta({ turnId: begun.turnId, text: "I help?" });
		await late.waitFor((f) => f.type === "delta" && f.offset === 15);
		const deltas = late.frames.filter((f) => f.type === "delta");
		expect(deltas.map((f) => f.type === "delta" && [f.offset, f.text])).toEqual([
			[0, "Hello, how can "],
			[15, "I help?"],
		]);
	});

	it("still pushes to a socket after the hub was evicted (hibernation)", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		await socket.waitFor((f) => f.type === "ready");
		await evictDurableObject(hub);
		await hub.accept({ id: "after-eviction", text: "still there?" });
		await socket.waitFor((f) => f.type === "message" && f.id === "after-eviction");
	});

	it("answers bad frames with bad_frame and keeps the socket open", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		for (const bad of ["not json", '{"type":"nope"}', '{"type":"send","text":""}', '{"type":"send","id":"bad id","text":"x"}'])
			socket.ws.send(bad);
		socket.ws.send(new Uint8Array([1, 2, 3]));
		await socket.waitFor(() => socket.frames.filter((f) => f.type === "error").length === 5);
		expect(socket.frames.filter((f) => f.type === "error").every((f) => f.type === "error" && f.code === "bad_frame")).toBe(true);
		socket.ws.send(JSON.stringify({ type: "ping" }));
		await socket.waitFor((f) => f.type === "pong");
	});

	it("closes the socket with 1009 on a frame over 16 KiB", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		socket.ws.send(JSON.stringify({ type: "send", text: "x".repeat(17 * 1024) }));
		expect((await socket.closed).code).toBe(1009);
	});

	it("replays a long transcript completely and in order", async () => {
		const { hub } = await createdHub();
		const ids = Array.from({ length: 250 }, (_, i) => ({ id: `m${i}`, text: `message ${i}` }));
		await seedUserMessages(hub, ids);
		const socket = await connect(hub);
		await socket.waitFor((f) => f.type === "message" && f.id === "m249");
		const seqs = socket.frames.flatMap((f) => (f.type === "message" ? [f.seq] : []));
		expect(seqs).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
	});

	it(`closes the oldest socket with 1008 past ${MAX_SOCKETS_PER_SESSION} sockets per session`, async () => {
		const { hub } = await createdHub();
		const sockets = [];
		for (let i = 0; i < MAX_SOCKETS_PER_SESSION; i++) sockets.push(await connect(hub));
		const first = sockets[0];
		if (!first) throw new Error("no socket");
		await connect(hub);
		expect(await first.closed).toMatchObject({ code: 1008 });
		await sockets[1]?.waitFor((f) => f.type === "ready");
		expect(sockets[1]?.ws.readyState).toBe(WebSocket.OPEN);
	});

	it("stores a send frame and echoes it to the sender with its seq", async () => {
		const { hub } = await createdHub();
		const socket = await connect(hub);
		socket.ws.send(JSON.stringify({ type: "send", id: "from-ws", text: "hello" }));
		const echoed = await socket.waitFor((f) => f.type === "message" && f.id === "from-ws");
		expect(echoed).toMatchObject({ seq: 1, role: "user", text: "hello" });
	});
});
