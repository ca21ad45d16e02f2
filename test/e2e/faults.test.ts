/**
 * Recovery under injected provider faults (the development fault switch,
 * CONTRACT §6), against a real `wrangler dev`: permanent refusals fail at
 * once, a provider slower than its deadline is retried and then
 * dead-lettered, a provider failing 30 % of calls for 30 s of mixed load
 * (about 100 turns) loses nothing, and a flood sent while it fails is answered in order once it
 * recovers. Every test ends with the transcript audit.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer, writeRaisedLimitsConfig } from "../support/dev-server";
import { clientId, createSession, postMessage, type Session, sleep, waitForTranscript } from "./support/api";
import { auditSessions, auditTranscript, settled, settledTranscript } from "./support/audit";
import { clearFaults, faultState, setFaults } from "./support/faults";
import { isReplyTo, openChat, type SocketClient } from "./support/ws-client";

/** The deadline for every provider call in this server: short, so the slow-provider test is quick. */
const AI_TIMEOUT_MS = 1500;
/** wrangler.toml's max_retries for chat-turns. */
const MAX_RETRIES = 5;
const QUESTIONS = [
	"How do I reset my password?",
	"How do I get a refund for my annual plan?",
	"How do I enable two-factor authentication?",
	"How do I invite a teammate to my workspace?",
	"How do I export my data?",
	"How do I cancel my subscription?",
	"How do I connect the Slack integration?",
	"Where can I download my invoices?",
];

let server: DevServer;
const sockets: SocketClient[] = [];

beforeAll(async () => {
	// Raised rate limits: the flood sends 150 messages to one session.
	server = await startDevServer({ config: writeRaisedLimitsConfig(), vars: { AI_TIMEOUT_MS: String(AI_TIMEOUT_MS) } });
});
afterEach(async () => {
	await clearFaults(server.url);
});
afterAll(async () => {
	await Promise.all(sockets.map((s) => s.close()));
	await server?.stop();
});

/** Prints a figure for the README and the closing note, in one greppable line. */
function report(name: string, figures: Record<string, unknown>): void {
	console.log(`FAULT-FIGURES ${name} ${JSON.stringify(figures)}`);
}

it("fails a turn visibly at once, spending no retries, when the provider refuses permanently", async () => {
	await setFaults(server.url, { aiFailureRate: 1, aiFailureKind: "permanent" });
	const session = await createSession(server.url);
	const id = clientId("refused");
	const started = Date.now();
	await postMessage(server.url, session, { id, text: QUESTIONS[0] ?? "" });
	const page = await waitForTranscript(server.url, session, (p) => settled(p.messages), 15_000);
	const reply = page.messages.find((m) => m.role !== "user");
	expect(reply).toMatchObject({ role: "system", status: "failed", replyTo: [id] });
	const state = await faultState(server.url);
	expect(state.calls).toBe(1);
	expect(state.injected.failed_permanent).toBe(1);
	report("permanent", { msToFailure: Date.now() - started, providerCalls: state.calls });
});

it("retries a provider slower than its deadline, then dead-letters the turn and fails it visibly", async () => {
	await setFaults(server.url, { aiDelayMs: AI_TIMEOUT_MS * 3 });
	const session = await createSession(server.url);
	const id = clientId("slow");
	const started = Date.now();
	await postMessage(server.url, session, { id, text: QUESTIONS[1] ?? "" });
	const page = await waitForTranscript(server.url, session, (p) => settled(p.messages), 90_000);
	expect(page.messages.at(-1)).toMatchObject({ role: "system", status: "failed", replyTo: [id] });
	const state = await faultState(server.url);
	// The first delivery and every retry timed out; then the dead-letter consumer failed it.
	expect(state.injected.delayed).toBe(1 + MAX_RETRIES);
	expect(auditTranscript(page.messages).problems).toEqual([]);
	report("slow", { msToFailure: Date.now() - started, attempts: state.injected.delayed, dlqEntries: 1 });
}, 120_000);

it("answers every message of 30 s of mixed load while the provider fails 30 % of calls transiently", async () => {
	await setFaults(server.url, { aiFailureRate: 0.3, aiFailureKind: "transient" });
	const sessions: Session[] = [];
	// 30 s of 12 users is about 100 turns, over 40 of them meeting a failure: enough to see any loss, in half CI's old time.
	const until = Date.now() + 30_000;
	let asked = 0;
	const user = async (n: number) => {
		while (Date.now() < until) {
			const session = await createSession(server.url);
			sessions.push(session);
			const chat = await openChat(server.url, session);
			sockets.push(chat);
			// One to three questions per conversation, each waiting for its answer as a person would.
			for (let turn = 0; turn < 1 + ((n + turn) % 3) && Date.now() < until; turn++) {
				const id = clientId(`u${n}`);
				await postMessage(server.url, session, { id, text: QUESTIONS[(n + turn + asked) % QUESTIONS.length] ?? "" });
				asked++;
				await chat.waitFor(isReplyTo(id), 90_000);
				await sleep(300 + ((n * 137 + turn * 71) % 700));
			}
			// Some users drop their connection and come back for the next conversation.
			await chat.close();
		}
	};
	await Promise.all(Array.from({ length: 12 }, (_, n) => user(n)));
	const state = await faultState(server.url);
	await clearFaults(server.url);
	for (const session of sessions) await settledTranscript(server.url, session, 60_000);
	const audit = await auditSessions(server.url, sessions);
	expect(audit.problems).toEqual([]);
	expect(audit.userMessages).toBe(asked);
	// A failed notice needs six failures in a row (0.3^6 ≈ 0.07 %); treating transients as final would fail 30 %.
	expect(audit.failed).toBeLessThanOrEqual(Math.ceil(audit.userMessages * 0.02));
	report("transient30", {
		sessions: sessions.length,
		messages: audit.userMessages,
		answered: audit.answered,
		failedVisibly: audit.failed,
		providerCalls: state.calls,
		injectedFailures: state.injected.failed_transient,
	});
}, 240_000);

it("answers a flood of 150 messages to one session in order once a failing provider recovers", async () => {
	await setFaults(server.url, { aiFailureRate: 1, aiFailureKind: "transient" });
	const session = await createSession(server.url);
	// Fifteen at a time: a flood, and an outage (about two seconds) well inside the retry budget (six attempts, ≥ 5 s).
	const floodStarted = Date.now();
	for (let wave = 0; wave < 10; wave++) {
		await Promise.all(
			Array.from({ length: 15 }, (_, k) =>
				postMessage(server.url, session, { id: clientId(`flood${wave * 15 + k}`), text: QUESTIONS[k % QUESTIONS.length] ?? "" }),
			),
		);
	}
	const outageMs = Date.now() - floodStarted;
	const failing = await faultState(server.url);
	await clearFaults(server.url);
	const started = Date.now();
	const messages = await settledTranscript(server.url, session, 90_000);
	const audit = auditTranscript(messages);
	expect(audit.problems).toEqual([]);
	expect(audit.userMessages).toBe(150);
	expect(audit.failed).toBe(0);
	// In order: each reply answers messages that all come after those of the reply before it.
	const seqOf = new Map(messages.map((m) => [m.id, m.seq]));
	const replies = messages.filter((m) => m.role !== "user");
	let previousMax = 0;
	for (const reply of replies) {
		const seqs = (reply.replyTo ?? []).map((id) => seqOf.get(id) ?? -1);
		expect(Math.min(...seqs)).toBeGreaterThan(previousMax);
		previousMax = Math.max(...seqs);
	}
	report("flood150", {
		outageMs,
		failuresWhileFlooding: failing.injected.failed_transient,
		replies: replies.length,
		largestReply: Math.max(...replies.map((r) => r.replyTo?.length ?? 0)),
		msToRecover: Date.now() - started,
	});
}, 180_000);
