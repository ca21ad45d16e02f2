/**
 * The session hub's people side (CONTRACT §7, durable/session-hub/handoff.ts): the four handoff
 * triggers, silence while people answer, claims, agents' messages, release and resolve.
 */
import { describe, expect, it } from "vitest";
import { HANDOFF_REPLY, HANDOFF_TEXT } from "../../src/durable/session-hub/handoff";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { connect, createdHub, fireAlarm, holdJobs, seedUserMessages, sql } from "../support/hub";

const dana = { agentId: "agt_dana", name: "Dana" };
const sam = { agentId: "agt_sam", name: "Sam" };
const DECLINE = "I'm sorry, I couldn't find an answer to that in our help center, and I'd rather not guess.";

type Hub = DurableObjectStub<SessionHub>;

async function transcript(hub: Hub) {
	return (await hub.list({ after: 0, limit: 100 }))?.messages ?? [];
}

/** Answers the waiting message `id` with `text`, as a turn does. */
async function answer(hub: Hub, id: string, text: string): Promise<void> {
	const begun = await hub.beginTurn({ messageIds: [id] });
	if (begun.kind !== "started") throw new Error(`turn did not start: ${begun.kind}`);
	await hub.completeTurn({ turnId: begun.turnId, text, status: "complete", citations: [] });
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > until) return value;
		await scheduler.wait(20);
	}
}

describe("handing a conversation to people", () => {
	it("on a request for a person in a message: a brief answer without the model, one system message, an escalated frame", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const socket = await connect(hub);
		await seedUserMessages(hub, [{ id: "q", text: "this bot isnt helping, can I talk to a human?" }]);
		await hub.runTurn({ messageIds: ["q"], attempt: 1 });
		const messages = await waitFor(
			() => transcript(hub),
			(m) => m.length >= 3,
		);
		expect(messages.map((m) => [m.role, m.text])).toEqual([
			["user", "this bot isnt helping, can I talk to a human?"],
			["assistant", HANDOFF_REPLY],
			["system", HANDOFF_TEXT],
		]);
		const frame = await socket.waitFor((f) => f.type === "status" && f.state === "escalated");
		expect(frame).toMatchObject({ type: "status", state: "escalated", replyTo: ["q"] });
		expect((await hub.info())?.status).toBe("escalated");
		expect(await sql(hub, "SELECT handoff_reason AS reason FROM session")).toEqual([{ reason: "user_request" }]);
	});

	it("after the assistant's second decline in a row, not after one", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q1", text: "gantt charts?" }]);
		await answer(hub, "q1", DECLINE);
		expect((await hub.info())?.status).toBe("open");
		await seedUserMessages(hub, [{ id: "q2", text: "ok, dark mode?" }]);
		await answer(hub, "q2", DECLINE);
		expect((await hub.info())?.status).toBe("escalated");
		expect(await sql(hub, "SELECT handoff_reason AS reason FROM session")).toEqual([{ reason: "bot_declined" }]);
	});

	it("counts declines in a row only: a real answer in between starts the count again", async () => {
		const { hub } = await createdHub();
		for (const [id, text] of [
			["q1", DECLINE],
			["q2", "Go to Settings → Billing. [1]"],
			["q3", DECLINE],
		] as const) {
			await seedUserMessages(hub, [{ id, text: "?" }]);
			await answer(hub, id, text);
		}
		expect((await hub.info())?.status).toBe("open");
	});

	it("with the widget's control: idempotent, one system message however often it is asked", async () => {
		const { hub } = await createdHub();
		expect(await hub.handoff()).toBe(true);
		expect(await hub.handoff()).toBe(true);
		const messages = await transcript(hub);
		expect(messages.filter((m) => m.role === "system")).toHaveLength(1);
		expect(await sql(hub, "SELECT handoff_reason AS reason FROM session")).toEqual([{ reason: "user_request" }]);
	});

	it("with reason negative_feedback when the user had just marked an answer unhelpful", async () => {
		const { hub } = await createdHub();
		await seedUserMessages(hub, [{ id: "q", text: "refunds?" }]);
		await answer(hub, "q", "Refunds take 5 days. [1]");
		const reply = (await transcript(hub)).find((m) => m.role === "assistant");
		expect(await hub.feedback({ messageId: reply?.id ?? "", helpful: false })).toEqual({ ok: true, created: true });
		await hub.handoff();
		expect(await sql(hub, "SELECT handoff_reason AS reason FROM session")).toEqual([{ reason: "negative_feedback" }]);
	});
});

describe("while people answer", () => {
	it("stores and pushes 20 user messages, answers none and fails none, even once the watchdog has run", async () => {
		const { hub } = await createdHub();
		const jobs = await holdJobs(hub);
		await hub.handoff();
		const socket = await connect(hub);
		for (let i = 0; i < 20; i++) expect(await hub.accept({ id: `u${i}`, text: `still there? ${i}` })).toMatchObject({ ok: true });
		await socket.waitFor((f) => f.type === "message" && f.id === "u19");
		await sql(hub, "UPDATE messages SET redrive_at = 0, enqueued_at = 0");
		await fireAlarm(hub);
		await fireAlarm(hub);
		const messages = await transcript(hub);
		expect(messages.filter((m) => m.role === "user")).toHaveLength(20);
		expect(messages.filter((m) => m.role === "assistant" || m.status === "failed")).toEqual([]);
		expect(jobs).toEqual([]);
	});
});

describe("agents", () => {
	it("claim: of two agents claiming at once exactly one wins, 50 times in a row", async () => {
		for (let i = 0; i < 50; i++) {
			const { hub } = await createdHub();
			await hub.handoff();
			const results = await Promise.all([hub.claim(dana), hub.claim(sam)]);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok)).toMatchObject([{ ok: false, reason: "taken" }]);
		}
	});

	it("claiming an open conversation escalates it with reason other; claiming it again is a no-op", async () => {
		const { hub } = await createdHub();
		expect(await hub.claim(dana)).toEqual({ ok: true, assignee: dana });
		expect(await hub.claim(dana)).toEqual({ ok: true, assignee: dana });
		expect(await hub.info()).toMatchObject({ status: "escalated", assignee: dana });
		expect(await sql(hub, "SELECT handoff_reason AS reason FROM session")).toEqual([{ reason: "other" }]);
	});

	it("only the assignee writes; the message has role agent and its author, and a resend is a duplicate", async () => {
		const { hub } = await createdHub();
		await hub.handoff();
		expect(await hub.agentSend(dana, { text: "hi" })).toEqual({ ok: false, reason: "not_assignee" });
		await hub.claim(dana);
		const sent = await hub.agentSend(dana, { id: "a1", text: "Hi, I'm Dana." });
		expect(sent).toMatchObject({ ok: true, messageId: "a1", duplicate: false });
		expect(await hub.agentSend(dana, { id: "a1", text: "Hi, I'm Dana." })).toMatchObject({ ok: true, messageId: "a1", duplicate: true });
		expect(await hub.agentSend(sam, { text: "me too" })).toEqual({ ok: false, reason: "not_assignee" });
		const agentMessages = (await transcript(hub)).filter((m) => m.role === "agent");
		expect(agentMessages).toMatchObject([
			{ id: "a1", text: "Hi, I'm Dana.", author: { id: "agt_dana", name: "Dana" }, status: "complete" },
		]);
	});

	it("release gives the conversation back to the assistant: the next message is queued for a turn", async () => {
		const { hub } = await createdHub();
		const jobs = await holdJobs(hub);
		await hub.claim(dana);
		expect(await hub.release(sam)).toEqual({ ok: false, reason: "not_assignee" });
		expect(await hub.release(dana)).toEqual({ ok: true, status: "open" });
		await hub.accept({ id: "after", text: "and now?" });
		expect(jobs).toEqual([["after"]]);
		expect(await hub.info()).toMatchObject({ status: "open", assignee: null });
	});

	it("resolve closes with a system message; a user message reopens it for the assistant", async () => {
		const { hub } = await createdHub();
		const jobs = await holdJobs(hub);
		await hub.claim(dana);
		expect(await hub.resolve(dana)).toEqual({ ok: true, status: "closed" });
		expect((await transcript(hub)).at(-1)).toMatchObject({
			role: "system",
			text: expect.stringMatching(/Dana marked this conversation as resolved/),
		});
		expect((await hub.info())?.status).toBe("closed");
		await hub.accept({ id: "again", text: "one more thing" });
		expect((await hub.info())?.status).toBe("open");
		expect(jobs).toEqual([["again"]]);
	});
});
