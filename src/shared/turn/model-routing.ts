/**
 * Which model answers a turn when routing is on (AI_ROUTING=auto): the one
 * rule, pure, so a table of cases proves it. Easy turns go to the small
 * model; everything else, and every turn the small model declines
 * (routed-reply.ts), to the large one.
 *
 * Easy means a short question that is either the session's first turn (no
 * history to weigh, the question alone) or a later one that retrieval pins
 * to a single article with confidence. A long question goes to the large
 * model even as a first turn: a paragraph of symptoms is where the large
 * model earns its price.
 */

/** Thresholds of the rule. They are part of an answer's cache key (answer-cache.ts): changing one changes who answers. */
export const ROUTING_RULE = {
	/** A question longer than this (characters of the messages the turn answers) is not short. */
	maxQuestionChars: 160,
	/**
	 * The best article's BM25 score must reach this for a later turn to count as confidently
	 * retrieved, and lead the runner-up by `minLead` (or be the only article found). Calibrated on
	 * the sample knowledge base: of the 17 questions it does not cover (test/shared/ai/questions.json)
	 * none passes (the best scores 5.4), while most covered questions do (7 to 14, leads of 1.5 to
	 * 3.7). BM25 scales with the corpus: a knowledge base of another size needs its own figures.
	 */
	minTopScore: 6,
	minLead: 1.5,
	/** Bumped when the rule or the decline check changes in a way the numbers above do not show. */
	version: 1,
} as const;

export interface RouteInput {
	/** The turn answers the session's first messages: no reply, no summary, no archived past before it. */
	firstTurn: boolean;
	/** The retrieved articles' scores, best first (BM25, higher is better); undefined where unknown. */
	scores: readonly (number | undefined)[];
	/** Characters in what the turn answers. */
	questionChars: number;
}

export type RouteReason = "first_turn" | "confident_article" | "long_question" | "unsure_retrieval";

export interface Route {
	model: "small" | "large";
	reason: RouteReason;
}

/**
 * @example routeTurn({ firstTurn: true, scores: [18.2, 4.1], questionChars: 27 }) // { model: "small", reason: "first_turn" }
 * @example routeTurn({ firstTurn: false, scores: [9.5, 8.8, 3], questionChars: 40 }) // { model: "large", reason: "unsure_retrieval" }
 */
export function routeTurn({ firstTurn, scores, questionChars }: RouteInput): Route {
	if (questionChars > ROUTING_RULE.maxQuestionChars) return { model: "large", reason: "long_question" };
	if (firstTurn) return { model: "small", reason: "first_turn" };
	return confidentSingleArticle(scores) ? { model: "small", reason: "confident_article" } : { model: "large", reason: "unsure_retrieval" };
}

/** One article stands out: its score is known, high enough, and well ahead of the next (if any). */
function confidentSingleArticle(scores: readonly (number | undefined)[]): boolean {
	const [top, second] = scores;
	if (top === undefined || top < ROUTING_RULE.minTopScore) return false;
	if (scores.length === 1) return true;
	return second !== undefined && top >= ROUTING_RULE.minLead * second;
}
