/**
 * The memo in front of `words`, `terms` and `normalizeQuestion` (src/shared/text/text-memo.ts):
 * the same answer as computing afresh, frozen so no caller can change it for
 * the next, bounded in texts and in text length.
 */
import { describe, expect, it } from "vitest";
import { normalizeQuestion } from "../../../src/shared/cache/normalize-question";
import { terms, words } from "../../../src/shared/text/terms";
import { MEMO_MAX_CHARS, MEMO_TEXTS, memoizeText } from "../../../src/shared/text/text-memo";

describe("remembered text analysis", () => {
	it("computes a text once and hands every caller the same frozen answer", () => {
		let computed = 0;
		const split = memoizeText((text) => {
			computed++;
			return text.split(" ");
		});
		const first = split("reset my password");
		expect(split("reset my password")).toBe(first);
		expect(computed).toBe(1);
		expect(Object.isFrozen(first)).toBe(true);
		expect(() => (first as string[]).push("x")).toThrow(TypeError);
	});

	it("keeps the newest texts only, and never keeps a long one", () => {
		let computed = 0;
		const split = memoizeText((text) => {
			computed++;
			return [text];
		});
		split("kept");
		for (let i = 0; i < MEMO_TEXTS; i++) {
			split(`filler ${i}`);
			// "kept" is used again now and then, so it stays among the newest.
			if (i % 100 === 0) split("kept");
		}
		split("filler 0");
		const before = computed;
		split("kept");
		expect(computed).toBe(before);
		const long = "x".repeat(MEMO_MAX_CHARS + 1);
		split(long);
		split(long);
		expect(computed).toBe(before + 2);
	});

	it("takes wider bounds for longer texts, and still computes what is past them every time", () => {
		let computed = 0;
		const upper = memoizeText(
			(text) => {
				computed++;
				return text.toUpperCase();
			},
			{ texts: 2, maxChars: 2000 },
		);
		const article = "a".repeat(MEMO_MAX_CHARS + 1);
		expect(upper(article)).toBe(article.toUpperCase());
		upper(article);
		expect(computed).toBe(1);
		const longer = "b".repeat(2001);
		upper(longer);
		upper(longer);
		expect(computed).toBe(3);
		// Two texts at most: a third pushes out the oldest.
		upper("c");
		upper("d");
		upper(article);
		expect(computed).toBe(6);
	});

	it("remembers a text's text too, the empty one included", () => {
		let computed = 0;
		const fold = memoizeText((text) => {
			computed++;
			return text.trim().toLowerCase();
		});
		expect([fold(" Hi "), fold(" Hi "), fold("  "), fold("  ")]).toEqual(["hi", "hi", "", ""]);
		expect(computed).toBe(2);
	});

	it("gives words, terms and normalizeQuestion the answers they always gave", () => {
		expect(terms("How do I get a refund?")).toEqual(["refund"]);
		expect(terms("How do I get a refund?")).toEqual(["refund"]);
		expect(words("Log in to Brightdesk")).toEqual(["log", "in", "to", "brightdesk"]);
		expect(normalizeQuestion("Hi! How do I reset my PASSWORD? Thanks")).toBe("how do i reset my password");
		expect(normalizeQuestion("Hi! How do I reset my PASSWORD? Thanks")).toBe("how do i reset my password");
	});
});
