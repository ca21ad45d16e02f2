/**
 * Erasure that leaves nothing (issue 17), inside workerd with the real
 * stores: a session that answered a question into the shared cache, counted
 * it toward warming, had it warmed, archived history to R2 and got a summary
 * is erased, and every store is walked afterwards. A DELETE in the middle of
 * a stream stops the model at once; a message racing the erase is refused;
 * an erase interrupted midway is finished by the hub's alarm.
 */
import { createScheduledController, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CRONS } from "../../src/consumers/crons";
import { summarizeSession } from "../../src/consumers/summarize";
import { sessionArchivePrefix } from "../../src/durable/session-hub/history/segments";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { SessionStore } from "../../src/durable/session-hub/session-store";
import worker from "../../src/index";
import { turnProvider } from "../../src/shared/ai/turn-provider";
import { cacheKey, createCache, isolateMemory, normalizeQuestion, r2ObjectKey } from "../../src/shared/cache";
import { sha256Hex } from "../../src/shared/hash";
import { registryShardName } from "../../src/shared/schemas/summary";
import { knowledgeBase, questionStats, summaryRegistry, warmJob } from "../../src/shared/stubs";
import { summaryCacheKey } from "../../src/shared/summary/cached";
import { answerKeyParts } from "../../src/shared/turn/answer-cache";
import { ask, countingAi, hubEnv } from "../support/answers";
import { seedConversation } from "../support/conversation";
import { connect, createdHub, seedUserMessages } from "../support/hub";

const uniqueWord = () => `vault${crypto.randomUUID().replace(/[\d-]/g, "").slice(0, 8)}`;

async function addArticle(word: string): Promise<void> {
	const kb = knowledgeBase(env);
	await kb.put({ id: `erase-${word}`, title: word, body: `${word} vouchers never expire.` });
}

/** The answer-cache key a turn under `bindings` uses for `question`, at the knowledge base's current version. */
async function answerKey(question: string, bindings: Env): Promise<string> {
	const version = await knowledgeBase(env).version();
	return cacheKey("answer", answerKeyParts(normalizeQuestion(question), version, turnProvider(bindings)));
}

async function statsRow(question: string): Promise<{ count: number; text: string | null } | undefined> {
	const key = await sha256Hex(normalizeQuestion(question));
	return runInDurableObject(
		questionStats(env),
		(_instance, state) =>
			state.storage.sql
				.exec<{ count: number; text: string | null }>("SELECT count, text FROM question_counts WHERE key = ?", key)
				.toArray()[0],
	);
}

/** The summary-registry shard that lists this session when it is due a summary. */
function registryOf(sessionId: string) {
	return summaryRegistry(env, registryShardName(sessionId));
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
		await scheduler.wait(50);
	}
}

/** Rows left in each of a hub's tables. */
function hubRows(hub: DurableObjectStub<SessionHub>): Promise<Record<string, number>> {
	return runInDurableObject(hub, (_instance: SessionHub, state) => {
		const tables = state.storage.sql
			.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
			.toArray()
			.map((row) => row.name);
		return Object.fromEntries(
			tables.map((name) => [name, state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`).one().n]),
		);
	});
}

describe("erasing a session", () => {
	it("walks every store it touched and finds nothing: SQLite, R2 segments, KV, R2 cache, question stats, warm jobs, memory", async () => {
		const word = uniqueWord();
		await addArticle(word);
		const question = `What is ${word}?`;
		const model = countingAi(`${word} vouchers never expire. [1]`);
		const owner = await createdHub();
		await hubEnv(owner.hub, model.bindings);
		await ask(owner.hub, "q", question);
		// Two more sessions ask it, so it reaches WARM_MIN_SESSIONS (3) and the hourly cron warms it.
		for (const _other of [1, 2]) {
			const other = await createdHub();
			await hubEnv(other.hub, model.bindings);
			await ask(other.hub, "q", question);
		}
		expect(model.calls.n).toBe(1);
		const key = await answerKey(question, model.bindings);
		expect(await env.CACHE.get(key)).not.toBeNull();
		expect(isolateMemory().get(key)).toBeDefined();
		expect(
			await waitFor(
				() => statsRow(question),
				(row) => row?.count === 3,
			),
		).toMatchObject({ text: normalizeQuestion(question) });
		await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: CRONS.warmTopQuestions }), env);
		const jobId = (await questionStats(env).lastWarmJob()) ?? "";
		const job = warmJob(env, jobId);
		await waitFor(
			() => job.status(),
			(status) => status?.state === "done",
		);

		// History long enough to archive, and a summary (KV, and R2 because summaries are archived).
		await seedConversation(owner.hub, 60);
		await owner.hub.accept({ id: "trigger", text: "Please delete my data afterwards." });
		await waitFor(
			() => owner.hub.storage(),
			(storage) => (storage?.archiveSegments ?? 0) > 0,
		);
		expect(await summarizeSession(env, owner.sessionId)).toMatchObject({ result: "stored" });
		const summaryKey = await summaryCacheKey(owner.sessionId);
		expect(await env.ARCHIVE.head(r2ObjectKey(summaryKey))).not.toBeNull();

		expect(await owner.hub.erase()).toBe(true);

		expect(Object.entries(await hubRows(owner.hub)).filter(([, n]) => n > 0)).toEqual([]);
		expect((await env.ARCHIVE.list({ prefix: sessionArchivePrefix(owner.sessionId) })).objects).toEqual([]);
		expect(await env.CACHE.get(key)).toBeNull();
		expect(await env.CACHE.get(summaryKey)).toBeNull();
		expect(await env.ARCHIVE.head(r2ObjectKey(key))).toBeNull();
		expect(await env.ARCHIVE.head(r2ObjectKey(summaryKey))).toBeNull();
		// Two sessions still asked it: below k, so the text is gone and only the count of the others stays.
		expect(await statsRow(question)).toEqual({ count: 2, text: null });
		const jobTexts = await runInDurableObject(job, (_instance, state) =>
			state.storage.sql.exec<{ question: string }>("SELECT question FROM items").toArray(),
		);
		expect(jobTexts.every((row) => !row.question.includes(word))).toBe(true);
		expect(isolateMemory().get(key)).toBeUndefined();
	});

	it("stops a streaming turn at once: the model's stream is cancelled, and nothing is cached after", async () => {
		const word = uniqueWord();
		await addArticle(word);
		const question = `What is ${word}?`;
		const stream = { cancelled: false, readsAfterCancel: 0 };
		const calls = { n: 0 };
		const slowAi = {
			run: async () => {
				calls.n++;
				return new ReadableStream<Uint8Array>({
					async pull(controller) {
						// A read asked for once the consumer has cancelled would be the model still being read.
						if (stream.cancelled) stream.readsAfterCancel++;
						await scheduler.wait(100);
						controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify({ response: "vouchers " })}\n\n`));
					},
					cancel() {
						stream.cancelled = true;
					},
				});
			},
		};
		const bindings: Env = { ...env, AI_PROVIDER: "workers-ai", AI: Object.assign(Object.create(env.AI), slowAi) };
		const { hub } = await createdHub();
		await hubEnv(hub, bindings);
		await seedUserMessages(hub, [{ id: "q", text: question }]);
		const socket = await connect(hub);
		await hub.runTurn({ messageIds: ["q"], attempt: 1 });
		await socket.waitFor((frame) => frame.type === "delta");

		expect(await hub.erase()).toBe(true);
		// Checked as the erase returns, like a client reading the 204: the model is already stopped.
		expect(stream.cancelled).toBe(true);
		expect(await socket.closed).toEqual({ code: 1000, reason: "session deleted" });
		await scheduler.wait(500);
		expect(calls.n).toBe(1);
		expect(stream.readsAfterCancel).toBe(0);
		expect(await env.CACHE.get(await answerKey(question, bindings))).toBeNull();
		expect(Object.entries(await hubRows(hub)).filter(([, n]) => n > 0)).toEqual([]);
	});

	it("keeps nothing of a message whose accept races the erase, whichever of the two lands first", async () => {
		const { hub } = await createdHub();
		// The accept stores the message before its first real await (the job's send), where the erase can come in.
		const [accepted, erased] = await Promise.all([hub.accept({ id: "late", text: "Is this kept?" }), hub.erase()]);
		expect(erased).toBe(true);
		expect([
			{ ok: false, reason: "not_found" },
			{ ok: true, messageId: "late", seq: 1, duplicate: false },
		]).toContainEqual(accepted);
		expect(Object.entries(await hubRows(hub)).filter(([, n]) => n > 0)).toEqual([]);
		expect(await hub.accept({ id: "later", text: "And this?" })).toEqual({ ok: false, reason: "not_found" });
	});

	it("removes its storage, archive segments, cached summary and summary-registry entry, closes its sockets with 1000, and is gone for every call after", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 60);
		await hub.accept({ id: "trigger", text: "Please delete my data afterwards." });
		await waitFor(
			() => hub.storage(),
			(s) => (s?.archiveSegments ?? 0) > 0,
		);
		expect(await summarizeSession(env, sessionId)).toMatchObject({ result: "stored" });
		const key = await summaryCacheKey(sessionId);
		expect(await createCache(env).get(key, "summary")).toBeDefined();
		await hub.accept({ id: "more", text: "One more thing." });
		const socket = await connect(hub, 1_000_000);

		expect(await hub.erase()).toBe(true);

		expect(await socket.closed).toEqual({ code: 1000, reason: "session deleted" });
		expect((await env.ARCHIVE.list({ prefix: sessionArchivePrefix(sessionId) })).objects).toEqual([]);
		expect(await env.CACHE.get(key)).toBeNull();
		expect(await createCache(env).get(key, "summary")).toBeUndefined();
		expect(await registryOf(sessionId).dueAt(sessionId)).toBeNull();
		expect(await hub.info()).toBeNull();
		expect(await hub.list({ after: 0, limit: 10 })).toBeNull();
		expect(await hub.storage()).toBeNull();
		expect(await hub.accept({ text: "hello?" })).toEqual({ ok: false, reason: "not_found" });
		expect(await hub.erase()).toBe(false);
		const rows = await runInDurableObject(
			hub,
			(_i: SessionHub, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages").one().n,
		);
		expect(rows).toBe(0);
	});

	it("finishes an interrupted erase from its alarm", async () => {
		const { sessionId, hub } = await createdHub();
		await seedConversation(hub, 5);
		await runInDurableObject(hub, (_i: SessionHub, state) => {
			state.storage.sql.exec("UPDATE session SET erasing = 1");
			// Written around the hub's store, which remembers the session row.
			new SessionStore(state.storage.sql).forget();
		});
		expect(await hub.info()).toBeNull();
		await runInDurableObject(hub, (_i: SessionHub, state) => state.storage.setAlarm(Date.now()));
		expect(await runDurableObjectAlarm(hub)).toBe(true);
		const rows = await runInDurableObject(
			hub,
			(_i: SessionHub, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM session").one().n,
		);
		expect(rows).toBe(0);
		expect(await registryOf(sessionId).dueAt(sessionId)).toBeNull();
	});
});
