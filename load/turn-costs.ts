/**
 * `npx tsx load/turn-costs.ts`: what one chat turn costs the platform, counted
 * rather than guessed, for docs/capacity.md. It runs the product under
 * `wrangler dev --local` (instant model, answer cache on), has sessions ask
 * distinct questions (cache misses: the model path) and then one popular
 * question (cache hits), and reads the product's own counters from
 * `/api/metrics`: Durable Object calls by operation, cache lookups by level,
 * queue deliveries, per turn of each kind. Writes load/results/turn-costs.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { ChatApi, type SessionRef } from "../src/sdk/node";
import { startDevServer, writeRaisedLimitsConfig } from "../test/support/dev-server";

const SESSIONS = 20;
const QUESTIONS_PER_SESSION = 3;
const HIT_SESSIONS = 20;
const POPULAR = "How do I reset my password?";

const server = await startDevServer({
	config: writeRaisedLimitsConfig(),
	vars: { LOCAL_AI_PROFILE: "instant", ANSWER_CACHE: "on", AI_ROUTING: "off" },
});
try {
	const api = new ChatApi({ baseUrl: server.url });

	async function ask(session: SessionRef, text: string): Promise<void> {
		const { messageId } = await api.postMessage(session, { text });
		const deadline = Date.now() + 30_000;
		for (;;) {
			const page = await api.listMessages(session, { limit: 100 });
			if (page.messages.some((m) => m.role !== "user" && (m.replyTo ?? []).includes(messageId))) return;
			if (Date.now() > deadline) throw new Error(`no reply to ${messageId}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	const before = await counters(server.url);
	// Misses: every question distinct, so each one goes to the model (its follow-ups carry history, so never cached).
	await Promise.all(
		Array.from({ length: SESSIONS }, async (_, s) => {
			const session = await api.createSession();
			for (let q = 0; q < QUESTIONS_PER_SESSION; q++) await ask(session, `Session ${s}, question ${q}: how do I export my data to CSV?`);
		}),
	);
	const afterMisses = await settle(server.url, SESSIONS * QUESTIONS_PER_SESSION, before);
	// Hits: one popular first question, answered once by the model and then from the cache.
	await ask(await api.createSession(), POPULAR);
	const primed = await settle(server.url, SESSIONS * QUESTIONS_PER_SESSION + 1, before);
	await Promise.all(Array.from({ length: HIT_SESSIONS }, async () => ask(await api.createSession(), POPULAR)));
	const afterHits = await settle(server.url, SESSIONS * QUESTIONS_PER_SESSION + 1 + HIT_SESSIONS, before);

	const missTurns = SESSIONS * QUESTIONS_PER_SESSION;
	const result = {
		date: new Date().toISOString(),
		perMissTurn: perTurn(diff(afterMisses, before), missTurns),
		perHitTurn: perTurn(diff(afterHits, primed), HIT_SESSIONS),
		note: "Counts per turn from /api/metrics: chat_do_operation_seconds_count by op, cache_requests_total by kind/level/result, chat_queue_wait_seconds_count by queue. Misses include each session's creation and its first-question accounting; hits are first questions of fresh sessions.",
	};
	mkdirSync("load/results", { recursive: true });
	writeFileSync("load/results/turn-costs.json", `${JSON.stringify(result, null, 2)}\n`);
	console.log(JSON.stringify(result, null, 2));
} finally {
	await server.stop();
}

type Counters = Map<string, number>;

/** The counters this tool reads, by series (name and labels as exposed). */
async function counters(url: string): Promise<Counters> {
	const text = await (await fetch(`${url}/api/metrics`)).text();
	const out: Counters = new Map();
	for (const line of text.split("\n")) {
		const match =
			/^(chat_do_operation_seconds_count|cache_requests_total|chat_queue_wait_seconds_count|chat_turns_total)(\{[^}]*\})? (\S+)$/.exec(
				line,
			);
		if (match) out.set(`${match[1]}${match[2] ?? ""}`, Number(match[3]));
	}
	return out;
}

/** Reads the counters once the metrics pipeline has caught up with `turns` committed turns (or after 20 s). */
async function settle(url: string, turns: number, base: Counters): Promise<Counters> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const now = await counters(url);
		const committed = [...diff(now, base)].filter(([key]) => key.startsWith("chat_turns_total")).reduce((a, [, v]) => a + v, 0);
		if (committed >= turns || Date.now() > deadline) return now;
		await new Promise((r) => setTimeout(r, 500));
	}
}

function diff(after: Counters, before: Counters): Counters {
	return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}

function perTurn(counts: Counters, turns: number): Record<string, number> {
	return Object.fromEntries(
		[...counts]
			.filter(([, value]) => value > 0)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, value]) => [key, Math.round((value / turns) * 100) / 100]),
	);
}
