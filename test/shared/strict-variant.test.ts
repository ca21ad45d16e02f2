/**
 * The e2e tests check the server's answers with strict variants derived from
 * the shared schemas (test/support/strict.ts). The derivation must keep every
 * rule of the original and add exactly one: no unknown fields, at any depth.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { serverFrameSchema } from "../../src/shared/schemas/frames";
import { healthSchema, messagePageSchema, problemSchema } from "../../src/shared/schemas/responses";
import { strict } from "../support/strict";

const message = {
	seq: 1,
	id: "m-1",
	role: "user",
	text: "hi",
	createdAt: "2026-11-27T17:30:01.020Z",
	citations: [{ id: "a", title: "A" }],
	status: "complete",
};

describe("strict(schema)", () => {
	it("accepts what the original accepts, with the same output", () => {
		const page = { messages: [message], lastSeq: 1, hasMore: false };
		expect(strict(messagePageSchema).parse(page)).toEqual(messagePageSchema.parse(page));
		const health = { status: "ok", version: "1", checks: { r2: { status: "ok", latencyMs: 1 } } };
		expect(strict(healthSchema).parse(health)).toEqual(health);
	});

	it.each([
		["at the top", { messages: [], lastSeq: 0, hasMore: false, extra: 1 }],
		["in an array item", { messages: [{ ...message, extra: 1 }], lastSeq: 1, hasMore: false }],
		["two levels down", { messages: [{ ...message, citations: [{ id: "a", title: "A", extra: 1 }] }], lastSeq: 1, hasMore: false }],
	])("rejects an unknown field %s, which the original strips", (_where, page) => {
		expect(messagePageSchema.safeParse(page).success).toBe(true);
		expect(strict(messagePageSchema).safeParse(page).success).toBe(false);
	});

	it("rejects an unknown field inside a record value and inside a discriminated-union member", () => {
		expect(
			strict(healthSchema).safeParse({ status: "ok", version: "1", checks: { r2: { status: "ok", latencyMs: 1, x: 1 } } }).success,
		).toBe(false);
		expect(strict(serverFrameSchema).safeParse({ type: "pong", x: 1 }).success).toBe(false);
		expect(strict(serverFrameSchema).safeParse({ type: "message", ...message, x: 1 }).success).toBe(false);
	});

	it("keeps every other rule: bounds, formats, enums and optionality agree with the original on input with no unknown fields", () => {
		// Each frame type's own fields (and no others), each sometimes valid and sometimes not, some left out.
		const fields = fieldsLike();
		const frameLike = fc.oneof(
			...serverFrameSchema.def.options.map((option) => {
				const keys = Object.keys(option.shape).filter((key) => key !== "type") as (keyof typeof fields)[];
				// A frame field with no generator here would go untested: add one when the schema grows.
				for (const key of keys) expect(fields[key], `a generator for the frame field "${key}"`).toBeDefined();
				const type = fc.constant(option.shape.type.def.values[0]);
				return fc.record({ type, ...Object.fromEntries(keys.map((key) => [key, fields[key]])) }, { requiredKeys: ["type"] });
			}),
		);
		const problemLike = fc.record({ type: fc.string(), title: fc.string(), status: fc.integer({ min: 0, max: 700 }), detail: fc.string() });
		let accepted = 0;
		fc.assert(
			fc.property(frameLike, (value) => {
				const success = serverFrameSchema.safeParse(value).success;
				if (success) accepted++;
				expect(strict(serverFrameSchema).safeParse(value).success).toBe(success);
			}),
			{ numRuns: 1000 },
		);
		fc.assert(
			fc.property(problemLike, (value) => {
				expect(strict(problemSchema).safeParse(value).success).toBe(problemSchema.safeParse(value).success);
			}),
			{ numRuns: 300 },
		);
		// Both outcomes came up, so the agreement means something.
		expect(accepted).toBeGreaterThan(20);
		expect(accepted).toBeLessThan(980);
	});
});

/** Every field a server frame has, each sometimes valid and sometimes not. */
function fieldsLike() {
	const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof(valid, fc.jsonValue({ maxDepth: 1 }));
	return {
		sessionId: maybe(fc.string()),
		lastSeq: maybe(fc.integer({ min: -2, max: 5 })),
		turn: maybe(fc.string()),
		state: maybe(fc.constantFrom("queued", "thinking", "done", "nope")),
		replyTo: maybe(fc.array(fc.string())),
		offset: maybe(fc.integer({ min: -2, max: 5 })),
		text: maybe(fc.string()),
		throughSeq: maybe(fc.integer({ min: -1, max: 5 })),
		code: maybe(fc.constantFrom("bad_frame", "rate_limited", "unavailable", "other")),
		message: maybe(fc.string()),
		seq: maybe(fc.integer({ min: -1, max: 5 })),
		id: maybe(fc.string()),
		role: maybe(fc.constantFrom("user", "assistant", "system", "bot")),
		createdAt: maybe(fc.constantFrom("2026-11-27T17:30:01.020Z", "yesterday", "2026-11-27T17:30:01+01:00")),
		status: maybe(fc.constantFrom("complete", "failed", "truncated", "x")),
		citations: maybe(fc.array(fc.record({ id: fc.string(), title: fc.string() }, { requiredKeys: ["id"] }))),
		author: maybe(fc.record({ id: fc.string(), name: fc.string() }, { requiredKeys: ["id"] })),
		position: maybe(fc.integer({ min: -1, max: 5 })),
		etaSeconds: maybe(fc.integer({ min: -1, max: 60 })),
		tools: maybe(
			fc.array(
				fc.record({ callId: fc.string(), name: fc.string(), status: fc.constantFrom("done", "failed", "x") }, { requiredKeys: ["callId"] }),
			),
		),
		callId: maybe(fc.string()),
		tool: maybe(fc.string()),
		summary: maybe(fc.string()),
	};
}

// The variants are schemas like any other: zod's own functions take them.
it("is a zod schema", () => {
	expect(
		z.safeParse(strict(problemSchema), { type: "about:blank", title: "Not Found", status: 404, detail: "No such resource." }).success,
	).toBe(true);
});
