import { describe, expect, it } from "vitest";
import { planOutcome } from "../../src/durable/session-hub/outcomes";

const DAY = 86_400_000;
const answeredAt = Date.parse("2026-12-01T10:00:00.000Z");
const answer = { role: "assistant" as const, createdAt: new Date(answeredAt).toISOString() };
const open = { status: "open" as const, reason: null, awaitingAgentSince: null };

describe("planOutcome", () => {
	it("assumes the assistant resolved a conversation never handed to people, once the user has been quiet a day after its answer", () => {
		expect(planOutcome(answeredAt + DAY - 1, DAY, open, answer)).toEqual({ kind: "wait", at: answeredAt + DAY });
		expect(planOutcome(answeredAt + DAY, DAY, open, answer)).toEqual({ kind: "count", outcome: "bot_resolved" });
	});

	it("assumes nothing while the user has the last word, or once the conversation was ever handed to people", () => {
		expect(planOutcome(answeredAt + 2 * DAY, DAY, open, { role: "user", createdAt: answer.createdAt })).toEqual({ kind: "none" });
		expect(planOutcome(answeredAt + 2 * DAY, DAY, { ...open, reason: "user_request" }, answer)).toEqual({ kind: "none" });
		expect(planOutcome(answeredAt + 2 * DAY, DAY, { ...open, status: "closed" }, answer)).toEqual({ kind: "none" });
	});

	it("counts an escalated conversation no agent wrote in within a day as abandoned", () => {
		const waiting = { status: "escalated" as const, reason: "bot_declined" as const, awaitingAgentSince: answeredAt };
		expect(planOutcome(answeredAt + 1000, DAY, waiting, answer)).toEqual({ kind: "wait", at: answeredAt + DAY });
		expect(planOutcome(answeredAt + DAY, DAY, waiting, answer)).toEqual({ kind: "count", outcome: "abandoned" });
		expect(planOutcome(answeredAt + DAY, DAY, { ...waiting, awaitingAgentSince: null }, answer)).toEqual({ kind: "none" });
	});
});
