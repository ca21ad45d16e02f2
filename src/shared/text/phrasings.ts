/**
 * Everyday phrasings read as the words the help center uses: idioms go ("if I change my mind"),
 * phrasal verbs become the articles' one word (a trial "runs out" where it "ends"), and a few
 * phrasings add the article's word ("on my phone": "mobile"). Applied to lower-cased text before it
 * is split into words (terms.ts), so search and the local model read them alike. Each has a case in
 * test/shared/text/terms.test.ts; docs/retrieval.md says which eval turns showed them.
 */

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
 * app"), where a phone number or phone support is not (terms.ts, SAME_WORD): "mobile" is added, not swapped in.
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
const COPY_OF = /\b(?:full |complete )?cop(?:y|ies) of (everything|all|our|my|the)\b/g;
/** Changes not showing up on another device have not synced (where an email that shows up in an inbox has arrived: SHOWS_UP). */
const SHOWS_UP_ON =
	/\b(?:show(?:s|ed|ing)?|turn(?:s|ed|ing)?) up (?:on|in) (?:my|our|the|their|his|her|a|other|another) (?=(?:other )?(?:laptop|computer|desktop|phone|iphone|ipad|tablet|mobile|android|mac|pc|device)s?\b)/g;
/** "call it off": cancel it (a scheduled change, a deletion). */
const CALL_OFF = /\bcall(?:s|ed|ing)? ((?:it|that|this|them|the \S+) )?off\b/g;
/** "hook X up (to)": connect X. */
const HOOK_UP = /\bhook(?:ed|ing|s)? ((?:\S+ ){0,2})?up\b/g;
/** "2 factor", "MFA", "2-step verification": the articles' "two-factor" or "2FA" (both kept, as the articles use both). */
const TWO_FACTOR = /\b(?:2fa|mfa|2[ -]?factor|(?:2|two)[ -]step (?:verification|authentication|login)|multi[ -]factor)\b/g;

/** The phrasings above, in the order they apply (an idiom goes before its words are read as anything). */
const REWRITES: readonly [RegExp, string][] = [
	[IDIOMS, " "],
	[RUNS_OUT, "ends"],
	[MORE_TIME, "extend"],
	[GET_BACK, "get refund"],
	[COPY_OF, "export $1"],
	[MOVE_UP, "upgrade"],
	[MOVE_DOWN, "downgrade"],
	[BACK_UP, "backup"],
	[TWO_FACTOR, "two-factor 2fa"],
	[HOOK_UP, "connect $1"],
	[CALL_OFF, "cancel $1"],
	[ON_A_PHONE, "$& mobile"],
	[SHOWS_UP_ON, "sync on "],
	[SHOWS_UP, "arrives"],
	[N_TIMES, " "],
];

/**
 * `folded` (lower-cased) in the articles' words.
 * @example inArticlesWords("can we move up to business?") // "can we upgrade to business?"
 */
export function inArticlesWords(folded: string): string {
	const asked = WHO.test(folded) && DID.test(folded) ? `${folded} audit log` : folded;
	return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), asked);
}
