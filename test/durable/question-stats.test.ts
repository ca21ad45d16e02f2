/**
 * The most asked first questions: a bounded top-K (Space-Saving) that never
 * grows past its capacity and never loses a frequent question, keeps a
 * question's text only once enough sessions asked it (issue 17). The hourly
 * cron that warms them: test/consumers/crons.test.ts.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CAPACITY, type QuestionStats } from "../../src/durable/question-stats/question-stats";
import { configOf } from "../../src/shared/config";

/** The k: the tests run with the default. */
const K = configOf(env).warmMinSessions;

function freshStats() {
	return env.QUESTION_STATS.get(env.QUESTION_STATS.idFromName(`stats-${crypto.randomUUID()}`));
}

/** Every text the object's SQLite holds for its questions, whatever the row. */
function storedTexts(state: DurableObjectState): (string | null)[] {
	return state.storage.sql
		.exec<{ text: string | null }>("SELECT text FROM question_counts")
		.toArray()
		.map((row) => row.text);
}

async function recordTimes(stats: ReturnType<typeof freshStats>, question: string, times: number): Promise<void> {
	for (let i = 0; i < times; i++) await stats.record({ question });
}

describe("QuestionStats", () => {
	it("ranks questions by how many sessions asked them", async () => {
		const stats = freshStats();
		await recordTimes(stats, "refund", K + 1);
		await recordTimes(stats, "password", K + 3);
		await recordTimes(stats, "invoice", K);
		expect(await stats.top(2)).toEqual([
			{ text: "password", count: K + 3 },
			{ text: "refund", count: K + 1 },
		]);
	});

	it(`tracks at most ${CAPACITY} questions, and keeps a frequent one through a flood of rare ones`, async () => {
		const stats = freshStats();
		await runInDurableObject(stats, async (instance: QuestionStats) => {
			for (let i = 0; i < 20; i++) await instance.record({ question: "popular" });
			for (let i = 0; i < CAPACITY * 2; i++) await instance.record({ question: `rare ${i}` });
			expect(instance.size()).toBe(CAPACITY);
			expect(instance.top(1)).toEqual([{ text: "popular", count: 20 }]);
		});
	});

	it(`in a long tail, top(100) holds only questions at least ${K} sessions asked, and none of 2,000 one-offs`, async () => {
		const stats = freshStats();
		const popular = Array.from({ length: 20 }, (_, i) => `popular question ${i}`);
		await runInDurableObject(stats, async (instance: QuestionStats) => {
			// Ten rounds, each asking every popular question once and 200 one-offs: the tail pushes through the capacity.
			for (let round = 0; round < 10; round++) {
				for (const question of popular) await instance.record({ question });
				for (let i = 0; i < 200; i++) await instance.record({ question: `one-off ${round * 200 + i}, my order 4417-${i}` });
			}
			const top = instance.top(100);
			expect(top.map((q) => q.text).sort()).toEqual([...popular].sort());
			expect(top.every((q) => q.count >= K && q.count <= 10)).toBe(true);
		});
	});

	it(`keeps no text for a question ${K - 1} sessions asked, and keeps it at ${K}`, async () => {
		const stats = freshStats();
		await recordTimes(stats, "how do i change my email", K - 1);
		await runInDurableObject(stats, (_instance: QuestionStats, state) => {
			expect(storedTexts(state)).toEqual([null]);
		});
		expect(await stats.top(10)).toEqual([]);

		await stats.record({ question: "how do i change my email" });
		await runInDurableObject(stats, (_instance: QuestionStats, state) => {
			expect(storedTexts(state)).toEqual(["how do i change my email"]);
		});
		expect(await stats.top(10)).toEqual([{ text: "how do i change my email", count: K }]);
	});

	it("keys rows by the question's SHA-256, not its text", async () => {
		const stats = freshStats();
		await stats.record({ question: "abc" });
		await runInDurableObject(stats, (_instance: QuestionStats, state) => {
			const keys = state.storage.sql.exec<{ key: string }>("SELECT key FROM question_counts").toArray();
			expect(keys).toEqual([{ key: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" }]);
		});
	});

	it(`forgets the text when a retraction brings a question back below ${K} sessions`, async () => {
		const stats = freshStats();
		await recordTimes(stats, "cancel my plan", K);
		await stats.retract({ question: "cancel my plan" });
		await runInDurableObject(stats, (instance: QuestionStats, state) => {
			expect(storedTexts(state)).toEqual([null]);
			expect(instance.top(10)).toEqual([]);
		});
	});

	it("drops a question's row, hash included, when every session that asked it is retracted", async () => {
		const stats = freshStats();
		await recordTimes(stats, "close my account", 2);
		await stats.retract({ question: "close my account" });
		await stats.retract({ question: "close my account" });
		await stats.retract({ question: "close my account" });
		expect(await stats.size()).toBe(0);
	});

	it("counts a newcomer's inherited count as error, so a one-off that evicts never qualifies", async () => {
		const stats = freshStats();
		await runInDurableObject(stats, async (instance: QuestionStats, state) => {
			for (let i = 0; i < CAPACITY; i++) await instance.record({ question: `filler ${i}` });
			for (let i = 0; i < CAPACITY; i++) await instance.record({ question: `filler ${i}` });
			await instance.record({ question: "a newcomer with my phone 555-0100" });
			const row = state.storage.sql
				.exec<{ count: number; error: number; text: string | null }>("SELECT count, error, text FROM question_counts WHERE error > 0")
				.one();
			expect(row).toEqual({ count: 3, error: 2, text: null });
			expect(instance.top(CAPACITY).map((q) => q.text)).not.toContain("a newcomer with my phone 555-0100");
		});
	});

	it("refuses a question that is empty or over 2,000 characters", async () => {
		// Called on the instance: a rejected RPC call would also surface as an unhandled rejection in workerd.
		await runInDurableObject(freshStats(), async (instance: QuestionStats) => {
			await expect(instance.record({ question: "" })).rejects.toThrow();
			await expect(instance.record({ question: "x".repeat(2001) })).rejects.toThrow();
			expect(instance.size()).toBe(0);
		});
	});
});
