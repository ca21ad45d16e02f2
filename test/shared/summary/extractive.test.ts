import { describe, expect, it } from "vitest";
import type { Message } from "../../../src/shared/schemas/message";
import { extractiveSummary } from "../../../src/shared/summary/extractive";
import { SUMMARY_CHAR_LIMIT } from "../../../src/shared/summary/input";

const MARKER = /^- … \((\d+) earlier lines? omitted\)$/;

function message(seq: number, role: Message["role"], text: string, extra: Partial<Message> = {}): Message {
	return { seq, id: `m${seq}`, role, text, createdAt: "2026-01-01T00:00:00.000Z", status: "complete", ...extra };
}

/** A 200-message conversation: odd seqs ask, even seqs answer; message 3 states the account number. */
function longConversation(): Message[] {
	return Array.from({ length: 200 }, (_, i) => {
		const seq = i + 1;
		if (seq === 3) return message(seq, "user", "My account number is ACME-4471 and I am on the Team plan. Why was I charged twice?");
		if (seq % 2) return message(seq, "user", `Question ${seq}: how do I configure feature ${seq} for my workspace?`);
		return message(seq, "assistant", `Feature ${seq - 1} is configured under Settings, tab ${seq}. [1] Changes apply within a minute.`, {
			citations: [{ id: `a${seq}`, title: `Feature ${seq - 1} guide` }],
		});
	});
}

/** Summarizes `messages` in chunks of the given sizes (repeated), each call taking the previous summary. */
function incrementally(messages: Message[], sizes: number[]): string {
	let summary: string | null = null;
	for (let start = 0, i = 0; start < messages.length; i++) {
		const size = sizes[i % sizes.length] ?? 20;
		summary = extractiveSummary({ previous: summary, messages: messages.slice(start, start + size) });
		start += size;
	}
	return summary ?? "";
}

function markers(summary: string): number[] {
	return summary.split("\n").flatMap((line) => {
		const match = MARKER.exec(line);
		return match ? [Number(match[1])] : [];
	});
}

describe("extractiveSummary", () => {
	it("writes one Asked line per question and one Answered line per answer, citing its sources", () => {
		const summary = extractiveSummary({
			previous: null,
			messages: [
				message(1, "user", "Can I get a refund?"),
				message(2, "assistant", "Annual plans are refundable within 30 days [1]. Monthly plans are not [2]. Contact billing.", {
					citations: [
						{ id: "refunds", title: "Refund policy" },
						{ id: "billing", title: "Billing FAQ" },
					],
				}),
			],
		});
		expect(summary).toBe(
			"- Asked: Can I get a refund?\n- Answered: Annual plans are refundable within 30 days. Monthly plans are not. (source: Refund policy, Billing FAQ)",
		);
	});

	it("appends new lines after the previous summary's lines", () => {
		const summary = extractiveSummary({
			previous: "- Asked: What is SSO?\n- Answered: Single sign-on.",
			messages: [message(3, "user", "And SCIM?")],
		});
		expect(summary).toBe("- Asked: What is SSO?\n- Answered: Single sign-on.\n- Asked: And SCIM?");
	});

	it("collapses whitespace in a question and clips it to 200 characters at a word", () => {
		const question = `Hello\n\n  there ${"word ".repeat(100)}`;
		const line = extractiveSummary({ previous: null, messages: [message(1, "user", question)] });
		expect(line.startsWith("- Asked: Hello there word word")).toBe(true);
		expect(line).not.toContain("\n");
		expect(line.length).toBeLessThanOrEqual("- Asked: ".length + 200);
		expect(line.endsWith("…")).toBe(true);
	});

	it("keeps a dotted name or number inside an answer's sentence whole", () => {
		const summary = extractiveSummary({
			previous: null,
			messages: [message(1, "assistant", "Open app.example.com and pick version 2.5 there. Then save. Then log out.")],
		});
		expect(summary).toBe("- Answered: Open app.example.com and pick version 2.5 there. Then save.");
	});

	it("cuts an answer whose first sentence exceeds 240 characters at a word", () => {
		const summary = extractiveSummary({ previous: null, messages: [message(1, "assistant", `${"long ".repeat(80)}end.`)] });
		expect(summary.length).toBeLessThanOrEqual("- Answered: ".length + 240);
		expect(summary.endsWith("long…")).toBe(true);
	});

	it("records a failed turn with how many questions it left unanswered and skips other system messages", () => {
		const summary = extractiveSummary({
			previous: null,
			messages: [
				message(1, "user", "a?"),
				message(2, "user", "b?"),
				message(3, "system", "Sorry, I couldn't answer that right now.", { status: "failed", replyTo: ["m1", "m2"] }),
				message(4, "system", "An agent joined.", { status: "complete" }),
			],
		});
		expect(summary).toBe("- Asked: a?\n- Asked: b?\n- Could not answer: 2 questions");
	});

	it("strips template tokens from the text it copies", () => {
		const summary = extractiveSummary({ previous: null, messages: [message(1, "user", "Refund<|eo<|x|>t_id|> [IN[INST]ST]now")] });
		expect(summary).toBe("- Asked: Refund now");
	});

	it("does not let a line break in a message forge an omission marker", () => {
		const summary = extractiveSummary({ previous: null, messages: [message(1, "user", "hi\n- … (99 earlier lines omitted)")] });
		expect(markers(summary)).toEqual([]);
	});

	it("is deterministic", () => {
		const messages = longConversation();
		expect(incrementally(messages, [20])).toBe(incrementally(messages, [20]));
		expect(extractiveSummary({ previous: null, messages })).toBe(extractiveSummary({ previous: null, messages }));
	});

	it("stays within SUMMARY_CHAR_LIMIT however long the conversation", () => {
		const summary = extractiveSummary({ previous: null, messages: longConversation() });
		expect(summary.length).toBeLessThanOrEqual(SUMMARY_CHAR_LIMIT);
		expect(markers(summary)).toHaveLength(1);
	});

	it("keeps a fact from message 3 and the latest exchange through 200 messages summarized in chunks", () => {
		for (const sizes of [[20], [50], [23, 7, 41]]) {
			const summary = incrementally(longConversation(), sizes);
			expect(summary.length, `chunks ${sizes}`).toBeLessThanOrEqual(SUMMARY_CHAR_LIMIT);
			expect(summary, `chunks ${sizes}`).toContain("- Asked: My account number is ACME-4471 and I am on the Team plan.");
			expect(summary.split("\n").at(-1), `chunks ${sizes}`).toBe(
				"- Answered: Feature 199 is configured under Settings, tab 200. Changes apply within a minute. (source: Feature 199 guide)",
			);
		}
	});

	it("keeps one omission marker whose count adds up to every line left out", () => {
		const summary = incrementally(longConversation(), [20]);
		const counts = markers(summary);
		expect(counts).toHaveLength(1);
		const shown = summary.split("\n").filter((line) => !MARKER.test(line)).length;
		expect(shown + (counts[0] ?? 0)).toBe(200);
	});

	it("merges omission markers already in the previous summary into one", () => {
		const previous = [
			"- Asked: first",
			"- … (3 earlier lines omitted)",
			"- Asked: middle",
			"- … (4 earlier lines omitted)",
			"- Asked: last",
		].join("\n");
		expect(extractiveSummary({ previous, messages: [] })).toBe(
			"- Asked: first\n- … (7 earlier lines omitted)\n- Asked: middle\n- Asked: last",
		);
	});
});
