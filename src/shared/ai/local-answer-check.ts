/**
 * The local model's answer check: whether the sentences it picked answer the question asked, or
 * only share a word or two with it. Pure; local-answer.ts composes, this judges.
 */
import { GENERIC_TERMS as GENERIC, terms } from "../text/terms";
import { type AnswerType, answersType, withoutAsking } from "./answer-type";
import { factText, type Passage } from "./local-answer-text";

/** The share of a question's distinctive weight, among what the articles speak to, that the answer must contain. */
const MIN_COVERAGE = 0.5;
const NUMBER = /^\d+$/;
/** What a sentence holding the kind of fact asked for ("how long": a duration) counts, as much as a rare term. */
export const TYPE_WEIGHT = 1.5;

/** What answering needs of one article, worked out once: its terms, its title's, and its passages with theirs. */
export interface Article {
	terms: ReadonlySet<string>;
	title: ReadonlySet<string>;
	passages: readonly Pick<Passage, "text" | "label" | "section" | "terms" | "labelTerms">[];
}

/**
 * Whether `passages` answer one of the questions asked. Sharing a word or two with an article is
 * not answering, so only non-generic terms count, each by its weight (termWeights). The terms of
 * a question fall in three groups: the ones the passages contain (covered), the ones other
 * retrieved passages contain but these do not (missed), and the ones no retrieved article
 * contains (unknown). The passages answer it when they contain at least one of its terms, cover at
 * least MIN_COVERAGE of what the articles could speak to (covered + missed), and the question is
 * not more about what the articles never mention (a name, another product, a missing feature)
 * than about what they say: unknown weighs less than covered. The terms of the earlier questions a
 * follow-up leans on (`support`) count when covered and are not missed otherwise: a follow-up asks
 * its own question, in their light. A turn can hold several questions; answering one of them is
 * enough, but statements around them ("I'm on the Pro plan.") are not questions to answer.
 */
/** The kinds of fact that show a passage answers: not steps, which are how an answer is picked, since nearly every article says "Go to …". */
export function evidenceTypes(types: readonly AnswerType[]): AnswerType[] {
	return types.filter((type) => type !== "steps");
}

export function answers(passages: readonly Passage[], asked: Question[], reading: Reading): boolean {
	const { support, weights, articles, types, unknownWeight, paraphrase } = reading;
	const have = (term: string) => passages.some((p) => p.terms.has(term) || articles[p.source]?.title.has(term) === true);
	const known = (term: string) => articles.some((a) => a.terms.has(term));
	const weight = (term: string) => weights.get(term) ?? 1;
	const sum = (list: string[]) => list.reduce((total, term) => total + weight(term), 0);
	const supported = sum(support.filter(have));
	const evidence = evidenceTypes(types);
	const ofType = passages.some((p) => answersType(factText(p), evidence));
	// A question in words that name nothing ("what hours are you around?") is answered by a fact of its kind.
	if (asked.length === 0) return (support.length === 0 || supported > 0) && (evidence.length === 0 || ofType);
	// A follow-up that asks for a kind of fact ("how long does approval take?") is answered by a fact of
	// that kind in what it leans on, even when it repeats none of the question's words.
	const typed = supported > 0 && ofType ? TYPE_WEIGHT : 0;
	const answered = (own: string[]) => {
		const answeredOwn = sum(own.filter(have)) + typed;
		const covered = answeredOwn + supported;
		const missed = sum(own.filter((term) => !have(term) && known(term)));
		// A number no article states is a detail of the question ("Question 45: …", "after 45 days?"), not a topic the help center lacks.
		const unknown = sum(own.filter((term) => !known(term) && !NUMBER.test(term)));
		// A follow-up may ask in words its article does not use ("can I undo it?" of a deletion's grace period):
		// when the help center uses all of them somewhere and it leans on what the passages cover, that is enough.
		if (paraphrase && supported > 0 && unknown === 0) return true;
		return answeredOwn > 0 && covered >= MIN_COVERAGE * (covered + missed) && covered > unknownWeight * unknown;
	};
	// The scene a question points at is read with it, unless the question asks about something no
	// retrieved article mentions ("instead of deleting it, could we merge it …?").
	return asked.some(
		({ terms: own, scene, subject }) =>
			// Whether a thing exists ("is there a chrome extension?") is not answered by articles that never name it:
			// all its words in one sentence ("Chrome" in one and "an extension is the cause" in another is not it).
			(subject === undefined || articles.some((a) => a.passages.some((p) => subject.every((term) => p.terms.has(term))))) &&
			(answered(own) || (scene !== undefined && own.every(known) && answered([...new Set([...own, ...scene])]))),
	);
}

/** How a turn's questions are read against passages (answers). */
export interface Reading {
	/** The distinctive terms of the earlier questions the turn leans on. */
	support: string[];
	weights: Map<string, number>;
	articles: readonly Article[];
	types: readonly AnswerType[];
	/** What a term no retrieved article contains counts for, against a covered one. */
	unknownWeight: number;
	/**
	 * Whether a question may be asked in words its passages do not use, as a follow-up may ("can I undo
	 * it?" of a deletion's grace period): then it is answered when it leans on what they cover and the
	 * help center uses all of its words somewhere.
	 */
	paraphrase: boolean;
}

/**
 * One question of a turn: its distinctive terms, and those of the clauses before it in the same
 * sentence when it points at them ("the one from last month is missing our company name, can
 * that be fixed?": "that" is the missing name).
 */
export interface Question {
	terms: string[];
	scene?: string[];
	/** The thing a question asks the existence of ("is there a chrome extension …?": chrome, extension). */
	subject?: string[];
}

/**
 * The distinctive terms of each question in a turn: its sentences ending in "?"; in a canonical
 * question, which has none left, its sentences that open like a question; or else the whole turn.
 */
export function askedTerms(turn: string): Question[] {
	const distinctive = (text: string) => terms(withoutAsking(text)).filter((term) => !GENERIC.has(term));
	const sentences = sentencesOf(turn);
	// A canonical question (cache/normalize-question.ts) has lost its question marks but kept where its
	// sentences end: the ones that open like a question are asked ("… another tool. do we get anything back").
	const marked = sentences.filter((sentence) => sentence.trim().endsWith("?"));
	const asking = marked.length > 0 || sentences.length < 2 ? marked : sentences.filter((sentence) => ASKING.test(sentence.trim()));
	const questions = asking
		.map((sentence): Question => {
			const part = askingPart(sentence);
			const question: Question =
				part !== sentence && POINTS_AT.test(part)
					? { terms: distinctive(part), scene: distinctive(sentence) }
					: { terms: distinctive(part) };
			const thing = EXISTS.exec(part)?.[1];
			const subject = thing === undefined ? [] : distinctive(thing);
			return subject.length > 0 ? { ...question, subject } : question;
		})
		.filter((question) => question.terms.length > 0 || (question.scene?.length ?? 0) > 0);
	if (questions.length > 0) return questions;
	const whole = distinctive(turn);
	return whole.length > 0 ? [{ terms: whole }] : [];
}

/**
 * Whether a turn tells of a problem rather than asking a question ("the mac app crashes every time
 * I open it"): no question mark, and it does not open like a question. Its words the articles never
 * use are how the user describes their situation ("immediately", "Brazil"), not a subject the help
 * center lacks, which is what a question names ("is there a dark mode?").
 */
export function reportsProblem(turn: string): boolean {
	return !turn.includes("?") && !ASKING.test(turn.trim());
}

/**
 * Whether a turn reports something misbehaving ("stuff I change on my phone isn't showing up on my
 * laptop", "the mac app crashes"), asking nothing: what a reader answers with the article's fixes.
 * What the user cannot do ("I can't log in") is not such a report: the answer is how to do it.
 */
export function reportsFault(turn: string): boolean {
	return !turn.includes("?") && !sentencesOf(turn).some((sentence) => ASKING.test(sentence.trim())) && FAULT.test(turn);
}

/** A turn's sentences: split after . ! ? and at line breaks (a canonical question keeps its sentence ends as "."). */
function sentencesOf(turn: string): string[] {
	return turn.split(/(?<=[.!?])\s+|\n+/);
}
const FAULT =
	/\b(?:not|nothing|none|never|isn't|isnt|aren't|arent|doesn't|doesnt|don't|dont|won't|wont|stopped|stops|fail(?:s|ed|ing)?|crash(?:es|ed|ing)?|broken|blank|declined|missing|stuck)\b/i;

/**
 * A question whether a thing exists, and the thing: up to the words that say what it is for ("is
 * there a chrome extension so I can save pages?", "do you have a dark mode?"). "is there a way to …"
 * names no thing ("way" is everyday vocabulary).
 */
const EXISTS =
	/\b(?:is there|are there|do you have|do you offer|does brightdesk have|does it have)\s+(?:a|an|any)?\s*(.+?)(?=\s+(?:so|for|to|that|which|where|in|on|with|when|if|like)\b|[?,.!]|$)/i;
const POINTS_AT = /\b(?:it|that|this|they|them|those|these)\b/i;
const CLAUSE_BREAK = /,\s+|\s+[-–—]\s+|;\s+/;
const ASKING =
	/^(?:(?:and|but|so|ok|okay|then)\s+)?(?:can|could|do|does|did|is|are|was|will|would|should|how|what|whats|when|where|why|who|which|any)\b/i;
const CONDITION = /^(?:if|when|once|after|before|while|unless|because)\b/i;

/**
 * The part of a question sentence that asks: from its last clause that opens like a question, with
 * the conditions and the other questions before it ("what about attachments, any size limit?").
 * What the user says about themselves on the way ("we're a city council, can we get nonprofit
 * pricing?") sets the scene; the help center need not mention it to answer.
 * @example askingPart("we're in Australia - are prices including GST?") // "are prices including GST?"
 */
function askingPart(sentence: string): string {
	const clauses = sentence.split(CLAUSE_BREAK);
	const last = clauses.findLastIndex((clause, i) => i > 0 && ASKING.test(clause.trim()));
	if (last < 0) return sentence;
	return [
		...clauses.slice(0, last).filter((clause) => CONDITION.test(clause.trim()) || ASKING.test(clause.trim())),
		...clauses.slice(last),
	].join(", ");
}
