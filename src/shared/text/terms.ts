/**
 * Word-level text helpers shared by knowledge-base search (FTS5 query
 * building) and the local AI provider (sentence scoring).
 */
import { inArticlesWords } from "./phrasings";
import { memoizeText } from "./text-memo";

const STOPWORDS = new Set(
	(
		"a about after all also am an and any are as at be been before but by can could did do does doing for from get got had has have " +
		"how i if in into is it its just let me my no not of on or our out please so some than that the their them then there these they " +
		"this those to too up us was we were what whats when where which who why will with would you your yours hi hello hey thanks thank ok okay want " +
		"need help like know tell show " +
		// Chat's fillers and hedges: they never name what a question is about ("the link isn't actually working tho").
		"actually usually around anything everything nothing something already even ever never always maybe probably definitely " +
		"soon ago yet though tho anyway pretty quite basically literally seriously fine nice cool stuff guys lol fwiw btw tbh idk " +
		"hmm sorry guess think bit lot lots kind sort over through onto via across since whether should shall might must may " +
		"away going gonna wanna again " +
		// Quantifiers: "do they each need a seat?" asks about seats, not about "each".
		"each few one several " +
		// People, by pronoun: a colleague is "she", never a topic ("my coworker is on outlook, can she do the same?").
		"he she him her his hers himself herself im ive " +
		// What contractions leave behind ("we're", "isn't"): in the articles' own text too, so searched they matched anything.
		"re ve ll don doesn isn didn won aren wasn weren haven hasn hadn shouldn couldn wouldn"
	).split(" "),
);

/**
 * Cheap suffix stripping so "refunds", "refunded" and "refunding" meet, and so do "settings" and
 * "set", "integrate" and "integration". The final "e" or "y" and a doubled consonant go too,
 * because the suffixes take them with them: "charge" must meet "charges" and "charged" ("charg"),
 * "apply" must meet "applies" ("appli"), "get" must meet "getting"; and "cancel" must meet the
 * British "cancelled" and "cancelling" (a long word's "ll", while "call" and "fill" keep theirs).
 * @example stem("charges") === stem("charge") // true
 */
export function stem(word: string): string {
	let root = word;
	// "goes" and "does" are "go" and "do" ("if our workspace goes down"), which the rules below would leave as "goe".
	if (/^[^aeiou]+oes$/.test(root)) return root.slice(0, -2);
	if (root.length > 4 && root.endsWith("es") && !root.endsWith("ses")) root = root.slice(0, -2);
	else if (root.length > 3 && root.endsWith("s") && !/(ss|us)$/.test(root)) root = root.slice(0, -1);
	if (root.length > 5 && root.endsWith("ing")) root = root.slice(0, -3);
	else if (root.length > 4 && root.endsWith("ed")) root = root.slice(0, -2);
	if (/([^aeioulsz])\1$/.test(root) || (root.length > 5 && root.endsWith("ll"))) root = root.slice(0, -1);
	if (root.length > 6 && root.endsWith("ion")) root = root.slice(0, -3);
	// "renewal" meets "renews", "approval" "approve", "removal" "remove" ("annual" and "email" are too short to lose it).
	else if (root.length > 6 && root.endsWith("al")) root = root.slice(0, -2);
	if (root.length > 3 && root.endsWith("e")) return root.slice(0, -1);
	if (root.length > 3 && root.endsWith("y")) return `${root.slice(0, -1)}i`;
	return root;
}

/**
 * Lower-cased words of two or more letters or digits, in order. Compatibility
 * forms are folded and invisible format characters dropped first, exactly as
 * the canonical question does (cache/normalize-question.ts): a zero-width
 * space or a soft hyphen inside "re\u200Bfund" must not split it in two. Then
 * idioms go and everyday phrasings become the articles' words (phrasings.ts).
 */
export const words: (text: string) => readonly string[] = memoizeText(foldedWords);

function foldedWords(text: string): string[] {
	const folded = text
		.normalize("NFKC")
		.toLowerCase()
		.replace(/\p{Cf}/gu, "");
	return inArticlesWords(folded).match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}

/**
 * The meaningful words of a text as written (not stemmed), repeats kept: what a word-vector
 * embedder looks up (kb/word-vector-embedder.ts).
 * @example contentWords("How do I get my refunds?") // ["refunds"]
 */
export function contentWords(text: string): string[] {
	return words(text).filter((w) => !STOPWORDS.has(w));
}

/**
 * The meaningful, stemmed terms of a text, without duplicates.
 * @example terms("How do I get a refund?") // ["refund"]
 */
export const terms: (text: string) => readonly string[] = memoizeText(stemmedTerms);

function stemmedTerms(text: string): string[] {
	return [
		...new Set(
			words(text).flatMap((w, i, all) => {
				const root = stem(w);
				// By its stem too: "gets" and "needs" name no more than "get" and "need".
				if (STOPWORDS.has(w) || STOPWORDS.has(root)) return [];
				if (root === "log") return [signsIn(all, i) ? "sign" : root];
				return [SAME_MEANING.get(root) ?? root];
			}),
		),
	];
}

/** "log in", "logged out", "log me out": the articles' "sign in". An audit log stays a log. */
function signsIn(all: readonly string[], i: number): boolean {
	const next = all[i + 1] ?? "";
	return SIGN_PARTICLES.has(next) || (PERSONS.has(next) && SIGN_PARTICLES.has(all[i + 2] ?? ""));
}

const SIGN_PARTICLES = new Set(["in", "into", "on", "out", "off"]);
const PERSONS = new Set(["me", "you", "us", "them", "him", "her", "people", "everyone"]);

/**
 * Words that mean the same in a help center's questions, folded onto the one its articles use:
 * users "login" where the articles say "sign in", pay "yearly" where they say "annual", "update"
 * what the articles "change". Not "phone" for "mobile": a phone number and phone support are not
 * the mobile app. `searched`: the FTS query looks for the article's word too, by stem (an OR).
 * "yearly" and "lost" are not searched so: as "annual", "and if we're on yearly billing?" found the
 * billing-cycle article before the seats one it follows up on (the eval lost four follow-ups).
 */
const SAME_WORD: readonly { user: string; article: string; searched: boolean }[] = [
	{ user: "login", article: "sign", searched: false },
	{ user: "logout", article: "sign", searched: false },
	{ user: "yearly", article: "annual", searched: false },
	{ user: "lost", article: "lose", searched: false },
	{ user: "laptop", article: "desktop", searched: true },
	{ user: "computer", article: "desktop", searched: true },
	{ user: "update", article: "change", searched: true },
	{ user: "modify", article: "change", searched: true },
	{ user: "inbox", article: "email", searched: true },
	{ user: "warn", article: "remind", searched: true },
	{ user: "cost", article: "price", searched: true },
];
const SAME_MEANING: ReadonlyMap<string, string> = new Map(SAME_WORD.map(({ user, article }) => [stem(user), stem(article)]));
const SEARCHED_AS: ReadonlyMap<string, string> = new Map(
	SAME_WORD.filter((word) => word.searched).map(({ user, article }) => [stem(user), article]),
);

/**
 * The meaningful words of a text, unstemmed, without duplicates; FTS5's
 * porter tokenizer does its own stemming. "Log in" is searched as the
 * articles' "sign in", and "update" as "update" or "change" (SEARCHED_AS).
 * @example keywords("How do I get refunds?") // ["refunds"]
 */
export function keywords(text: string): string[] {
	const kept = words(text).flatMap((w, i, all) => {
		if (STOPWORDS.has(w)) return [];
		if (stem(w) === "log" && signsIn(all, i)) return ["sign"];
		const article = SEARCHED_AS.get(stem(w));
		return article ? [w, article] : [w];
	});
	return [...new Set(kept)];
}

/**
 * Words that say nothing about which article answers a question: the product's own vocabulary
 * (its name, its plan names, account, support, money), the verbs and fillers of asking, and the
 * stubs contractions leave ("we're", "doesn't"). They appear everywhere in the help center, so a
 * passage containing them has not answered anything: "Does the Pro plan include X?" is answered
 * only by a passage about X.
 */
export const GENERIC_TERMS: ReadonlySet<string> = new Set(
	terms(
		"brightdesk free team business enterprise plan subscription account workspace app product service feature option setting " +
			"support question issue problem money cost price pay use work get make go find see give take try keep come happen " +
			"include offer available possible allow able way thing something anything someone somebody anyone now today currently " +
			"really still also else instead another first then back long much many more new whole every each other same one yes sure " +
			"look mean say ask wonder difference between re ve ll don doesn isn didn won aren wasn haven",
	),
);
