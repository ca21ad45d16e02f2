/**
 * Identified users' back-office tools in the session hub (CONTRACT §8), with
 * the local provider making the same function calls a hosted model makes and
 * a stand-in for the sample back office (test/support/fake-back-office.ts):
 * reads answered from the account and cached per user, anonymous sessions
 * asked to sign in without a call, writes proposed and run only after the
 * user's approval, exactly once (also when the turn is re-driven while the
 * write is in flight), declines, cancellations and reconnects.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import { SIGN_IN_REPLY } from "../../src/shared/ai/local-account";
import { newId } from "../../src/shared/ids";
import type { Message } from "../../src/shared/schemas/message";
import { sessionHub, supportDesk } from "../../src/shared/stubs";
import { connect, fireAlarm, holdJobs, seedUserMessages, sql } from "../support/hub";

type Hub = DurableObjectStub<SessionHub>;
type Seen = { method: string; path: string; idempotencyKey: string | null; body: unknown };

const USERS = { ada: { id: "usr_ada", name: "Ada Lovelace" }, grace: { id: "usr_grace", name: "Grace Hopper" } };

function backOffice(path: string, init?: RequestInit): Promise<Response> {
	return fetch(`${env.BACKOFFICE_URL}${path}`, init);
}

async function seen(): Promise<Seen[]> {
	return ((await (await backOffice("/_sample/requests")).json()) as { requests: Seen[] }).requests;
}

beforeEach(async () => {
	await backOffice("/_sample/state", { method: "DELETE" });
	// Each test starts with no cached account data: the per-user caches live in KV.
	const keys = await env.CACHE.list();
	await Promise.all(
		keys.keys.filter((k) => k.name.startsWith("profile:") || k.name.startsWith("tool-result:")).map((k) => env.CACHE.delete(k.name)),
	);
});

async function session(user?: { id: string; name: string }): Promise<{ hub: Hub; jobs: string[][] }> {
	const sessionId = newId("ses");
	const hub = sessionHub(env, sessionId);
	await hub.create({ sessionId, createdAt: new Date().toISOString(), ...(user ? { identity: user } : {}) });
	return { hub, jobs: await holdJobs(hub) };
}

async function transcript(hub: Hub): Promise<Message[]> {
	return (await hub.list({ after: 0, limit: 100 }))?.messages ?? [];
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 500)}`);
		await scheduler.wait(20);
	}
}

/** Asks `text` and waits for the reply to it (or for `confirming`, when `waitForConfirm`). */
async function ask(hub: Hub, text: string, id = newId("m")): Promise<Message[]> {
	await seedUserMessages(hub, [{ id, text }]);
	await hub.runTurn({ messageIds: [id], attempt: 1 });
	return until(
		() => transcript(hub),
		(m) => m.some((x) => x.role !== "user" && x.replyTo?.includes(id)),
	);
}

async function askForConfirmation(hub: Hub, text: string, id = newId("m")) {
	const socket = await connect(hub);
	await seedUserMessages(hub, [{ id, text }]);
	await hub.runTurn({ messageIds: [id], attempt: 1 });
	const confirm = await socket.waitFor((f) => f.type === "confirm");
	if (confirm.type !== "confirm") throw new Error("not a confirm frame");
	return { socket, confirm, id };
}

describe("reading the account", () => {
	it("answers an identified user's question from their account, lists the call and says where the fact came from", async () => {
		const { hub } = await session(USERS.grace);
		const messages = await ask(hub, "why did my last payment fail?");
		const reply = messages.at(-1);
		expect(reply?.text).toMatch(/INV-2002/);
		expect(reply?.text).toMatch(/failed/);
		expect(reply?.text).toMatch(/from your account/i);
		expect(reply?.tools).toEqual([{ callId: expect.stringMatching(/^call_/), name: "list_invoices", status: "done" }]);
		expect((await hub.info())?.user).toEqual({ id: "usr_grace", name: "Grace Hopper" });
		const calls = (await hub.toolCalls())?.calls ?? [];
		expect(calls).toMatchObject([{ name: "list_invoices", args: {}, status: "done", attempts: 1 }]);
		// The profile and the one read; every request for Grace's own account, never anyone else's.
		const requests = await seen();
		expect(requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(["GET /users/usr_grace", "GET /users/usr_grace/invoices"]);
	});

	it("reuses a read for the same user within its 15 minutes, and never hands it to another user", async () => {
		const first = await session(USERS.ada);
		expect((await ask(first.hub, "when does my plan renew?")).at(-1)?.text).toMatch(/2027-03-14/);
		const second = await session(USERS.ada);
		expect((await ask(second.hub, "what plan am I on?")).at(-1)?.text).toMatch(/Pro plan/);
		const grace = await session(USERS.grace);
		const graces = (await ask(grace.hub, "what plan am I on?")).at(-1)?.text ?? "";
		expect(graces).toMatch(/Business plan/);
		expect(graces).not.toMatch(/Pro plan|2027-03-14/);
		const subscriptions = (await seen()).filter((r) => r.path.endsWith("/subscription")).map((r) => r.path);
		// One call for Ada's two questions (two sessions), one for Grace's.
		expect(subscriptions.sort()).toEqual(["/users/usr_ada/subscription", "/users/usr_grace/subscription"]);
	});

	it("asks an anonymous session to sign in, and calls nothing", async () => {
		const { hub } = await session();
		for (const question of ["when does my plan renew?", "why did my last payment fail?"]) {
			expect((await ask(hub, question)).at(-1)?.text).toBe(SIGN_IN_REPLY);
		}
		expect((await hub.info())?.user).toBeNull();
		expect((await hub.toolCalls())?.calls).toEqual([]);
		expect(await seen()).toEqual([]);
	});

	it("says the account could not be reached, offers a person and invents nothing when the back office fails", async () => {
		const { hub } = await session(USERS.ada);
		await backOffice("/_sample/faults", { method: "PUT", body: JSON.stringify({ failNext: 1000 }) });
		const reply = (await ask(hub, "when does my plan renew?")).at(-1);
		expect(reply?.text).toMatch(/couldn't reach your account/);
		expect(reply?.text).toMatch(/person/);
		expect(reply?.text).not.toMatch(/2027|Pro plan/);
		expect(reply?.tools).toMatchObject([{ name: "get_subscription", status: "failed" }]);
		// Transient failures were retried within the call's deadline.
		expect((await hub.toolCalls())?.calls[0]?.attempts).toBeGreaterThan(1);
	});
});

describe("people", () => {
	it("see whose account a handed-over conversation is: the verified user, in the agents' list", async () => {
		const { hub } = await session(USERS.grace);
		await ask(hub, "why did my last payment fail?");
		expect(await hub.handoff()).toBe(true);
		const sessionId = (await hub.info())?.sessionId;
		const listed = await until(
			async () => (await supportDesk(env).list({ status: "escalated", limit: 100 })).find((c) => c.sessionId === sessionId),
			(c) => c !== undefined,
		);
		expect(listed?.user).toEqual({ id: "usr_grace", name: "Grace Hopper" });
	});
});

describe("writing to the account", () => {
	it("proposes a write, runs it once with the call id as Idempotency-Key after the user approves, and reports it", async () => {
		const { hub } = await session(USERS.ada);
		const { socket, confirm, id } = await askForConfirmation(hub, "I want a refund for INV-1001, we stopped using it");
		expect(confirm).toMatchObject({ tool: "request_refund", summary: expect.stringMatching(/INV-1001.*\$480\.00/) });
		expect(socket.frames.some((f) => f.type === "status" && f.state === "confirming")).toBe(true);
		expect((await hub.info())?.pendingConfirmations).toEqual([
			{ callId: confirm.callId, tool: "request_refund", summary: confirm.summary, expiresAt: expect.any(String) },
		]);
		// Nothing is written before the answer.
		expect((await seen()).filter((r) => r.method === "POST")).toEqual([]);

		expect(await hub.confirm({ callId: confirm.callId, approve: true })).toEqual({ ok: true, status: "approved" });
		const messages = await until(
			() => transcript(hub),
			(m) => m.some((x) => x.role === "assistant" && x.replyTo?.includes(id)),
		);
		expect(messages.at(-1)?.text).toMatch(/requested a refund of invoice INV-1001/);
		expect(messages.at(-1)?.tools).toEqual([{ callId: confirm.callId, name: "request_refund", status: "done" }]);
		const posts = (await seen()).filter((r) => r.method === "POST");
		expect(posts).toEqual([
			{
				method: "POST",
				path: "/users/usr_ada/refunds",
				idempotencyKey: confirm.callId,
				body: expect.objectContaining({ invoiceId: "INV-1001" }),
			},
		]);
		// A second answer changes nothing.
		expect(await hub.confirm({ callId: confirm.callId, approve: false })).toEqual({ ok: true, status: "done" });
		expect((await hub.toolCalls())?.calls).toMatchObject([{ callId: confirm.callId, status: "done", attempts: 1 }]);
		expect((await hub.info())?.pendingConfirmations).toEqual([]);
		// The reply is timed from the user's answer: the time they took to decide is not the assistant's.
		const [row] = await sql<{ created_at: number; answered_at: number }>(hub, "SELECT created_at, answered_at FROM tool_calls");
		expect(row?.answered_at).toBeGreaterThanOrEqual(row?.created_at ?? Number.POSITIVE_INFINITY);
	});

	it("does nothing when the user declines, and says so", async () => {
		const { hub } = await session(USERS.ada);
		const { confirm, id } = await askForConfirmation(hub, "please resend invoice INV-1001");
		expect(confirm.tool).toBe("resend_invoice");
		expect(await hub.confirm({ callId: confirm.callId, approve: false })).toEqual({ ok: true, status: "declined" });
		const messages = await until(
			() => transcript(hub),
			(m) => m.some((x) => x.role === "assistant" && x.replyTo?.includes(id)),
		);
		expect(messages.at(-1)?.text).toMatch(/haven't resent invoice INV-1001/);
		expect(messages.at(-1)?.tools).toEqual([{ callId: confirm.callId, name: "resend_invoice", status: "declined" }]);
		expect((await seen()).filter((r) => r.method === "POST")).toEqual([]);
	});

	it("refuses an invoice the user does not own before anything is proposed or written", async () => {
		const { hub } = await session(USERS.ada);
		const reply = (await ask(hub, "I want a refund for INV-2001")).at(-1);
		expect(reply?.text).toMatch(/no invoice INV-2001 on your account/);
		expect(reply?.tools).toMatchObject([{ name: "request_refund", status: "failed" }]);
		expect((await seen()).filter((r) => r.method === "POST")).toEqual([]);
	});

	it("reaches the back office for one write only, when the turn is driven again while the approved write is in flight", async () => {
		const { hub, jobs } = await session(USERS.ada);
		const { confirm, id } = await askForConfirmation(hub, "I want a refund for INV-1001");
		await backOffice("/_sample/faults", { method: "PUT", body: JSON.stringify({ delayMs: 800 }) });
		await hub.confirm({ callId: confirm.callId, approve: true });
		await until(seen, (r) => r.some((x) => x.method === "POST"));
		// The attempt that sent the write goes quiet (as a crashed isolate would): the watchdog drives the turn again.
		await runInDurableObject(hub, (_i: SessionHub, state) => {
			state.storage.sql.exec("UPDATE turns SET lease_until = 0 WHERE state = 'thinking'");
			new SessionStore(state.storage.sql).forget();
		});
		await fireAlarm(hub);
		const redriven = jobs.at(-1);
		expect(redriven).toEqual([id]);
		await hub.runTurn({ messageIds: [id], attempt: 2 });
		const messages = await until(
			() => transcript(hub),
			(m) => m.some((x) => x.role === "assistant" && x.replyTo?.includes(id)),
			8000,
		);
		await scheduler.wait(1000);
		const replies = (await transcript(hub)).filter((m) => m.role !== "user");
		expect(replies).toHaveLength(1);
		expect(messages.at(-1)?.text).toMatch(/requested a refund of invoice INV-1001/);
		const posts = (await seen()).filter((r) => r.method === "POST");
		// Both attempts sent it, with one key: the back office made one refund.
		expect(posts.map((p) => p.idempotencyKey)).toEqual([confirm.callId, confirm.callId]);
		const refunds = (await (await backOffice("/users/usr_ada/refunds")).json()) as { refunds: unknown[] };
		expect(refunds.refunds).toHaveLength(1);
	});

	it("cancels a confirmation the user answers by writing something else, and answers both messages in one reply", async () => {
		const { hub, jobs } = await session(USERS.ada);
		const { confirm, id } = await askForConfirmation(hub, "I want a refund for INV-1001");
		await hub.accept({ id: "next", text: "actually, when does my plan renew?" });
		expect(jobs.at(-1)).toEqual(["next"]);
		await hub.runTurn({ messageIds: ["next"], attempt: 1 });
		const messages = await until(
			() => transcript(hub),
			(m) => m.some((x) => x.role === "assistant"),
		);
		const reply = messages.at(-1);
		expect(reply?.replyTo).toEqual([id, "next"]);
		expect(reply?.tools).toContainEqual({ callId: confirm.callId, name: "request_refund", status: "cancelled" });
		expect(await hub.confirm({ callId: confirm.callId, approve: true })).toEqual({ ok: true, status: "cancelled" });
		expect((await seen()).filter((r) => r.method === "POST")).toEqual([]);
	});

	it("cancels a confirmation nobody answers within 10 minutes, and says nothing was done", async () => {
		const { hub, jobs } = await session(USERS.ada);
		const { confirm, id } = await askForConfirmation(hub, "I want a refund for INV-1001");
		// Ten minutes later: the confirmation and the turn's lease have run out.
		await runInDurableObject(hub, (_i: SessionHub, state) => {
			state.storage.sql.exec("UPDATE tool_calls SET expires_at = ?", Date.now() - 1);
			state.storage.sql.exec("UPDATE turns SET lease_until = ? WHERE state = 'confirming'", Date.now() - 1);
			new SessionStore(state.storage.sql).forget();
		});
		await fireAlarm(hub);
		expect(jobs.at(-1)).toEqual([id]);
		await hub.runTurn({ messageIds: [id], attempt: 1 });
		const messages = await until(
			() => transcript(hub),
			(m) => m.some((x) => x.role === "assistant"),
		);
		expect(messages.at(-1)?.text).toMatch(/didn't get your answer in time/);
		expect(messages.at(-1)?.tools).toEqual([{ callId: confirm.callId, name: "request_refund", status: "cancelled" }]);
		expect(await sql(hub, "SELECT status FROM tool_calls")).toEqual([{ status: "cancelled" }]);
		expect((await seen()).filter((r) => r.method === "POST")).toEqual([]);
	});

	it("asks a socket that connects while a confirmation waits again, right after the replay", async () => {
		const { hub } = await session(USERS.grace);
		const { confirm } = await askForConfirmation(hub, "please resend invoice INV-2001");
		const late = await connect(hub, 0);
		const again = await late.waitFor((f) => f.type === "confirm");
		expect(again).toEqual(confirm);
		const types = late.frames.map((f) => (f.type === "status" ? `status:${f.state}` : f.type));
		expect(types).toEqual(["ready", "message", "status:confirming", "confirm"]);
	});
});
