import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { clientFrameSchema } from "../../src/shared/schemas/client-frame";
import { articleInputSchema, createSessionSchema, listMessagesQuerySchema, postMessageSchema } from "../../src/shared/schemas/http";
import { type ChatTurnJob, chatTurnJobs, decodeJob, encodeJob } from "../../src/shared/schemas/queue";

describe("postMessageSchema", () => {
	it("trims the text and accepts an optional idempotency key", () => {
		expect(postMessageSchema.parse({ id: "abc_DEF-1", text: "  hi  " })).toEqual({ id: "abc_DEF-1", text: "hi" });
	});

	it.each([
		[{ text: "   " }, "text"],
		[{ text: "x".repeat(2001) }, "text"],
		[{ id: "has space", text: "hi" }, "id"],
		[{ id: "x".repeat(65), text: "hi" }, "id"],
		[{ text: "hi", extra: 1 }, ""],
		[{}, "text"],
	])("rejects %j at %s", (body, path) => {
		const result = postMessageSchema.safeParse(body);
		expect(result.success).toBe(false);
		expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
	});

	it("counts 2000 characters after trimming", () => {
		expect(postMessageSchema.safeParse({ text: ` ${"x".repeat(2000)} ` }).success).toBe(true);
	});
});

describe("createSessionSchema", () => {
	it("accepts an empty body", () => {
		expect(createSessionSchema.parse({})).toEqual({});
	});

	it("rejects metadata that serializes past 2 KiB", () => {
		expect(createSessionSchema.safeParse({ metadata: { blob: "x".repeat(2100) } }).success).toBe(false);
		expect(createSessionSchema.safeParse({ metadata: { plan: "team" } }).success).toBe(true);
	});
});

describe("listMessagesQuerySchema", () => {
	it("defaults after to 0 and limit to 50", () => {
		expect(listMessagesQuerySchema.parse({})).toEqual({ after: 0, limit: 50 });
	});

	it.each([{ limit: "0" }, { limit: "101" }, { after: "-1" }, { after: "1.5" }, { limit: "ten" }])("rejects %j", (query) => {
		expect(listMessagesQuerySchema.safeParse(query).success).toBe(false);
	});
});

describe("clientFrameSchema", () => {
	it("accepts send and ping frames", () => {
		expect(clientFrameSchema.parse({ type: "send", text: "hi" })).toEqual({ type: "send", text: "hi" });
		expect(clientFrameSchema.parse({ type: "ping" })).toEqual({ type: "ping" });
	});

	it("rejects unknown frame types", () => {
		expect(clientFrameSchema.safeParse({ type: "subscribe" }).success).toBe(false);
	});
});

describe("article bodies", () => {
	it("refuse text with a lone surrogate, which storage would silently replace", () => {
		expect(articleInputSchema.safeParse({ title: "ok", body: "a\ud800b" }).success).toBe(false);
		expect(articleInputSchema.safeParse({ title: "\udc00", body: "ok" }).success).toBe(false);
		expect(articleInputSchema.safeParse({ title: "ok 😀", body: "ok" }).success).toBe(true);
	});
});

describe("chat turn jobs", () => {
	const job: ChatTurnJob = {
		type: "chat.turn",
		v: 2,
		sessionId: "ses_1",
		messageIds: ["m1"],
		traceId: "t1",
		enqueuedAt: Date.parse("2026-01-02T03:04:05Z"),
		reason: "accepted",
		attempt: 1,
	};

	it("round-trip through plain JSON", () => {
		expect(encodeJob(job)).toBe(JSON.stringify(job));
		expect(decodeJob(encodeJob(job))).toEqual(job);
	});

	it("read a v1 body (superjson text, the time a Date) as v2", () => {
		const v1 = { ...job, v: 1, enqueuedAt: new Date(job.enqueuedAt) };
		expect(decodeJob(superjson.stringify(v1))).toEqual(job);
	});

	it("read a v1 body from before `attempt` existed as a first attempt", () => {
		const { attempt: _attempt, ...older } = { ...job, v: 1, enqueuedAt: new Date(job.enqueuedAt) };
		expect(decodeJob(superjson.stringify(older))).toEqual({ ...job, attempt: 1 });
	});

	it("are split so that none carries more than 100 message ids", () => {
		const messageIds = Array.from({ length: 250 }, (_, i) => `m${i}`);
		const jobs = chatTurnJobs({ sessionId: "ses_1", messageIds, enqueuedAt: Date.now(), reason: "watchdog" });
		expect(jobs.map((j) => j.messageIds.length)).toEqual([100, 100, 50]);
		expect(jobs.flatMap((j) => j.messageIds)).toEqual(messageIds);
		for (const j of jobs) expect(() => encodeJob(j)).not.toThrow();
	});

	it.each([
		["not json"],
		[42],
		[JSON.stringify({ json: { type: "chat.turn", v: 2 } })],
		[JSON.stringify({ ...job, v: 1 })],
		[JSON.stringify({ ...job, enqueuedAt: "2026-01-02T03:04:05Z" })],
	])("refuse a malformed body %j", (body) => {
		expect(() => decodeJob(body)).toThrow();
	});
});
