/**
 * Whether a question leans on the conversation before it ("And how long is
 * the link valid?") and which earlier questions it leans on. Pure text
 * analysis, shared by retrieval (turn/conversational-query.ts) and the local
 * model, which reads the conversation the way a model would
 * (ai/local.ts).
 */
import { GENERIC_TERMS, terms, words } from "./terms";

/** Opening words that continue the previous exchange: "and for annual plans?", "what about mobile?", "ok so how long does it take". */
const CONTINUES =
	/^(?:(?:ok(?:ay)?|alright|right|cool|great|thanks|got it)[\s,!.]+)?(?:and|also|but|so|or|plus|then|what about|how about|what if|same for)\b/i;

/** Words that point back at something named earlier. "there" and "it's raining" style uses are rare in support questions. */
const POINTS_BACK = new Set([
	"it",
	"its",
	"that",
	"this",
	"those",
	"these",
	"they",
	"them",
	"their",
	"theirs",
	"one",
	"ones",
	"same",
	"such",
]);

/** Words announcing a new topic: what follows stands alone even when it opens with "and" or "also". */
const NEW_TOPIC =
	/\b(?:another|different|new|unrelated|separate|other|one more|also a)\s+(?:question|thing|topic|issue|problem)\b|\bunrelated\b|\bchanging the subject\b/i;

/** A question with at most this many topic terms of its own that also points back is a follow-up. */
const FEW_TOPIC_TERMS = 2;
/**
 * Words that add to or set against something said before: "does it show task edits as well?",
 * "can people still sign in with passwords?", "could I get them as Slack DMs instead?". With a word
 * pointing back, the question is a follow-up however many topic terms it names.
 */
const ADDS_TO = /\b(?:as well|too|still|instead|either|anymore|also)\b/i;
/**
 * A wh-question naming one thing at most ("what would we lose?", "how does it work?") asks about the
 * last topic. A yes-or-no one names its subject ("do you have SSO?"), and a how-to its object
 * ("how do I delete my account?": "account" is everyday vocabulary, but it is named).
 */
/** Verbs that name no thing a question is about ("how many times will you try the card again?"). */
const EVERYDAY_VERBS: ReadonlySet<string> = new Set(
	terms("use work get make go find see give take try keep come happen look mean say ask"),
);
const WH_QUESTION = /^(?:(?:ok(?:ay)?|so|well)[\s,]+)?(?:what|how|when|why|which|who)\b/i;

/**
 * Whether `text` leans on the conversation before it: it continues it ("and
 * …", "what about …"), points back at something ("does it…", "that
 * setting") while naming little of its own, or names no topic at all ("how
 * long does it take?"). A turn that announces a new topic never does.
 * @example dependsOnContext("And how long is the link valid?") // true
 * @example dependsOnContext("How do I reset my password?") // false
 */
export function dependsOnContext(text: string): boolean {
	const trimmed = text.trim();
	if (opensNewTopic(trimmed)) return false;
	const topic = topicTerms(trimmed);
	if (topic.length === 0) return true;
	if (continuesQuestion(trimmed)) return true;
	if (WH_QUESTION.test(trimmed) && terms(trimmed).filter((t) => !EVERYDAY_VERBS.has(t)).length <= 1) return true;
	const pointsBack = words(trimmed).some((w) => POINTS_BACK.has(w));
	return pointsBack && (topic.length <= FEW_TOPIC_TERMS || ADDS_TO.test(trimmed));
}

/**
 * Whether `text` continues the previous question in its form ("and on Business?", "what about monthly
 * ones?"): it asks the same of something else.
 */
export function continuesQuestion(text: string): boolean {
	return CONTINUES.test(text.trim()) && !opensNewTopic(text);
}

/** A clause that asks a question of its own ("do you delete our stuff?"), as an elliptical one does not. */
const ASKS_ITSELF = /\b(?:can|could|do|does|did|is|are|was|were|will|would|should|how|what|when|where|why|who|which)\b/i;

/**
 * Whether `text` is elliptical: it continues the previous question and asks nothing in words of
 * its own, so it asks what that one asked, of something else ("and on Business?", "what about
 * monthly ones?", "and on a weekend if our workspace goes down?"). "and if it never gets paid, do
 * you delete our stuff?" continues, but asks its own question.
 */
export function isElliptical(text: string): boolean {
	const trimmed = text.trim();
	const opening = CONTINUES.exec(trimmed);
	return opening !== null && !opensNewTopic(trimmed) && !ASKS_ITSELF.test(trimmed.slice(opening[0].length));
}

/**
 * Whether `text` announces a new topic ("thanks! another question: …", "unrelated, but …"): then
 * nothing before it is context, even when it is vague.
 */
export function opensNewTopic(text: string): boolean {
	return NEW_TOPIC.test(text);
}

/** The terms of a text that could name a topic: meaningful and not the product's everyday vocabulary, or a name. */
function topicTerms(text: string): string[] {
	return [...new Set([...terms(text).filter((t) => !GENERIC_TERMS.has(t)), ...namedTerms(text)])];
}

/** The product's own name names no topic: every article is about it. */
const PRODUCT_NAME = new Set(terms("brightdesk"));

/**
 * Words capitalised inside a sentence name something even when they are everyday vocabulary:
 * "How much does the Team plan cost?" asks about one plan, where "how much does it cost?" leans on
 * the conversation. A lowercase "the team plan" is not caught (the sentence's first word never is).
 */
function namedTerms(text: string): string[] {
	const named = text
		.split(/[.!?\n]+/)
		.flatMap((sentence) => sentence.trim().split(/\s+/).slice(1))
		.filter((word) => /^[A-Z][a-z]/.test(word));
	return terms(named.join(" ")).filter((t) => !PRODUCT_NAME.has(t));
}

/** How many earlier user questions a chain of follow-ups may pull in. */
const MAX_EARLIER = 2;

/**
 * The earlier questions (oldest first) that a question depending on context leans on: the last
 * one, and the one before it while those are follow-ups too, at most MAX_EARLIER.
 * @example leanedOn(["How do I reset my password?", "and how long is the link valid?"]) // both
 */
export function leanedOn(earlierQuestions: readonly string[]): string[] {
	const context: string[] = [];
	for (let i = earlierQuestions.length - 1; i >= 0 && context.length < MAX_EARLIER; i--) {
		const question = earlierQuestions[i];
		if (question === undefined) continue;
		context.unshift(question);
		// A follow-up to a follow-up: the question before it still names the topic.
		if (!dependsOnContext(question)) break;
	}
	return context;
}
