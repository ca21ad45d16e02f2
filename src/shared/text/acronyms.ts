/**
 * Acronyms a user types for what a help center spells out: "does the DPA include the SCCs?" where
 * the article says "the EU Standard Contractual Clauses", "as slack DMs" where it says "Slack
 * direct messages". A reader matches the letters to the words; a bag of words sees a term no
 * article contains, and declines. Pure.
 */
import { terms } from "./terms";

/** Typed in capitals, two to five letters, maybe with a plural "s": "SCCs", "DMs", "SLA". */
const ACRONYM = /\b([A-Z]{2,5})s?\b/g;

/**
 * `question` with each acronym that `texts` never use spelled out as they do, when one of them has
 * a run of words with those initials ("SCC": "Standard Contractual Clauses"); as typed otherwise.
 * A run in capitals wins over one in lower case, and a two-letter acronym only spells out words
 * that each mean something ("DM": "direct messages", never "do more").
 * @example expandAcronyms("does it include the SCCs?", ["The DPA includes the EU Standard Contractual Clauses."]) // "does it include the Standard Contractual Clauses?"
 */
export function expandAcronyms(question: string, texts: readonly string[]): string {
	return question.replace(ACRONYM, (typed: string, letters: string) => {
		// Used as typed, singular or plural, anywhere in the articles ("SSO", "APIs"): nothing to spell out.
		const used = new RegExp(`\\b${letters}s?\\b`, "i");
		if (texts.some((text) => used.test(text))) return typed;
		return spelledOut(letters.toLowerCase(), texts) ?? typed;
	});
}

function spelledOut(letters: string, texts: readonly string[]): string | undefined {
	let lowerCase: string | undefined;
	for (const text of texts) {
		const words = text.match(/\p{L}+/gu) ?? [];
		for (let i = 0; i + letters.length <= words.length; i++) {
			const run = words.slice(i, i + letters.length);
			if (run.some((word, j) => word[0]?.toLowerCase() !== letters[j])) continue;
			// Each word must count as a word of its own ("my", "the" and "do" do not).
			if (run.some((word) => terms(word).length === 0)) continue;
			if (run.every((word) => /^\p{Lu}/u.test(word))) return run.join(" ");
			lowerCase ??= run.join(" ");
		}
	}
	return lowerCase;
}
