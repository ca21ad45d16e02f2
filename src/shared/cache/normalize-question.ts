/**
 * Question normalization for answer keys: two phrasings of the same question
 * should share one cached answer, and two different questions never may. So
 * it only removes what cannot change meaning (case, spacing, sentence
 * punctuation, compatibility forms, greetings and thanks at the edges) and
 * keeps everything that can (every word, including "not" and "can't", digits,
 * symbols like % $ + # @, and the dots, commas and dashes inside numbers and
 * domains).
 */

// Greetings go only when punctuation or the end follows them ("Hi! How…",
// "Hello, …"), because "hello world in python" is a question about "hello world".
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

// Openers that wrap a question without changing it, dropped at the start.
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

const phrases = (list: readonly string[]) => list.map((phrase) => phrase.split(" ")).sort((a, b) => b.length - a.length);
const LEADING_ANYWHERE = phrases([...COURTESIES, ...OPENERS]);
const LEADING_BEFORE_BREAK = phrases(GREETINGS);
const TRAILING = phrases(COURTESIES);

const ALNUM = /[\p{L}\p{M}\p{N}]/u;
const DIGIT = /\p{N}/u;
const LETTER = /[\p{L}\p{M}]/u;
const SPACE = /\s/u;

/**
 * A question reduced to the form answer keys are built from.
 * @example normalizeQuestion("Hi! How do I reset my PASSWORD? Thanks") // "how do i reset my password"
 * @example normalizeQuestion("Is 2FA not required?") // "is 2fa not required"
 * @example normalizeQuestion("Does example.com cost $3.50?") // "does example.com cost $3.50"
 */
export function normalizeQuestion(text: string): string {
	const folded = text
		.normalize("NFKC")
		.toLowerCase()
		// Typographic apostrophes, which NFKC leaves alone, would otherwise split "can’t" from "can't".
		.replace(/[\u2018\u2019\u02bc]/gu, "'")
		// Invisible format characters (zero-width space, joiners, BOM) are not separators: drop them outright.
		.replace(/\p{Cf}/gu, "");
	const tokens = tokenize(folded);
	const trimmed = trimFillers(tokens);
	// A message made only of fillers ("Hi", "Thanks") keeps them: "" would merge "hi" with "thanks".
	const kept = trimmed.some((token) => token !== BREAK) ? trimmed : tokens;
	return kept.filter((token) => token !== BREAK).join(" ");
}

/** Words and kept symbols, with BREAK where sentence punctuation stood. */
function tokenize(text: string): string[] {
	const chars = [...text];
	let out = "";
	for (const [index, char] of chars.entries()) {
		if (SPACE.test(char) || /\p{Cc}/u.test(char)) out += " ";
		else if (!/\p{P}/u.test(char) || keepsMeaning(char, chars[index - 1] ?? "", chars[index + 1] ?? "")) out += char;
		else out += ` ${BREAK} `;
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

/** Drops filler phrases from both edges, repeatedly ("hi, quick question: …"). */
function trimFillers(tokens: readonly string[]): string[] {
	let start = 0;
	let end = tokens.length;
	for (let moved = true; moved; ) {
		moved = false;
		while (start < end && tokens[start] === BREAK) start++;
		while (end > start && tokens[end - 1] === BREAK) end--;
		const greeting = LEADING_BEFORE_BREAK.find(
			(phrase) => matchesAt(tokens, start, end, phrase) && isBoundary(tokens, start + phrase.length, end),
		);
		const lead = greeting ?? LEADING_ANYWHERE.find((phrase) => matchesAt(tokens, start, end, phrase));
		if (lead) {
			start += lead.length;
			moved = true;
		}
		const trail = TRAILING.find((phrase) => matchesAt(tokens, end - phrase.length, end, phrase) && end - phrase.length >= start);
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
	return at >= end || tokens[at] === BREAK;
}
