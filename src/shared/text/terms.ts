/**
 * Word-level text helpers shared by knowledge-base search (FTS5 query
 * building) and the local AI provider (sentence scoring).
 */

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
 * Idioms whose words mean nothing alone: "if I change my mind" is not about changing anything,
 * "is that on purpose?" names no purpose, "does that change anything?" asks whether it matters.
 * Removed before a text is split into words.
 */
const IDIOMS =
	/\b(?:chang(?:e|ed|ing) (?:my|our|your|their) minds?|on purpose|right away|by the way|for some reason|as well|(?:does|did|will|would) (?:that|it|this) (?:change anything|make (?:a|any) difference))\b/gi;
/**
 * Phrasal verbs, read as the one word the articles use: a trial "runs out" where it "ends"; data
 * is "backed up" in "backups" (but a site that is "back up" is running again).
 */
const RUNS_OUT = /\b(?:runs?|ran|running) out\b/g;
const BACK_UP = /\b(?:backed|backing) up\b|\bback up(?= (?:my|our|your|the|all|everything|data|files|it|them)\b)/g;
/** An email or a change that "shows up" has arrived; "3 times" counts, it names nothing. */
const SHOWS_UP = /\b(?:show(?:s|ed|ing)?|turn(?:s|ed|ing)?) up\b/g;
const N_TIMES = /\b(?:\d+|two|three|several|many|multiple) times\b/g;
/**
 * A phone the user works on is the articles' mobile app ("stuff I change on my phone", "the phone
 * app"), where a phone number or phone support is not (SAME_WORD): "mobile" is added, not swapped in.
 */
const ON_A_PHONE =
	/\b(?:on|from|with|in) (?:my|our|the|their|his|her|a) (?:i?phones?|smartphones?|ipads?|tablets?)\b|\b(?:i?phone|smartphone|ipad|tablet) app\b/g;
/** Asking for "more time" (on a trial, to pay) is asking for the articles' extension. */
const MORE_TIME = /\b(?:more|extra|additional|longer) (?:time|days)\b/g;
/** Moving "up" or "down" to a plan is the articles' upgrade or downgrade. */
const MOVE_UP = /\bmov(?:e|es|ed|ing) (?:(?:us|me|them|our \S+|the \S+) )?up\b/g;
const MOVE_DOWN = /\bmov(?:e|es|ed|ing) (?:(?:us|me|them|our \S+|the \S+) )?down\b/g;
/**
 * Asking who did something in a workspace ("someone deleted a project, can I find out who?", "where
 * can I see who changed member roles?") is asking for its audit log: "audit log" is added.
 */
const WHO = /\bwho\b/;
const DID = /\b(?:changed|deleted|removed|added|invited|created|edited|archived|exported|revoked|renamed|disabled|turned off)\b/;
/** Getting money back is a refund ("do we get anything back?"); getting "it" back may be a restore, so not that. */
const GET_BACK = /\bget (?:anything|something|any money|some money|our money|my money|money) back\b/g;
/** A full copy of a workspace or of one's data is what the articles call an export. */
const COPY_OF = /\b(?:full |complete )?cop(?:y|ies) of (?:everything|all|our|my|the)\b/g;
/** Changes not showing up on another device have not synced (where an email that shows up in an inbox has arrived: SHOWS_UP). */
const SHOWS_UP_ON =
	/\b(?:show(?:s|ed|ing)?|turn(?:s|ed|ing)?) up (?:on|in) (?:my|our|the|their|his|her|a|other|another) (?=(?:other )?(?:laptop|computer|desktop|phone|iphone|ipad|tablet|mobile|android|mac|pc|device)s?\b)/g;
/** "call it off": cancel it (a scheduled change, a deletion). */
const CALL_OFF = /\bcall(?:s|ed|ing)? ((?:it|that|this|them|the \S+) )?off\b/g;
/** "hook X up (to)": connect X. */
const HOOK_UP = /\bhook(?:ed|ing|s)? ((?:\S+ ){0,2})?up\b/g;
/** "2 factor", "MFA", "2-step verification": the articles' "two-factor" or "2FA" (both kept, as the articles use both). */
const TWO_FACTOR = /\b(?:2fa|mfa|2[ -]?factor|(?:2|two)[ -]step (?:verification|authentication|login)|multi[ -]factor)\b/g;

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
 * idioms go and phrasal verbs become the articles' one word (IDIOMS, RUNS_OUT, …).
 */
export function words(text: string): string[] {
	const folded = text
		.normalize("NFKC")
		.toLowerCase()
		.replace(/\p{Cf}/gu, "");
	return (
		(WHO.test(folded) && DID.test(folded) ? `${folded} audit log` : folded)
			.replace(IDIOMS, " ")
			.replace(RUNS_OUT, "ends")
			.replace(MORE_TIME, "extend")
			.replace(GET_BACK, "get refund")
			.replace(COPY_OF, (phrase) => `export ${phrase.split(" ").at(-1)}`)
			.replace(MOVE_UP, "upgrade")
			.replace(MOVE_DOWN, "downgrade")
			.replace(BACK_UP, "backup")
			.replace(TWO_FACTOR, "two-factor 2fa")
			.replace(HOOK_UP, "connect $1")
			.replace(CALL_OFF, "cancel $1")
			.replace(ON_A_PHONE, "$& mobile")
			.replace(SHOWS_UP_ON, "sync on ")
			.replace(SHOWS_UP, "arrives")
			.replace(N_TIMES, " ")
			.match(/[\p{L}\p{N}]{2,}/gu) ?? []
	);
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
export function terms(text: string): string[] {
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
