/**
 * The local provider's brain: composes a grounded answer from the retrieved
 * knowledge-base articles by picking their most relevant passages. Pure and
 * deterministic, so tests and benchmarks are repeatable. Whether the picked
 * sentences answer is local-answer-check.ts's to judge; splitting and joining
 * the text is local-answer-text.ts's.
 */
import { LRUCache } from "lru-cache";
import { fnv1a } from "../hash";
import { expandAcronyms } from "../text/acronyms";
import { dependsOnContext, isElliptical } from "../text/follow-up";
import { GENERIC_TERMS as GENERIC, terms } from "../text/terms";
import { REPLY_CHAR_LIMIT } from "../turn/reply-sanitizer";
import { type AnswerType, answersType, answerTypes, withoutAsking } from "./answer-type";
import {
	type Article,
	answers,
	askedTerms,
	evidenceTypes,
	type Reading,
	reportsFault,
	reportsProblem,
	TYPE_WEIGHT,
} from "./local-answer-check";
import { factText, type Passage, render, splitPassages, withFollowingSteps } from "./local-answer-text";
import type { Source } from "./provider";

const GREETING = /^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings)\b[\s!.,]*(there)?[\s!.,]*$/i;
/** @example isGreeting("hi there!") // true */
export function isGreeting(text: string): boolean {
	return GREETING.test(text.trim());
}
const THANKS = /^(thanks?|thank you|thx|ty|cheers|great|perfect|awesome|that helped|got it)\b[\w\s!.,']{0,30}$/i;
const HUMAN =
	/\b(human|real person|a person|someone real|live agent|an agent|representative|operator|talk to (someone|somebody|support)|speak (to|with) (someone|somebody|support))\b/i;

/** How much an earlier question's terms count, against the question's own, for a question that leans on it. */
const CONTEXT_WEIGHT = 0.8;
/** What a question term in the heading a bulleted item sits under counts for, against one in the item. */
const LABEL_WEIGHT = 0.5;
/** What a term counts for again in a further sentence of the answer, against a term not yet covered. */
const REPEAT_WEIGHT = 0.5;
/**
 * A search score (BM25 over the whole help center) at which the article is plainly about the
 * question. Of the eval's and the tests' questions the help center does not answer (Jira, dark
 * mode, GitLab, …), one scores higher and is answered wrongly either way ("a chrome extension to
 * save web pages": 12.4, the page on Chrome and the web app); the next best scores 6.2. Then the
 * question's words that no retrieved article contains are most likely the user's situation ("I
 * accidentally pushed our API key to a public repo", "we're moving over from trello"), and count
 * at UNKNOWN_WHEN_STRONG of their weight. Without such a match a bag of words cannot tell them from
 * an unknown subject ("Jira"), so they count fully.
 */
const STRONG_MATCH = 8;
const UNKNOWN_WHEN_STRONG = 0.5;
/**
 * Sentences in an answer, at most: about a paragraph, as a model would write. Three left out the
 * sentence with the fact as often as not (the eval, docs/retrieval.md).
 */
const MAX_SENTENCES = 5;
/**
 * A section of fixes, as a help center heads one: "Quick fixes for mobile sync problems",
 * "Troubleshooting Slack", "If the password reset email does not arrive". A report of something
 * misbehaving (reportsFault) is answered from it first, as a reader would: "stuff I change on my
 * phone isn't showing up on my laptop" wants "Pull down on any list … to force a refresh", which
 * shares not one word with it. Its sentences count as much as a fact of the kind asked (TYPE_WEIGHT).
 */
const FIX_SECTION = /\bfix(?:es)?\b|\btroubleshoot|\bdoes not\b|\bwon't\b/i;
const fixes = (passage: Pick<Passage, "section">) => FIX_SECTION.test(passage.section ?? "");

/**
 * Articles already analysed, by title and body: the same few articles answer most questions, and
 * splitting and stemming them again for every reply was most of this simulated model's CPU time,
 * which locally competes with the pipeline it stands beside (bench/overhead.ts). Bounded, least recently used out.
 */
const analysed = new LRUCache<string, Article>({ max: 128 });

function analyse(source: Source): Article {
	const key = `${source.title.length}:${source.title}${source.body}`;
	const known = analysed.get(key);
	if (known) return known;
	const article: Article = {
		terms: new Set(terms(`${source.title} ${source.body}`)),
		title: new Set(terms(source.title)),
		passages: splitPassages(source.body).map((unit) => ({
			...unit,
			terms: new Set(terms(unit.text)),
			...(unit.label ? { labelTerms: new Set(terms(unit.label)) } : {}),
		})),
	};
	analysed.set(key, article);
	return article;
}

/**
 * How capable the simulated model is. The small one (an 8B model's stand-in) answers only what the
 * top-ranked article answers, one question at a time, not leaning on the conversation, and declines
 * the rest: the turns model routing escalates to the large one.
 */
export type LocalSkill = "large" | "small";

/**
 * Answers `question` from `sources` (best first), citing them as `[n]`. `context` is what the
 * conversation was about when the question leans on it ("and how long is the link valid?" after
 * a question on resetting a password): a model reads the whole conversation, so this one lets the
 * earlier question's terms help pick and justify passages, at half the weight of the question's own.
 * @example composeAnswer("How do I reset my password?", sources) // "To reset your password, … [1]"
 */
export function composeAnswer(question: string, sources: readonly Source[], skill: LocalSkill = "large", context?: string): string {
	// Every input is in the key, each source by its id, title, address, score, and its text's length and two hashes:
	// an edited article is a new key (two edits alike in length and 64 bits of hash are ignored). Not the text itself:
	// a key holding every article's text allocated some 10 KB a turn, nearly half of what the stand-in allocates.
	const key = JSON.stringify([skill, context ?? null, question, sources.map(sourceKey)]);
	const known = composed.get(key);
	if (known !== undefined) return known;
	const answer = composeNow(question, sources, skill, context);
	composed.set(key, answer);
	return answer;
}

/**
 * Answers already composed, by everything that decides them. This stand-in is deterministic, and
 * locally its CPU time is spent on the same thread as the pipeline it stands beside
 * (bench/overhead.ts): answering the same question from the same articles again is a lookup, as
 * analysing an article again is. A real model's time is the provider's, not this isolate's.
 */
const composed = new LRUCache<string, string>({
	max: 128,
	// Bounded by characters too: at most about 2 MB of UTF-16 (answers are at most a few thousand characters each).
	maxSize: 1_000_000,
	sizeCalculation: (answer, key) => Math.max(1, answer.length + key.length),
});

function sourceKey({ id, title, url, score, body }: Source): unknown[] {
	return [id, title, url ?? null, score ?? null, body.length, fnv1a(body), fnv1a(body, 0x9747b28c)];
}

function composeNow(question: string, sources: readonly Source[], skill: LocalSkill, context: string | undefined): string {
	const text = expandAcronyms(
		question.trim(),
		sources.map((source) => `${source.title}\n${source.body}`),
	);
	if (HUMAN.test(text)) return humanAnswer(text, sources);
	if (GREETING.test(text)) {
		return "Hello! I'm the support assistant. Ask me anything about your account, billing, plans, security, integrations or troubleshooting.";
	}
	if (THANKS.test(text)) return "You're welcome! Is there anything else I can help you with?";
	if (skill === "small" && (context !== undefined || askedTerms(text).filter((q) => q.terms.length > 0).length > 1)) return noAnswer();
	const grounded = (conversation: string | undefined, firstArticleOnly: boolean) =>
		groundedAnswer(text, sources, { mustAnswer: text, topArticleOnly: skill === "small", firstArticleOnly, context: conversation });
	// The conversation helps pick passages, but a question that stands alone must not be declined for it: "How much
	// does the Team plan cost?" after a question on the free trial found nothing on "trial" in the pricing passages.
	// A model reading the transcript would answer it by its own words, so those get their say too, and they alone
	// look beyond the first article: read with a conversation it does not lean on, another article only seems to answer.
	const standsAlone = context !== undefined && !dependsOnContext(text);
	return grounded(context, standsAlone) ?? (standsAlone ? grounded(undefined, false) : undefined) ?? noAnswer();
}

/** Declining is the honest answer when the help center does not cover the question; a person might know. */
function noAnswer(): string {
	return "I'm sorry, I couldn't find an answer to that in our help center, and I'd rather not guess. Could you rephrase the question, or tell me more about what you're trying to do? I can also pass this conversation to a human agent: just ask for one.";
}

function humanAnswer(question: string, sources: readonly Source[]): string {
	// Asking for a person is the question here, so contact details answer it whatever else was said.
	const contact = groundedAnswer(`${question} contact support team email hours`, sources, { maxPassages: 2 });
	const intro = "Of course, you'd like to talk to a person.";
	return contact ? `${intro} ${contact}` : `${intro} Please describe your issue here and a member of the support team can pick it up.`;
}

/**
 * `mustAnswer`: decline unless the passages used speak to this question's distinctive terms.
 * `topArticleOnly`: decline unless the best-ranked article holds the answer, and never add a second one.
 * `firstArticleOnly`: decline unless the article answered from first (below) holds the answer.
 * `context`: earlier questions the question leans on; their terms count at CONTEXT_WEIGHT.
 */
function groundedAnswer(
	question: string,
	sources: readonly Source[],
	{
		maxPassages = MAX_SENTENCES,
		mustAnswer,
		topArticleOnly = false,
		firstArticleOnly = false,
		context,
	}: { maxPassages?: number; mustAnswer?: string; topArticleOnly?: boolean; firstArticleOnly?: boolean; context?: string | undefined } = {},
): string | undefined {
	const leans = context !== undefined && dependsOnContext(question);
	// An elliptical follow-up asks what the question before it asked ("how much storage on Team?" … "and on
	// Business?"): without a kind of its own, it wants the kind that one wanted.
	const asksItself = answerTypes(question);
	const types = asksItself.length === 0 && leans && context !== undefined && isElliptical(question) ? answerTypes(context) : asksItself;
	const own = terms(withoutAsking(question));
	const earlier = context === undefined ? [] : terms(context).filter((term) => !own.includes(term));
	const wanted = [...own, ...earlier];
	if ((own.length === 0 && types.length === 0 && earlier.length === 0) || sources.length === 0) return undefined;
	const articles = sources.map(analyse);
	const weights = termWeights(wanted, articles);
	for (const term of earlier) weights.set(term, (weights.get(term) ?? 1) * CONTEXT_WEIGHT);
	const passages = articles.flatMap((article, index) =>
		article.passages.map((passage, order): Passage => ({ ...passage, source: index, order, score: 0 })),
	);
	const fixing = reportsFault(question);
	for (const passage of passages) passage.score = scorePassage(passage, wanted, weights, articles, types, fixing);

	// Search already ranked the articles; answer from the first unless another has a clearly better passage.
	const best = sources.map((_, source) => Math.max(0, ...passages.filter((p) => p.source === source).map((p) => p.score)));
	const bestOf = (source: number) => best[source] ?? 0;
	let first = 0;
	for (let source = 1; source < sources.length; source++) if (bestOf(source) > 1.5 * bestOf(first)) first = source;
	const support = earlier.filter((term) => !GENERIC.has(term));
	const asked = mustAnswer === undefined ? undefined : askedTerms(mustAnswer);
	const evidence = evidenceTypes(types);
	// An article's sentences are picked the same way whichever reading tries it: once each.
	const picks = new Map<number, Passage[]>();
	const pickFrom = (source: number): Passage[] => {
		const known = picks.get(source);
		if (known) return known;
		const candidates = passages.filter((p) => p.source === source && p.score >= bestOf(source) * 0.35);
		const used = withFollowingSteps(pickCovering(candidates, maxPassages, types, wanted, weights, fixing), passages);
		picks.set(source, used);
		return used;
	};
	for (const { source: chosen, paraphrase, ofType } of attempts(sources.length, first, bestOf, {
		only: topArticleOnly ? (first === 0 ? [0] : []) : firstArticleOnly ? [first] : undefined,
		typed: evidence.length > 0,
		leans,
	})) {
		// At least one meaningful question term must appear in the answer.
		const top = bestOf(chosen);
		if (top < 1) continue;
		const used = pickFrom(chosen);
		if (ofType && !used.some((p) => answersType(factText(p), evidence))) continue;
		const unknownWeight = (sources[chosen]?.score ?? 0) >= STRONG_MATCH || reportsProblem(question) ? UNKNOWN_WHEN_STRONG : 1;
		const reading: Reading = { support, weights, articles, types, unknownWeight, paraphrase };
		// The answer as a whole must speak to the question: its sentences together, as a reader takes them.
		if (asked !== undefined && !answers(used, asked, reading)) continue;
		const second = topArticleOnly
			? undefined
			: passages
					.filter((p) => p.source !== chosen && p.score >= top && (asked === undefined || answers([p], asked, reading)))
					.sort((a, b) => b.score - a.score)[0];
		const answer = `${render(used)} [${chosen + 1}]`;
		const more = second ? `\n\n${render([second])} [${second.source + 1}]` : "";
		// Concise, as the system prompt asks: a second article's sentence only while the reply stays within its cap.
		return answer.length + more.length <= REPLY_CHAR_LIMIT ? answer + more : answer;
	}
	return undefined;
}

/**
 * The articles to answer from, in the order a reader of all of them would try them, and how each
 * is read. The first (groundedAnswer's pick) comes first; when it does not answer, the others with
 * a passage as good, best first ("can I undo it?" after a deletion: the article that says "undo" is
 * about imports, and the answer is elsewhere in other words). A question asking for a kind of fact
 * ("where do I cancel it?") is first put to every article for one holding such a fact: the
 * conversation's article may speak of cancelling and say nowhere where. Last, a follow-up is read
 * in its conversation's words (Reading.paraphrase). `only`: the articles that may answer at all.
 */
function attempts(
	count: number,
	first: number,
	bestOf: (source: number) => number,
	{ only, typed, leans }: { only: number[] | undefined; typed: boolean; leans: boolean },
): { source: number; paraphrase: boolean; ofType: boolean }[] {
	const rest = Array.from({ length: count }, (_, source) => source)
		.filter((source) => source !== first)
		.sort((a, b) => bestOf(b) - bestOf(a));
	const all = only ?? [first, ...rest];
	const asGood = only ?? [first, ...rest.filter((source) => bestOf(source) >= bestOf(first))];
	return [
		...(typed ? all.map((source) => ({ source, paraphrase: false, ofType: true })) : []),
		...asGood.map((source) => ({ source, paraphrase: false, ofType: false })),
		...(leans ? asGood.map((source) => ({ source, paraphrase: true, ofType: false })) : []),
	];
}

/**
 * Up to `max` of `candidates`, each time the one that adds the most given the terms the ones before
 * it hold: an answer that covers the question's several terms, rather than three sentences
 * repeating the one term the conversation is about. A term counts again at REPEAT_WEIGHT, a fact of
 * the kind asked at TYPE_WEIGHT (again at its REPEAT_WEIGHT), and an article's opening sentences a
 * little more.
 */
function pickCovering(
	candidates: readonly Passage[],
	max: number,
	types: readonly AnswerType[],
	wanted: readonly string[],
	weights: Map<string, number>,
	fixing = false,
): Passage[] {
	const picked: Passage[] = [];
	const covered = new Set<string>();
	let typed = false;
	const gain = (p: Passage) => {
		let total = 0;
		for (const term of wanted) {
			const weight = (weights.get(term) ?? 1) * (covered.has(term) ? REPEAT_WEIGHT : 1);
			if (p.terms.has(term)) total += weight;
			else if (p.labelTerms?.has(term)) total += LABEL_WEIGHT * weight;
		}
		if (answersType(factText(p), types)) total += typed ? TYPE_WEIGHT * REPEAT_WEIGHT : TYPE_WEIGHT;
		if (fixing && fixes(p)) total += TYPE_WEIGHT;
		return total * (1 - Math.min(p.order, 10) * 0.01);
	};
	const left = [...candidates].sort((a, b) => b.score - a.score);
	while (picked.length < max && left.length > 0) {
		let best = 0;
		for (let i = 1; i < left.length; i++) if (gain(left[i] as Passage) > gain(left[best] as Passage)) best = i;
		const [next] = left.splice(best, 1);
		if (!next) break;
		picked.push(next);
		for (const term of next.terms) covered.add(term);
		typed ||= answersType(factText(next), types);
	}
	return picked;
}

/** How much each question term counts: terms found in fewer articles count more, and a term none of them contains the most. */
function termWeights(wanted: string[], articles: readonly Article[]): Map<string, number> {
	const n = articles.length;
	return new Map(wanted.map((term) => [term, 1 + Math.log((1 + n) / (1 + articles.filter((a) => a.terms.has(term)).length))]));
}

function scorePassage(
	passage: Passage,
	wanted: string[],
	weights: Map<string, number>,
	articles: readonly Article[],
	types: readonly AnswerType[],
	fixing = false,
): number {
	const title = articles[passage.source]?.title;
	let score = 0;
	for (const term of wanted) {
		if (passage.terms.has(term)) score += weights.get(term) ?? 1;
		// The heading a bulleted item sits under says what it is about, less than its own words do.
		else if (passage.labelTerms?.has(term)) score += LABEL_WEIGHT * (weights.get(term) ?? 1);
		else if (title?.has(term)) score += 0.25;
	}
	// Of the sentences about the question, the ones holding the kind of fact asked for come first.
	if (score > 0 && answersType(factText(passage), types)) score += TYPE_WEIGHT;
	if (score > 0 && fixing && fixes(passage)) score += TYPE_WEIGHT;
	// Between equal passages, prefer the article's opening ones.
	return score * (1 - Math.min(passage.order, 10) * 0.01);
}
