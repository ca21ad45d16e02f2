/**
 * What a turn searches the knowledge base for, given the conversation.
 *
 * A follow-up ("And how long is the link valid?") names too little of its
 * topic to be searched alone: searched as typed it finds whatever article
 * says "link" and "valid" most, here the data export's. The strongest
 * model-free remedy in conversational search (TREC CAsT) is to expand such a
 * turn with the earlier ones. Expanding a question that stands alone only
 * adds noise, so a turn is expanded only when `dependsOnContext` says it
 * leans on what came before: the previous user question (and the one before
 * it when that was a follow-up too), or the running summary once those are
 * archived; and the articles the previous reply cited are boosted in the
 * ranking, the first of them (the article the reply chose) most for a turn
 * that leans on it. Pure functions; docs/retrieval.md has the eval behind them.
 */
import type { Message } from "../schemas/message";
import { dependsOnContext, leanedOn, opensNewTopic } from "../text/follow-up";

/** How a turn's search is refined by its conversation (KnowledgeBase.retrieve). */
export interface Refine {
	/** Articles to rank higher when the conversation is searched. */
	boost?: readonly string[];
	/**
	 * The article the conversation is about (the previous reply's first citation), for a turn that
	 * leans on it: ranked as a list of its own (kb/hybrid.ts, PRIOR_WEIGHT).
	 */
	prior?: string | undefined;
	/** The query with its conversation, searched instead when the query alone finds nothing clearly. */
	ifUnsure?: string | undefined;
	/** A model's standalone rewrite of a follow-up (query-rewrite.ts), searched too and fused by rank. */
	rewrite?: string | undefined;
}

/** What to search: the query text, articles to rank higher, and what to search instead when the query finds nothing clearly. */
export interface ConversationalQuery extends Refine {
	query: string;
	/** The articles the previous reply cited, for a turn searched with its conversation. */
	boost: string[];
	/** Whether the turn leaned on the conversation (and was expanded). */
	dependent: boolean;
	/**
	 * For a later turn that seems to stand alone: the query with its conversation, to search (with
	 * `boost`) only when the turn's own words find no article clearly ("what's the max file size?").
	 */
	ifUnsure?: string;
}

/**
 * The knowledge-base query for a turn: the messages it answers, expanded
 * with the conversation when they depend on it.
 * @example conversationalQuery({ summary: null, history: [q1, a1, q2], replyTo: [q2.id] }) // { query: "How do I reset…\nAnd how long…", boost: ["reset-password"], prior: "reset-password", dependent: true }
 */
export function conversationalQuery(turn: { summary: string | null; history: Message[]; replyTo: string[] }): ConversationalQuery {
	const asked = turn.history
		.filter((m) => turn.replyTo.includes(m.id))
		.map((m) => m.text)
		.join("\n");
	const earlier = turn.history.filter((m) => !turn.replyTo.includes(m.id));
	if (opensNewTopic(asked)) return { query: asked, boost: [], dependent: false };
	const context = leanedOn(earlier.filter((m) => m.role === "user").map((m) => m.text));
	// Older turns may be archived out of the hot history: the running summary still says what was discussed.
	if (context.length === 0 && turn.summary) context.push(turn.summary);
	if (context.length === 0) return { query: asked, boost: [], dependent: false };
	const previousReply = earlier.findLast((m) => m.role === "assistant");
	const boost = (previousReply?.citations ?? []).map((c) => c.id);
	const expanded = [...context, asked].join("\n");
	if (dependsOnContext(asked)) return { query: expanded, boost, ...(boost[0] ? { prior: boost[0] } : {}), dependent: true };
	return { query: asked, boost, dependent: false, ifUnsure: expanded };
}
