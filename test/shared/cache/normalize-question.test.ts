import { describe, expect, it } from "vitest";
import { z } from "zod";
import { normalizeQuestion } from "../../../src/shared/cache";
import fixture from "./question-pairs.json";

/** Phrasings that must share one cached answer, and questions that must never share one. */
const pairs = z
	.object({
		merge: z.array(z.array(z.string()).min(2)),
		differ: z.array(z.tuple([z.string(), z.string()])),
	})
	.parse(fixture);

describe("normalizeQuestion", () => {
	it.each(pairs.merge.map((group) => [group[0], group]))("merges every phrasing of %j", (_first, group) => {
		expect(new Set(group.map(normalizeQuestion)).size).toBe(1);
	});

	it.each(pairs.differ)("keeps %j and %j apart", (a, b) => {
		expect(normalizeQuestion(a)).not.toBe(normalizeQuestion(b));
	});

	it("lowercases, collapses spaces, strips sentence punctuation and edge fillers", () => {
		expect(normalizeQuestion("Hi! How do I reset my password? Thanks")).toBe("how do i reset my password");
	});

	it("keeps where the sentences of a question end, as one dot between them, so a reader can tell the question from the statement", () => {
		expect(normalizeQuestion("We switched tools last week... Do we get anything back?!")).toBe(
			"we switched tools last week. do we get anything back",
		);
		expect(normalizeQuestion("How do I export? We might be leaving. Thanks!")).toBe("how do i export. we might be leaving");
		// Commas and colons are not sentence ends.
		expect(normalizeQuestion("Hello, is 2FA required, or optional?")).toBe("is 2fa required or optional");
	});

	it("keeps the symbols and dotted forms that carry meaning", () => {
		expect(normalizeQuestion("Does example.com charge $3.50 (+ 20% VAT) on #billing, @support?")).toBe(
			"does example.com charge $3.50 + 20% vat on #billing @support",
		);
	});

	it("applies NFKC, so full-width and ligature forms meet their plain forms", () => {
		expect(normalizeQuestion("Ｈｏｗ do I ﬁnd my ＩＤ？")).toBe(normalizeQuestion("How do I find my ID?"));
	});

	it("keeps a message made only of fillers rather than reducing it to nothing", () => {
		expect(normalizeQuestion("Hi!")).toBe("hi");
		expect(normalizeQuestion("Thanks")).toBe("thanks");
	});
});
