import { describe, expect, it } from "vitest";
import {
	dropInvisible,
	sanitizeText,
	stripTemplateTokens,
	stripTemplateTokensAfter,
	TEMPLATE_TOKENS,
} from "../../../src/shared/turn/template-tokens";
import { seededRandom as random } from "../../support/random";

/** The definition stripTemplateTokens must agree with: replace until nothing changes. */
function stripByRepeating(text: string): string {
	for (;;) {
		const next = text.replace(TEMPLATE_TOKENS, "");
		if (next === text) return text;
		text = next;
	}
}

/** Pieces of tokens and of text around them, so random strings nest tokens often. */
const PIECES = ["<", "<<", "|", "|>", ">", ">>", "[", "]", "/", "eot_id", "x", "IN", "ST", "INST", "SYS", "s", "a ", "[1]", "é"];

describe("stripTemplateTokens", () => {
	it("removes every template token, nested or not, exactly as replacing until nothing changes does", () => {
		const next = random(42);
		for (let n = 0; n < 3000; n++) {
			const text = Array.from({ length: 1 + Math.floor(next() * 24) }, () => PIECES[Math.floor(next() * PIECES.length)]).join("");
			expect(stripTemplateTokens(text), JSON.stringify(text)).toBe(stripByRepeating(text));
		}
	});

	it("goes on from an already stripped text exactly as stripping the whole does, wherever the text is split", () => {
		const next = random(11);
		for (let n = 0; n < 2000; n++) {
			const text = Array.from({ length: 1 + Math.floor(next() * 24) }, () => PIECES[Math.floor(next() * PIECES.length)]).join("");
			const at = Math.floor(next() * (text.length + 1));
			expect(stripTemplateTokensAfter(stripTemplateTokens(text.slice(0, at)), text.slice(at)), JSON.stringify([text, at])).toBe(
				stripByRepeating(text),
			);
		}
	});

	it("agrees with replacing until nothing changes on long texts with astral characters between the tokens", () => {
		const next = random(7);
		const pieces = [...PIECES, "👍", "Reset your password from Settings. ", "<|eot_id|>"];
		for (let n = 0; n < 500; n++) {
			const text = Array.from({ length: 1 + Math.floor(next() * 200) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
			expect(stripTemplateTokens(text), JSON.stringify(text)).toBe(stripByRepeating(text));
		}
	});

	it("keeps text next to astral characters intact", () => {
		expect(stripTemplateTokens("👍<|eo<|x|>t_id|>👍 [1]")).toBe("👍👍 [1]");
	});
});

describe("dropInvisible", () => {
	it("drops zero-width, bidi and tag characters but keeps emoji presentation selectors", () => {
		expect(dropInvisible("a\u200Bb\u00ADc\u202Ed\u2066e\u{E0041}f\uFEFF ❤\uFE0F")).toBe("abcdef ❤\uFE0F");
	});
});

describe("sanitizeText", () => {
	it("folds look-alikes to ASCII before stripping, so disguised tokens go too", () => {
		expect(sanitizeText("\uFF3BINST\uFF3DHi\uFF1C/s\uFF1E")).toBe("Hi");
	});
});
