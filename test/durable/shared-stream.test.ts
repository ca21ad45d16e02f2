/**
 * Identical first questions asked at once share one computation and its
 * stream (issue 19, item 1), through real hubs, sockets, the real knowledge
 * base and the real caches, with a fake model paced like a hosted one: a
 * joiner streams as soon as the owner does; an owner that stalls, is erased
 * or fails for good leaves its joiners to answer on their own, without a
 * retry; an owner superseded keeps computing for them.
 */
import { describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import type { ServerFrame } from "../../src/sdk";
import { decodeJob } from "../../src/shared/schemas/queue";
import { hubEnv, type Pace, pacedAi } from "../support/answers";
import { connect, createdHub, seedUserMessages, sql, type TestSocket } from "../support/hub";

const REPLY =
	"Click Forgot password on the sign-in page and follow the link we email you; it works for one hour. Then choose a new password. [1]";

/** A password question no earlier test asked: the articles match it, the cache does not. */
const freshQuestion = () => `How do I reset my password? (${crypto.randomUUID().slice(0, 8)})`;

interface Asker {
	hub: DurableObjectStub<SessionHub>;
	socket: TestSocket;
	/** Each frame with the time it arrived (ms). */
	timed: { at: number; frame: ServerFrame }[];
	/** Message ids of every job the hub sent (retries, follow-ups), kept from the real queue. */
	jobs: string[][];
	/** Opens the turn for the question; the hub runs it. */
	ask(): Promise<void>;
}

/** A fresh session whose hub answers with `bindings`, its question stored but not enqueued, one socket open. */
async function asker(bindings: Env, question: string): Promise<Asker> {
	const { hub } = await createdHub();
	const jobs: string[][] = [];
	const queue = {
		send: async (body: unknown) => {
			jobs.push(decodeJob(body).messageIds);
		},
		sendBatch: async (messages: { body: unknown }[]) => {
			for (const message of messages) jobs.push(decodeJob(message.body).messageIds);
		},
	};
	await hubEnv(hub, Object.assign({}, bindings, { CHAT_QUEUE: queue }));
	await seedUserMessages(hub, [{ id: "q", text: question }]);
	const socket = await connect(hub);
	const timed: Asker["timed"] = [];
	const seen = socket.frames.length;
	socket.ws.addEventListener("message", () => {
		for (const frame of socket.frames.slice(seen + timed.length)) timed.push({ at: Date.now(), frame });
	});
	const ask = async () => {
		expect((await hub.runTurn({ messageIds: ["q"], attempt: 1 })).kind).toBe("started");
	};
	return { hub, socket, timed, jobs, ask };
}

async function reply(a: Asker, timeoutMs = 10_000) {
	const frame = await a.socket.waitFor((f) => f.type === "message" && f.role !== "user", timeoutMs);
	if (frame.type !== "message") throw new Error("not a message");
	return frame;
}

const firstDeltaAt = (a: Asker) => a.timed.find((t) => t.frame.type === "delta")?.at ?? Number.NaN;

/** The reply as the socket's deltas built it, by offset, as a client merges them (a `queued` status drops it). */
function streamed(a: Asker): string {
	let text = "";
	for (const { frame } of a.timed) {
		if (frame.type === "status" && frame.state === "queued") text = "";
		if (frame.type === "delta") text = text.slice(0, frame.offset) + frame.text;
	}
	return text;
}

/** Whether the socket was told to drop partial text after it had some (a restart). */
const restarted = (a: Asker) =>
	a.timed.some(
		({ frame }, i) => frame.type === "status" && frame.state === "queued" && a.timed.slice(0, i).some((t) => t.frame.type === "delta"),
	);

async function committedReplies(a: Asker) {
	return sql<{ role: string; text: string; citations: string | null; status: string }>(
		a.hub,
		"SELECT role, text, citations, status FROM messages WHERE role != 'user'",
	);
}

/** Starts the owner alone and waits until it streams, then starts the joiners. */
async function ownerThenJoiners(owner: Asker, joiners: Asker[]): Promise<void> {
	await owner.ask();
	await owner.socket.waitFor((f) => f.type === "delta", 5000);
	await Promise.all(joiners.map((j) => j.ask()));
	await Promise.all(joiners.map((j) => j.socket.waitFor((f) => f.type === "delta", 5000)));
}

describe("one computation, streamed to every identical question", () => {
	it("8 sessions asking at once: every first delta within 150 ms of the first, one model call, 8 replies committed once", async () => {
		const model = pacedAi(REPLY);
		const question = freshQuestion();
		const askers = await Promise.all(Array.from({ length: 8 }, () => asker(model.bindings, question)));

		await Promise.all(askers.map((a) => a.ask()));
		const replies = await Promise.all(askers.map((a) => reply(a)));

		expect(model.calls.n).toBe(1);
		const firsts = askers.map(firstDeltaAt);
		const owner = Math.min(...firsts);
		// The owner's first delta waits for the model's first token (400 ms); the others' must not wait for its last.
		expect(Math.max(...firsts) - owner, `first deltas ${firsts.map((t) => t - owner).join(", ")} ms after the first`).toBeLessThanOrEqual(
			150,
		);
		for (const [i, a] of askers.entries()) {
			expect(replies[i]).toMatchObject({ role: "assistant", text: REPLY, status: "complete" });
			expect(replies[i]?.citations).toEqual(replies[0]?.citations);
			expect(streamed(a)).toBe(REPLY);
			expect(await committedReplies(a)).toHaveLength(1);
			expect(a.jobs).toEqual([]);
		}
		expect(replies[0]?.citations?.length).toBeGreaterThan(0);
	});

	it("a joiner whose owner stalls answers on its own after the silence deadline, without a retry", async () => {
		const question = freshQuestion();
		// The owner's model goes quiet after two chunks; its flight's silence deadline is AI_TIMEOUT_MS / 4 = 500 ms.
		const stalling = pacedAi(REPLY, { firstMs: 100, chunkMs: 50, stall: { at: 2, ms: 3000 } });
		const owner = await asker(Object.assign({}, stalling.bindings, { AI_TIMEOUT_MS: "2000" }), question);
		const healthy = pacedAi(REPLY, { firstMs: 100, chunkMs: 50 });
		const joiners = await Promise.all(Array.from({ length: 3 }, () => asker(healthy.bindings, question)));

		await ownerThenJoiners(owner, joiners);
		const replies = await Promise.all(joiners.map((j) => reply(j)));

		// The three left the silent computation together: one of them computed, the others followed it.
		expect(healthy.calls.n).toBe(1);
		for (const [i, j] of joiners.entries()) {
			expect(replies[i]).toMatchObject({ role: "assistant", text: REPLY, status: "complete" });
			expect(restarted(j)).toBe(true);
			expect(streamed(j)).toBe(REPLY);
			expect(await committedReplies(j)).toHaveLength(1);
			expect(j.jobs).toEqual([]);
		}
	});

	it("a joiner whose owner's session is erased mid-stream answers on its own, without a retry", async () => {
		const question = freshQuestion();
		const pace: Pace = { firstMs: 100, chunkMs: 100 };
		const erased = pacedAi(REPLY, pace);
		const owner = await asker(erased.bindings, question);
		const healthy = pacedAi(REPLY, pace);
		const joiners = await Promise.all(Array.from({ length: 3 }, () => asker(healthy.bindings, question)));

		await ownerThenJoiners(owner, joiners);
		expect(await owner.hub.erase()).toBe(true);
		const replies = await Promise.all(joiners.map((j) => reply(j)));

		expect(erased.calls.n).toBe(1);
		expect(healthy.calls.n).toBe(1);
		for (const [i, j] of joiners.entries()) {
			expect(replies[i]).toMatchObject({ role: "assistant", text: REPLY, status: "complete" });
			expect(restarted(j)).toBe(true);
			expect(streamed(j)).toBe(REPLY);
			expect(await committedReplies(j)).toHaveLength(1);
			expect(j.jobs).toEqual([]);
		}
	});

	it("an owner's permanent failure is its own: its joiners answer", async () => {
		const question = freshQuestion();
		const refusing = pacedAi(REPLY, { firstMs: 100, chunkMs: 150, fail: { at: 4, message: "5021: the request was refused" } });
		const owner = await asker(refusing.bindings, question);
		const healthy = pacedAi(REPLY, { firstMs: 100, chunkMs: 50 });
		const joiners = await Promise.all(Array.from({ length: 3 }, () => asker(healthy.bindings, question)));

		await ownerThenJoiners(owner, joiners);
		const failed = await reply(owner);
		const replies = await Promise.all(joiners.map((j) => reply(j)));

		expect(failed).toMatchObject({ role: "system", status: "failed" });
		expect(healthy.calls.n).toBe(1);
		for (const [i, j] of joiners.entries()) {
			expect(replies[i]).toMatchObject({ role: "assistant", text: REPLY, status: "complete" });
			expect(streamed(j)).toBe(REPLY);
			expect(await committedReplies(j)).toHaveLength(1);
			expect(j.jobs).toEqual([]);
		}
	});

	it("an owner superseded mid-stream keeps computing for its joiners: one model call, nothing restarted", async () => {
		const question = freshQuestion();
		const model = pacedAi(REPLY, { firstMs: 100, chunkMs: 100 });
		const owner = await asker(model.bindings, question);
		const joiners = await Promise.all(Array.from({ length: 3 }, () => asker(model.bindings, question)));

		await ownerThenJoiners(owner, joiners);
		// Fails the owner's message visibly: its live turn is fenced, and its next delta is refused.
		expect(await owner.hub.failMessages({ messageIds: ["q"], reason: "test" })).toEqual({ failed: 1 });
		const replies = await Promise.all(joiners.map((j) => reply(j)));

		expect(model.calls.n).toBe(1);
		expect((await committedReplies(owner)).map((m) => m.role)).toEqual(["system"]);
		for (const [i, j] of joiners.entries()) {
			expect(replies[i]).toMatchObject({ role: "assistant", text: REPLY, status: "complete" });
			expect(restarted(j)).toBe(false);
			expect(await committedReplies(j)).toHaveLength(1);
			expect(j.jobs).toEqual([]);
		}
	});
});
