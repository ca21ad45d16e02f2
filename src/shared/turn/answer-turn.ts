/**
 * Answers one opened turn: retrieves knowledge-base articles, builds the
 * model input, streams the reply through the sanitizer to the hub in
 * coalesced deltas, and commits the final message with its citations;
 * context-free turns go through the answer cache (answer-cache.ts), computed
 * from their canonical question, and identical ones running at once in this
 * isolate share one computation and its stream (shared-answer.ts).
 */
import type { AiProvider, Source } from "../ai/provider";
import { type FlightProgress, normalizeQuestion } from "../cache";
import { TransientError } from "../errors";
import type { BeginTurnResult, CompleteTurnInput, DeltaInput, TurnWriteResult } from "../schemas/hub";
import type { Message, ToolUse } from "../schemas/message";
import { opensWithDecline } from "../text/decline";
import { type AccountPorts, accountReply } from "./account-reply";
import {
	type AnswerCache,
	answerKeyParts,
	type CachedAnswer,
	type ComputedAnswer,
	cacheableQuestion,
	canonicalHistory,
} from "./answer-cache";
import { citationsFor } from "./citations";
import { conversationalQuery, type Refine } from "./conversational-query";
import { DeltaCoalescer, type ReplySink } from "./delta-coalescer";
import type { Knowledge } from "./kb-search-store";
import { buildModelInput } from "./prompt";
import { canRewrite, rewriteFollowUp } from "./query-rewrite";
import { ReplySanitizer } from "./reply-sanitizer";
import { routedReply } from "./routed-reply";
import { followAnswer, MAX_FOLLOWED, sharedSink } from "./shared-answer";

export type { ReplySink } from "./delta-coalescer";

export const SOURCES_PER_TURN = 3;

/** What answering needs from the outside world; the hub passes itself and the real bindings. */
export interface TurnPorts {
	hub: {
		appendDelta(input: DeltaInput): Promise<TurnWriteResult>;
		completeTurn(input: CompleteTurnInput): Promise<TurnWriteResult>;
		/** Starts the turn's streamed text over from offset 0, in the same attempt (its tabs drop what they had). */
		restartStream(input: { turnId: string }): Promise<TurnWriteResult>;
	};
	/** The articles for a question and the knowledge base's version, in one round trip. */
	lookup(query: string, limit: number, refine: Refine): Promise<{ version: number; sources: Source[] }>;
	provider: AiProvider;
	/**
	 * When given, context-free turns are answered from and into `answers`,
	 * and every turn's retrieval goes through the search cache in `knowledge`.
	 */
	cached?: { answers: AnswerCache; knowledge: Knowledge } | undefined;
	/**
	 * The search cache alone, for when answers are not cached (ANSWER_CACHE=off): retrieval is
	 * the same as with them, keyed by the knowledge base's version. Without either, `lookup`.
	 */
	knowledge?: Knowledge | undefined;
	/** How long a computation this turn shares may go silent before its followers leave it (followSilenceMs). */
	shareSilenceMs: number;
	/** Told the progress of a computation this turn runs for identical turns, so a wait (for model capacity) can say it is alive. */
	sharing?: (progress: FlightProgress) => void;
	/** Aborted when the turn must stop at once (its session is being erased): no more model calls. */
	signal?: AbortSignal;
	/**
	 * A signed-in user's account (CONTRACT §8): the turn is private (never served from or written to
	 * the shared answer cache), runs on the large model with the back-office tools, and may end
	 * waiting for the user's confirmation instead of with a reply.
	 */
	account?: AccountPorts | undefined;
}

type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

/**
 * Where the committed reply came from; "superseded" when another delivery owns the turn now;
 * "confirming" when it waits for the user to approve a back-office write (nothing committed yet).
 */
export type TurnSource = "model" | "cache" | "superseded" | "confirming";

/** How a turn fared with each computation it joined: followed to its answer, or left to answer on its own. */
export type JoinResult = "followed" | "fell_back";

/** How a turn ended, the answer-cache entry it wrote, if any (erasing the session removes it), and the computations it joined. */
export interface TurnOutcome {
	source: TurnSource;
	cachedKey?: string;
	joined?: JoinResult[];
}

/**
 * Answers an opened turn. A hit skips the model but not the protocol: the
 * cached text goes out through the same delta path and the final message
 * carries the same citations. Resolves once the reply is committed, or as
 * soon as the hub says another delivery owns the turn.
 */
export async function answerTurn(turn: StartedTurn, ports: TurnPorts): Promise<TurnOutcome> {
	const coalescer = () =>
		new DeltaCoalescer(async (text, heldSince) => (await ports.hub.appendDelta({ turnId: turn.turnId, text, heldSince })).ok);
	let deltas = coalescer();
	const commit = async (answer: CachedAnswer & { tools?: ToolUse[] }, source: "model" | "cache" = "model"): Promise<TurnSource> => {
		// A refusal (superseded) means another delivery owns the turn and will commit it.
		const done = await ports.hub.completeTurn({ turnId: turn.turnId, ...answer, source });
		return done.ok ? source : "superseded";
	};
	// A signed-in user's turn is private: it never reads or writes the shared answer cache.
	const question = ports.cached && !ports.account ? cacheableQuestion(turn) : undefined;
	if (!ports.cached || question === undefined) {
		// A follow-up is searched with the conversation it leans on, by its canonical form, exactly as the search cache keys it.
		const { query: asked, boost, prior, ifUnsure, dependent } = conversationalQuery(turn);
		const query = normalizeQuestion(asked);
		const rewrite = dependent && canRewrite(ports.provider) ? await rewriteFollowUp(ports.provider, turn.history, ports.signal) : undefined;
		const refine: Refine = {
			boost,
			...(prior === undefined ? {} : { prior }),
			...(ifUnsure === undefined ? {} : { ifUnsure: normalizeQuestion(ifUnsure) }),
			...(rewrite === undefined ? {} : { rewrite: normalizeQuestion(rewrite) }),
		};
		const knowledge = ports.cached?.knowledge ?? ports.knowledge;
		const sources = knowledge
			? await knowledge.search(query, SOURCES_PER_TURN, await knowledge.version(), refine)
			: (await ports.lookup(query, SOURCES_PER_TURN, refine)).sources;
		if (ports.account) {
			// Tools are the large model's job: no routing, and nothing of the reply is shared.
			const reply = await accountReply(turn, sources, ports.provider, deltas, ports.account, ports.signal);
			if (!reply) return { source: "superseded" };
			return { source: reply.kind === "confirming" ? "confirming" : await commit(reply.answer) };
		}
		const reply = await routedReply(turn, sources, ports.provider, deltas, (provider, sink) =>
			generateReply(turn, sources, provider, sink, ports.signal),
		);
		return { source: reply ? await commit(reply) : "superseded" };
	}
	const { answers, knowledge } = ports.cached;
	const version = await knowledge.version();
	const key = await answers.key(answerKeyParts(question, version, ports.provider));
	const joins: JoinResult[] = [];
	for (;;) {
		const sink = deltas;
		// One lookup: a hit comes back whole, and another turn's computation in this isolate comes back to follow.
		// A hit needs no retrieval at all: the cached answer carries its citations.
		const shared = await answers.shareStream(
			key,
			async (progress) => {
				ports.sharing?.(progress);
				const sources = await knowledge.search(question, SOURCES_PER_TURN, version);
				const computed = await answerQuestion(question, sources, ports.provider, sharedSink(sink, progress), ports.signal);
				if (!computed) throw new Error("a shared computation's sink is never superseded");
				return computed;
			},
			// After MAX_FOLLOWED computations lost, this turn computes on its own rather than join yet another.
			{ silenceMs: ports.shareSilenceMs, join: joins.length < MAX_FOLLOWED },
		);
		if (!shared.joined && shared.ran) {
			const source = await commit(shared.answer);
			return { source, ...(shared.stored ? { cachedKey: key } : {}), joined: joins };
		}
		if (!shared.joined) {
			deltas.add(shared.answer.text);
			if (!(await deltas.flush())) return { source: "superseded", joined: joins };
			return { source: await commit(shared.answer, "cache"), joined: joins };
		}
		const followed = await followAnswer(shared.live, deltas, ports.signal);
		if (followed.kind === "superseded") return { source: "superseded", joined: joins };
		if (followed.kind === "answered") {
			joins.push("followed");
			return { source: await commit(followed.answer, "cache"), joined: joins };
		}
		joins.push("fell_back");
		console.warn(JSON.stringify({ event: "shared_answer_left", turnId: turn.turnId, reason: followed.reason, shown: followed.shown }));
		if (followed.shown > 0) {
			// Its tabs saw part of an answer that will not be finished here: they drop it, and this turn starts over at offset 0.
			if (!(await deltas.flush())) return { source: "superseded", joined: joins };
			if (!(await ports.hub.restartStream({ turnId: turn.turnId })).ok) return { source: "superseded", joined: joins };
			deltas = coalescer();
		}
	}
}

/**
 * Answers a canonical question from `sources` exactly as a context-free chat
 * turn does, for the answer cache: the chat turn and the warming job both
 * come here, so a warmed entry is what a turn would have computed.
 * Undefined once the turn is no longer ours.
 * @example await answerQuestion("how do i reset my password", sources, provider, DISCARD)
 */
export async function answerQuestion(
	question: string,
	sources: Source[],
	provider: AiProvider,
	sink: ReplySink,
	signal?: AbortSignal,
): Promise<ComputedAnswer | undefined> {
	const history = canonicalHistory(question);
	const turn = { summary: null, history, replyTo: history.map((m) => m.id) };
	const answer = await routedReply(turn, sources, provider, sink, (routed, out) => generateReply(turn, sources, routed, out, signal));
	// A decline is cheap to recompute and the one answer an odd spelling could hand everyone: never shared.
	return answer && { answer, shareable: sources.length > 0 && !opensWithDecline(answer.text) };
}

/** A sink for answers nobody watches being written. */
export const DISCARD: ReplySink = { add: () => undefined, flush: async () => true, owned: true };

/**
 * Streams the provider's reply through the sanitizer into `deltas`, exactly
 * as a chat turn does; undefined once the turn is no longer ours.
 * @example await generateReply({ summary: null, history: [question] }, sources, provider, DISCARD)
 */
export async function generateReply(
	turn: { summary: string | null; history: Message[] },
	sources: Source[],
	provider: AiProvider,
	deltas: ReplySink,
	signal?: AbortSignal,
): Promise<CachedAnswer | undefined> {
	signal?.throwIfAborted();
	const input = buildModelInput({ summary: turn.summary, history: turn.history, sources });
	const sanitizer = new ReplySanitizer(input.systemPrompt);
	const abort = new AbortController();
	const stop = signal ? AbortSignal.any([signal, abort.signal]) : abort.signal;
	for await (const chunk of provider.stream({ messages: input.messages, sources, maxTokens: input.maxTokens, signal: stop })) {
		// Providers that ignore the signal between chunks still stop here.
		signal?.throwIfAborted();
		const text = sanitizer.push(chunk);
		if (text) deltas.add(text);
		if (!deltas.owned) return undefined;
		// Past the cap nothing more can be kept; stop paying for tokens.
		if (sanitizer.full) {
			abort.abort();
			break;
		}
	}
	// An abort can end the stream quietly (a cancelled upstream reads as its end): never take that for the whole reply.
	signal?.throwIfAborted();
	const reply = sanitizer.finish();
	if (reply.tail) deltas.add(reply.tail);
	if (!(await deltas.flush())) return undefined;
	if (!reply.text) throw new TransientError("the model returned an empty reply");
	return { text: reply.text, status: reply.status, citations: citationsFor(reply.text, sources) };
}
