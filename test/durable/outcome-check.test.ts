/**
 * The hub's outcome check (outcomes.ts decides, the alarm looks): every answer
 * arms it, and a check already armed sooner stays, since it only looks early
 * and the plan then says when to look again. The book remembers the time it
 * stored; these cases compare it with the table after every write.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FeedbackBook } from "../../src/durable/session-hub/feedback-book";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { createdHub } from "../support/hub";

const DAY = 86_400_000;
const answeredAt = Date.parse("2026-12-01T10:00:00.000Z");

describe("the outcome check", () => {
	it("stays armed at the soonest time an answer asked for: a later answer does not move it, the plan does", async () => {
		const { hub } = await createdHub();
		await runInDurableObject(hub, (_instance: SessionHub, state) => {
			const book = new FeedbackBook(state.storage.sql);
			const stored = () => state.storage.sql.exec<{ at: number }>("SELECT at FROM outcome_check").toArray()[0]?.at ?? null;
			book.armOutcomeCheck(answeredAt + DAY);
			book.armOutcomeCheck(answeredAt + DAY + 5000);
			expect([book.outcomeCheckAt(), stored()]).toEqual([answeredAt + DAY, answeredAt + DAY]);
			book.armOutcomeCheck(answeredAt + 1000);
			expect([book.outcomeCheckAt(), stored()]).toEqual([answeredAt + 1000, answeredAt + 1000]);
			// The alarm's plan moves it later (handoff.ts, settleOutcome).
			book.checkOutcomeAt(answeredAt + 2 * DAY);
			expect([book.outcomeCheckAt(), stored()]).toEqual([answeredAt + 2 * DAY, answeredAt + 2 * DAY]);
			book.clearOutcomeCheck();
			expect([book.outcomeCheckAt(), stored()]).toEqual([null, null]);
		});
	});
});
