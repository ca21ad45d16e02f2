import { describe, expect, it } from "vitest";
import type { Message } from "../../../src/shared/schemas/message";
import { conversationalQuery } from "../../../src/shared/turn/conversational-query";

const message = (seq: number, role: Message["role"], text: string, citations?: { id: string; title: string }[]): Message => ({
	seq,
	id: `m${seq}`,
	role,
	text,
	createdAt: "2026-12-03T00:00:00.000Z",
	status: "complete",
	...(role === "assistant" ? { replyTo: [`m${seq - 1}`] } : {}),
	...(citations ? { citations } : {}),
});

describe("conversationalQuery", () => {
	const reset = [
		message(1, "user", "How do I reset my password?"),
		message(2, "assistant", "Click Forgot password… [1]", [{ id: "reset-password", title: "Reset your password" }]),
	];

	it("expands a follow-up with the previous question, boosts what the previous reply cited, and holds to its first citation", () => {
		const history = [...reset, message(3, "user", "And how long is the link valid?")];
		expect(conversationalQuery({ summary: null, history, replyTo: ["m3"] })).toEqual({
			query: "How do I reset my password?\nAnd how long is the link valid?",
			boost: ["reset-password"],
			prior: "reset-password",
			dependent: true,
		});
	});

	it("holds to the article the previous reply chose, not to the one it added", () => {
		const history = [
			message(1, "user", "Where can I see who changed member roles?"),
			message(2, "assistant", "Settings → Security → Audit log [1] … [2]", [
				{ id: "audit-logs", title: "Audit logs" },
				{ id: "manage-seats", title: "Add and remove members" },
			]),
			message(3, "user", "how far back does it go?"),
		];
		const query = conversationalQuery({ summary: null, history, replyTo: ["m3"] });
		expect(query).toMatchObject({ boost: ["audit-logs", "manage-seats"], prior: "audit-logs", dependent: true });
	});

	it("leaves a turn that opens a new topic as asked, with nothing boosted and nothing to fall back on", () => {
		const history = [...reset, message(3, "user", "Thanks! Another question: do you integrate with Slack?")];
		expect(conversationalQuery({ summary: null, history, replyTo: ["m3"] })).toEqual({
			query: "Thanks! Another question: do you integrate with Slack?",
			boost: [],
			dependent: false,
		});
	});

	it("searches a later turn that seems to stand alone as asked, with its conversation to fall back on", () => {
		const history = [...reset, message(3, "user", "whats the max file size for the import?")];
		expect(conversationalQuery({ summary: null, history, replyTo: ["m3"] })).toEqual({
			query: "whats the max file size for the import?",
			boost: ["reset-password"],
			dependent: false,
			ifUnsure: "How do I reset my password?\nwhats the max file size for the import?",
		});
	});

	it("follows a chain of follow-ups back to the question that named the topic", () => {
		const history = [
			...reset,
			message(3, "user", "and how long is the link valid?"),
			message(4, "assistant", "60 minutes [1]", [{ id: "reset-password", title: "Reset your password" }]),
			message(5, "user", "what if it expired?"),
		];
		expect(conversationalQuery({ summary: null, history, replyTo: ["m5"] }).query).toBe(
			"How do I reset my password?\nand how long is the link valid?\nwhat if it expired?",
		);
	});

	it("falls back on the running summary when the earlier questions are archived", () => {
		const history = [message(7, "user", "and for annual plans?")];
		expect(conversationalQuery({ summary: "The customer asked how refunds work.", history, replyTo: ["m7"] })).toEqual({
			query: "The customer asked how refunds work.\nand for annual plans?",
			boost: [],
			dependent: true,
		});
	});

	it("searches a first turn as asked, even a short one", () => {
		const history = [message(1, "user", "refund?")];
		expect(conversationalQuery({ summary: null, history, replyTo: ["m1"] })).toEqual({ query: "refund?", boost: [], dependent: false });
	});
});
