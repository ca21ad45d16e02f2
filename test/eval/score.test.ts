import { describe, expect, it } from "vitest";
import type { Expectation } from "../../eval/dialogues";
import { accuracy, judge, tally } from "../../eval/score";
import { HANDOFF_REPLY } from "../../src/shared/text/person-request";

const answer: Expectation = { kind: "answer", article: "reset-password", fact: ["60 minutes", "one hour"] };
const decline: Expectation = { kind: "decline" };
const cite = (...ids: string[]) => ids.map((id) => ({ id, title: id }));

describe("the eval's judge", () => {
	it("passes an answer that cites the article and states a fact, whatever its case and spacing", () => {
		expect(
			judge(answer, { text: "The link expires after 60\nMINUTES. [1]", status: "complete", citations: cite("reset-password") }),
		).toEqual({ ok: true });
	});

	it("fails an answer without the fact, from another article, declined, unfinished or missing", () => {
		expect(judge(answer, { text: "It expires soon. [1]", status: "complete", citations: cite("reset-password") }).ok).toBe(false);
		expect(judge(answer, { text: "Valid for 60 minutes. [1]", status: "complete", citations: cite("gdpr-data-export") }).ok).toBe(false);
		expect(
			judge(answer, {
				text: "I'm sorry, I couldn't find an answer to that. 60 minutes",
				status: "complete",
				citations: cite("reset-password"),
			}).ok,
		).toBe(false);
		expect(judge(answer, { text: "Valid for 60 minutes. [1]", status: "truncated", citations: cite("reset-password") }).ok).toBe(false);
		expect(judge(answer, undefined)).toEqual({ ok: false, why: "no reply" });
	});

	it("passes a decline only when it declines and cites nothing", () => {
		expect(judge(decline, { text: "I'm sorry, I couldn't find an answer to that in our help center.", status: "complete" }).ok).toBe(true);
		expect(judge(decline, { text: "I'm sorry, I couldn't find an answer to that.", status: "complete", citations: cite("a") }).ok).toBe(
			false,
		);
		expect(judge(decline, { text: "Sure! Brightdesk has a dark mode. [1]", status: "complete", citations: cite("a") }).ok).toBe(false);
	});

	it("passes a request for a person only with the handoff answer, and a turn after it only with no reply", () => {
		expect(judge({ kind: "handoff" }, { text: HANDOFF_REPLY, status: "complete" })).toEqual({ ok: true });
		expect(
			judge({ kind: "handoff" }, { text: "You can email support. [1]", status: "complete", citations: cite("contact-support") }).ok,
		).toBe(false);
		expect(judge({ kind: "handoff" }, undefined).ok).toBe(false);
		expect(judge({ kind: "silent" }, undefined)).toEqual({ ok: true });
		expect(judge({ kind: "silent" }, { text: "Team replies within 1 business day.", status: "complete" }).ok).toBe(false);
	});

	it("adds verdicts up per category", () => {
		const totals = tally([
			{ category: "first", verdict: { ok: true } },
			{ category: "first", verdict: { ok: false } },
			{ category: "follow_up", verdict: { ok: true } },
		]);
		expect(totals.first).toEqual({ right: 1, total: 2 });
		expect(accuracy(totals.first)).toBe(0.5);
		expect(accuracy(totals.switch)).toBe(0);
	});
});
