/**
 * The local provider's brain: composes a grounded answer from the retrieved
 * knowledge-base articles by picking their most relevant passages. Pure and
 * deterministic, so tests and benchmarks are repeatable.
 */
import { LRUCache } from "lru-cache";
import { terms } from "../text/terms";
import type { Source } from "./provider";

const GREETING = /^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings)\b[\s!.,]*(there)?[\s!.,]*$/i;
const THANKS = /^(thanks?|thank you|thx|ty|cheers|great|perfect|awesome|that helped|got it)\b[\w\s!.,']{0,30}$/i;
const HUMAN =
	/\b(human|real person|a person|someone real|live agent|an agent|representative|operator|talk to (someone|somebody|support)|speak (to|with) (someone|somebody|support))\b/i;

/**
 * Words that say nothing about which article answers a question: the product's own vocabulary
 * (its name, its plan names, account, support, money), the verbs and fillers of asking, and the
 * stubs contractions leave ("we're", "doesn't"). They appear everywhere in the help center, so a
 * passage containing them has not answered anything: "Does the Pro plan include X?" is answered
 * only by a passage about X.
 */
const GENERIC = new Set(
	terms(
		"brightdesk free team business enterprise plan subscription account workspace app product service feature option setting " +
			"support question issue problem money cost price pay use work get make go find see give take try keep come happen " +
			"include offer available possible allow able way thing something anything someone somebody anyone now today currently " +
			"really still also else instead another first then back long much many more new whole every each other same one yes sure " +
			"look mean say ask wonder difference between re ve ll don doesn isn didn won aren wasn haven",
	),
);

/** The share of a question's distinctive weight one passage of the answer must contain. */
const MIN_COVERAGE = 0.5;

interface Passage {
	text: string;
	/** The terms of its text. */
	terms: ReadonlySet<string>;
	source: number;
	order: number;
	score: number;
}

/** What answering needs of one article, worked out once: its terms, its title's, and its passages with theirs. */
interface Article {
	terms: ReadonlySet<string>;
	title: ReadonlySet<string>;
	passages: readonly { text: string; terms: ReadonlySet<string> }[];
}

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
		passages: splitPassages(source.body).map((text) => ({ text, terms: new Set(terms(text)) })),
	};
	analysed.set(key, article);
	return article;
}

/**
 * How capable the simulated model is. The small one (an 8B model's stand-in) answers only what the
 * top-ranked article answers, one question at a time, and declines the rest: the turns model routing
 * escalates to the large one.
 */
export type LocalSkill = "large" | "small";

/**
 * Answers `question` from `sources` (best first), citing them as `[n]`.
 * @example composeAnswer("How do I reset my password?", sources) // "To reset your password, … [1]"
 */
export function composeAnswer(question: string, sources: readonly Source[], skill: LocalSkill = "large"): string {
	const text = question.trim();
	if (HUMAN.test(text)) return humanAnswer(text, sources);
	if (GREETING.test(text)) {
		return "Hello! I'm the support assistant. Ask me anything about your account, billing, plans, security, integrations or troubleshooting.";
	}
	if (THANKS.test(text)) return "You're welcome! Is there anything else I can help you with?";
	if (skill === "small" && askedTerms(text).length > 1) return noAnswer();
	return groundedAnswer(text, sources, { mustAnswer: text, topArticleOnly: skill === "small" }) ?? noAnswer();
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
 */
function groundedAnswer(
	question: string,
	sources: readonly Source[],
	{ maxPassages = 3, mustAnswer, topArticleOnly = false }: { maxPassages?: number; mustAnswer?: string; topArticleOnly?: boolean } = {},
): string | undefined {
	const wanted = terms(question);
	if (wanted.length === 0 || sources.length === 0) return undefined;
	const articles = sources.map(analyse);
	const weights = termWeights(wanted, articles);
	const passages = articles.flatMap((article, index) =>
		article.passages.map(({ text, terms }, order) => ({ text, terms, source: index, order, score: 0 })),
	);
	for (const passage of passages) passage.score = scorePassage(passage, wanted, weights, articles);

	// Search already ranked the articles; answer from the first unless another has a clearly better passage.
	const bestOf = (source: number) => Math.max(0, ...passages.filter((p) => p.source === source).map((p) => p.score));
	let chosen = 0;
	for (let source = 1; source < sources.length; source++) if (bestOf(source) > 1.5 * bestOf(chosen)) chosen = source;
	const top = bestOf(chosen);
	// At least one meaningful question term must appear in the answer.
	if (top < 1 || (topArticleOnly && chosen !== 0)) return undefined;

	const picked = passages
		.filter((p) => p.source === chosen && p.score >= top * 0.35)
		.sort((a, b) => b.score - a.score)
		.slice(0, maxPassages);
	const used = withFollowingSteps(picked, passages);
	const asked = mustAnswer === undefined ? undefined : askedTerms(mustAnswer);
	const answered = (passage: Passage) => asked === undefined || answers(passage, asked, weights, articles);
	if (!used.some(answered)) return undefined;
	const second = topArticleOnly
		? undefined
		: passages.filter((p) => p.source !== chosen && p.score >= top && answered(p)).sort((a, b) => b.score - a.score)[0];

	let answer = `${render(used)} [${chosen + 1}]`;
	if (second) answer += `\n\n${render([second])} [${second.source + 1}]`;
	return answer;
}

/**
 * Whether `passage` covers at least MIN_COVERAGE of what makes one of the questions asked
 * specific. Sharing a word or two with an article is not answering, so only non-generic terms
 * count, each by its rarity among the retrieved articles. A term none of them contains weighs the
 * most: search ranks articles by their rarest matching words, so it is very likely something the
 * help center never mentions (a name, another product, a missing feature). A turn can hold several
 * questions; answering one of them is enough, but statements around them ("I'm on the Pro plan.")
 * are not questions to answer.
 */
function answers(passage: Passage, asked: string[][], weights: Map<string, number>, articles: readonly Article[]): boolean {
	if (asked.length === 0) return true;
	const title = articles[passage.source]?.title;
	const have = (term: string) => passage.terms.has(term) || title?.has(term) === true;
	const weight = (term: string) => weights.get(term) ?? 1;
	const sum = (list: string[]) => list.reduce((total, term) => total + weight(term), 0);
	return asked.some((wanted) => sum(wanted.filter(have)) >= MIN_COVERAGE * sum(wanted));
}

/** The distinctive terms of each question in a turn: its sentences ending in "?", or else the whole turn. */
function askedTerms(turn: string): string[][] {
	const distinctive = (text: string) => terms(text).filter((term) => !GENERIC.has(term));
	const questions = turn
		.split(/(?<=[.!?])\s+|\n+/)
		.filter((sentence) => sentence.trim().endsWith("?"))
		.map(distinctive)
		.filter((wanted) => wanted.length > 0);
	if (questions.length > 0) return questions;
	const whole = distinctive(turn);
	return whole.length > 0 ? [whole] : [];
}

/** How much each question term counts: terms found in fewer articles count more. */
function termWeights(wanted: string[], articles: readonly Article[]): Map<string, number> {
	const n = articles.length;
	return new Map(wanted.map((term) => [term, 1 + Math.log((1 + n) / (1 + articles.filter((a) => a.terms.has(term)).length))]));
}

function scorePassage(passage: Passage, wanted: string[], weights: Map<string, number>, articles: readonly Article[]): number {
	const title = articles[passage.source]?.title;
	let score = 0;
	for (const term of wanted) {
		if (passage.terms.has(term)) score += weights.get(term) ?? 1;
		else if (title?.has(term)) score += 0.25;
	}
	// Between equal passages, prefer the article's opening ones.
	return score * (1 - Math.min(passage.order, 10) * 0.01);
}

/** Sentences and list items of a markdown body, with the markdown stripped. */
export function splitPassages(markdown: string): string[] {
	const out: string[] = [];
	for (const rawLine of markdown.split("\n")) {
		const line = rawLine.trim();
		if (!line || line.startsWith("#") || line.startsWith("|") || line.startsWith("```")) continue;
		const item = /^([-*+]|\d+[.)])\s+/.exec(line);
		const text = stripInline(item ? line.slice(item[0].length) : line);
		if (item) out.push(`${/^\d/.test(item[1] ?? "") ? `${item[1]} ` : "- "}${text}`);
		// A sentence ends at . ! ? followed by a space, so "github.com" and "3.5" stay whole.
		else out.push(...(text.match(/\S.*?(?:[.!?]+["')\]]?(?=\s|$)|$)/g) ?? []).map((s) => s.trim()).filter(Boolean));
	}
	return out;
}

function stripInline(text: string): string {
	return text
		.replace(/\*\*(.+?)\*\*|__(.+?)__/g, "$1$2")
		.replace(/`([^`]+)`/g, "$1")
		.replace(/\[([^\]]+)\]\([^)]+\)/g, "$1");
}

/** A chosen sentence that introduces steps ("…:") brings the list that follows it. */
function withFollowingSteps(chosen: Passage[], all: Passage[]): Passage[] {
	const out: Passage[] = [];
	for (const passage of chosen) {
		if (!out.includes(passage)) out.push(passage);
		if (!passage.text.endsWith(":")) continue;
		const steps = all.filter((p) => p.source === passage.source && p.order > passage.order && p.order <= passage.order + 6);
		for (const step of steps) {
			if (!/^(\d+[.)]|-) /.test(step.text)) break;
			if (!out.includes(step)) out.push(step);
		}
	}
	return out.sort((a, b) => a.order - b.order);
}

const LIST_ITEM = /^(\d+[.)]|-) /;

/**
 * Joins passages in article order. A run of consecutive list items stays a
 * list (numbered only when it starts at step 1); a lone list item reads as a
 * sentence.
 */
function render(passages: Passage[]): string {
	const groups: Passage[][] = [];
	for (const passage of [...passages].sort((a, b) => a.order - b.order)) {
		const last = groups.at(-1);
		const previous = last?.at(-1);
		const continuesList = previous && LIST_ITEM.test(previous.text) && LIST_ITEM.test(passage.text) && passage.order === previous.order + 1;
		if (last && continuesList) last.push(passage);
		else groups.push([passage]);
	}
	let text = "";
	let afterList = false;
	for (const group of groups) {
		const first = group[0];
		if (!first) continue;
		if (group.length === 1) {
			const sentence = first.text.replace(LIST_ITEM, "");
			text += text === "" ? sentence : text.endsWith(":") || afterList ? `\n${sentence}` : ` ${sentence}`;
			afterList = false;
			continue;
		}
		const numbered = /^1[.)] /.test(first.text);
		const list = group.map((p) => (numbered ? p.text : `- ${p.text.replace(LIST_ITEM, "")}`)).join("\n");
		text += text === "" ? list : `\n${list}`;
		afterList = true;
	}
	return text;
}
