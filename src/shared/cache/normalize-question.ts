/**
 * The canonical form of a question: what answer and search cache keys are
 * built from, and what a cacheable answer is computed from (the model and
 * the search see this text, never the raw one), so two messages that share a
 * key always share a computation (STYLE §14). It may therefore only remove
 * what cannot change meaning or retrieval: case, spacing, punctuation (a
 * sentence end between two sentences stays, as one dot: it says which
 * sentence asks), compatibility forms, invisible format characters, and filler
 * sentences (greetings, thanks, "quick question:") that stand apart from the
 * question behind punctuation. Every word of the question itself is kept,
 * including "not", "please" and "thanks" when they are part of it ("the
 * Spanish word for please"), digits, symbols like % $ + # @, and the dots,
 * commas and dashes inside numbers and domains.
 */
import { memoizeText } from "../text/text-memo";

// A filler goes only as a sentence of its own: punctuation (or the message's edge) must separate it
// from the question. "Hello world in python" is about "hello world", and "the Spanish word for
// please" is not "the Spanish word for": a filler that runs into the question is part of it.
const GREETINGS = ["hi", "hello", "hey", "hi there", "hello there", "hey there", "good morning", "good afternoon", "good evening"];

// Politeness, dropped at either edge.
const COURTESIES = [
	"please",
	"pls",
	"thanks",
	"thank you",
	"thanks a lot",
	"thank you very much",
	"thanks in advance",
	"many thanks",
	"thx",
];

// Openers that introduce a question without changing it ("Quick question: …"), dropped at the start.
const OPENERS = [
	"quick question",
	"can you tell me",
	"could you tell me",
	"can you please tell me",
	"could you please tell me",
	"please tell me",
	"tell me",
	"i want to know",
	"i wanted to know",
	"i'd like to know",
	"i would like to know",
	"i was wondering",
];

/** Marks where stripped punctuation was, so greetings can require a boundary; never survives into the result. */
const BREAK = "\u0000";
/**
 * Marks where a sentence ended (. ? !). Between two sentences of the question it survives as one
 * ".": "we switched last week. do we get anything back" is a statement and a question, and a reader
 * (the local model's answer check, ai/local-answer-check.ts) must be able to tell which is asked.
 * At either edge it goes, like any punctuation: "How do I reset my password?" and "how do i reset
 * my password" are one question.
 */
const END = "\u0001";
const isBreak = (token: string | undefined) => token === BREAK || token === END;

const phrases = (list: readonly string[]) => list.map((phrase) => phrase.split(" ")).sort((a, b) => b.length - a.length);
const LEADING = phrases([...GREETINGS, ...COURTESIES, ...OPENERS]);
const TRAILING = phrases(COURTESIES);

const ALNUM = /[\p{L}\p{M}\p{N}]/u;
const DIGIT = /\p{N}/u;
const LETTER = /[\p{L}\p{M}]/u;
const SPACE = /\s/u;

/**
 * A question reduced to the form answer keys are built from.
 * @example normalizeQuestion("Hi! How do I reset my PASSWORD? Thanks") // "how do i reset my password"
 * @example normalizeQuestion("What's the Spanish word for please?") // "what's the spanish word for please"
 * @example normalizeQuestion("Is 2FA not required?") // "is 2fa not required"
 * @example normalizeQuestion("Does example.com cost $3.50?") // "does example.com cost $3.50"
 */
export const normalizeQuestion: (text: string) => string = memoizeText(normalizeNow);

function normalizeNow(text: string): string {
	const folded = text
		.normalize("NFKC")
		.toLowerCase()
		// Typographic apostrophes, which NFKC leaves alone, would otherwise split "can’t" from "can't".
		.replace(/[\u2018\u2019\u02bc]/gu, "'")
		// Invisible format characters (zero-width space, soft hyphen, joiners, BOM) are not separators:
		// dropped before tokenizing, here and in the search's own tokenizer (text/terms.ts), so
		// "re\u200Bfund" is "refund" to both.
		.replace(/\p{Cf}/gu, "");
	const tokens = tokenize(folded);
	const trimmed = trimFillers(tokens);
	// A message made only of fillers ("Hi", "Thanks") keeps them, without punctuation: "" would merge "hi" with "thanks".
	if (!trimmed.some((token) => !isBreak(token))) return tokens.filter((token) => !isBreak(token)).join(" ");
	const words: string[] = [];
	let ended = false;
	for (const token of trimmed) {
		if (token === END) ended = true;
		if (isBreak(token)) continue;
		if (ended && words.length > 0) words[words.length - 1] += ".";
		ended = false;
		words.push(token);
	}
	return words.join(" ");
}

/** Words and kept symbols, with END where a sentence ended (. ? !) and BREAK where other punctuation stood. */
function tokenize(text: string): string[] {
	const chars = [...text];
	let out = "";
	for (const [index, char] of chars.entries()) {
		if (SPACE.test(char) || /\p{Cc}/u.test(char)) out += " ";
		else if (!/\p{P}/u.test(char) || keepsMeaning(char, chars[index - 1] ?? "", chars[index + 1] ?? "")) out += char;
		else out += ` ${/[.?!\u3002\uff01\uff1f]/u.test(char) ? END : BREAK} `;
	}
	return out.split(" ").filter((token) => token !== "");
}

/**
 * Whether a punctuation character can change what a question means, given
 * its neighbours. Symbols (\p{S}: $ € + < = ^ °) are never passed here: they are always kept.
 */
function keepsMeaning(char: string, before: string, after: string): boolean {
	switch (char) {
		case "%":
		case "#":
		case "@":
		case "&":
			return true;
		// "3.5", "example.com", "node.js", and a leading ".env" or ".5".
		case ".":
			return ALNUM.test(after) && (ALNUM.test(before) || before === "" || SPACE.test(before));
		// "can't", "user's": "cant" is another word.
		case "'":
			return LETTER.test(before) && LETTER.test(after);
		// "1,000", "10:30", "1/2", "2-3": turned into spaces they would read as separate numbers.
		case ",":
		case ":":
		case "/":
			return DIGIT.test(before) && DIGIT.test(after);
		// Also a leading minus: "-5".
		case "-":
			return DIGIT.test(after) && (DIGIT.test(before) || before === "" || SPACE.test(before));
		// "api_key" is an identifier, not two words.
		case "_":
			return ALNUM.test(before) && ALNUM.test(after);
		default:
			return false;
	}
}

/** Drops filler sentences from both edges, repeatedly ("hi, quick question: …"). */
function trimFillers(tokens: readonly string[]): string[] {
	let start = 0;
	let end = tokens.length;
	for (let moved = true; moved; ) {
		moved = false;
		while (start < end && isBreak(tokens[start])) start++;
		while (end > start && isBreak(tokens[end - 1])) end--;
		const lead = LEADING.find((phrase) => matchesAt(tokens, start, end, phrase) && isBoundary(tokens, start + phrase.length, end));
		if (lead) {
			start += lead.length;
			moved = true;
		}
		const trail = TRAILING.find((phrase) => {
			const at = end - phrase.length;
			return at >= start && matchesAt(tokens, at, end, phrase) && (at === start || isBreak(tokens[at - 1]));
		});
		if (trail) {
			end -= trail.length;
			moved = true;
		}
	}
	return tokens.slice(start, end);
}

function matchesAt(tokens: readonly string[], at: number, end: number, phrase: readonly string[]): boolean {
	return at >= 0 && at + phrase.length <= end && phrase.every((word, offset) => tokens[at + offset] === word);
}

function isBoundary(tokens: readonly string[], at: number, end: number): boolean {
	return at >= end || isBreak(tokens[at]);
}
