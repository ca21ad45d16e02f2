/**
 * Answers one opened turn: retrieves knowledge-base articles, builds the
 * model input, streams the reply through the sanitizer to the hub in
 * coalesced deltas, and commits the final message with its citations;
 * context-free turns go through the answer cache (answer-cache.ts).
 */
import type { AiProvider, Source } from "../ai/provider";
import { TransientError } from "../errors";
import type { BeginTurnResult, CompleteTurnInput, DeltaInput, TurnWriteResult } from "../schemas/hub";
import type { Message } from "../schemas/message";
import { type AnswerCache, answerKeyParts, type CachedAnswer, contextFreeQuestion } from "./answer-cache";
import { citationsFor } from "./citations";
import { DeltaCoalescer } from "./delta-coalescer";
import type { Knowledge } from "./kb-search-store";
import { buildModelInput } from "./prompt";
import { ReplySanitizer } from "./reply-sanitizer";

const SOURCES_PER_TURN = 3;

/** What answering needs from the outside world; the hub passes itself and the real bindings. */
export interface TurnPorts {
	hub: {
		appendDelta(input: DeltaInput): Promise<TurnWriteResult>;
		completeTurn(input: CompleteTurnInput): Promise<TurnWriteResult>;
	};
	/** The articles for a question and the knowledge base's version, in one round trip. */
	lookup(query: string, limit: number): Promise<{ version: number; sources: Source[] }>;
	provider: AiProvider;
	/**
	 * When given, context-free turns are answered from and into `answers`,
	 * and every turn's retrieval goes through the search cache in `knowledge`.
	 */
	cached?: { answers: AnswerCache; knowledge: Knowledge } | undefined;
	locale?: string | null;
}

type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

/** Where the committed reply came from; "superseded" when another delivery owns the turn now. */
export type TurnSource = "model" | "cache" | "superseded";

/**
 * Answers an opened turn. A hit skips the model but not the protocol: the
 * cached text goes out through the same delta path and the final message
 * carries the same citations. Resolves once the reply is committed, or as
 * soon as the hub says another delivery owns the turn.
 */
export async function answerTurn(turn: StartedTurn, ports: TurnPorts): Promise<TurnSource> {
	const query = retrievalQuery(turn.history, turn.replyTo);
	const deltas = new DeltaCoalescer(async (text, heldSince) => (await ports.hub.appendDelta({ turnId: turn.turnId, text, heldSince })).ok);
	const commit = async (answer: CachedAnswer, source: "model" | "cache" = "model"): Promise<TurnSource> => {
		// A refusal (superseded) means another delivery owns the turn and will commit it.
		const done = await ports.hub.completeTurn({ turnId: turn.turnId, ...answer, source });
		return done.ok ? source : "superseded";
	};
	const replay = async (answer: CachedAnswer): Promise<TurnSource> => {
		deltas.add(answer.text);
		if (!(await deltas.flush())) return "superseded";
		return commit(answer, "cache");
	};
	const generate = (sources: Source[]) => generateReply(turn, sources, ports.provider, deltas);

	if (!ports.cached) {
		const { sources } = await ports.lookup(query, SOURCES_PER_TURN);
		const reply = await generate(sources);
		return reply ? commit(reply) : "superseded";
	}
	const { answers, knowledge } = ports.cached;
	const version = await knowledge.version();
	const search = () => knowledge.search(query, SOURCES_PER_TURN, version);
	const question = contextFreeQuestion(turn);
	if (question === undefined) {
		const reply = await generate(await search());
		return reply ? commit(reply) : "superseded";
	}
	const key = await answers.key(answerKeyParts(question, version, ports.provider, ports.locale ?? null));
	// One lookup: a hit (or another turn's computation in this isolate) comes back with ran: false.
	// A hit needs no retrieval at all: the cached answer carries its citations.
	const shared = await answers.share(key, async () => {
		const reply = await generate(await search());
		// Nothing partial is cached; whoever waited on this computation retries.
		if (!reply) throw new TransientError("the turn computing this answer was taken over");
		return reply;
	});
	return shared.ran ? commit(shared.answer) : replay(shared.answer);
}

/** Where generated text goes as it is released: a turn's deltas, or nowhere (cache warming). */
export interface ReplySink {
	add(text: string): void;
	flush(): Promise<boolean>;
	readonly owned: boolean;
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
): Promise<CachedAnswer | undefined> {
	const input = buildModelInput({ summary: turn.summary, history: turn.history, sources });
	const sanitizer = new ReplySanitizer(input.systemPrompt);
	const abort = new AbortController();
	for await (const chunk of provider.stream({ messages: input.messages, sources, maxTokens: input.maxTokens, signal: abort.signal })) {
		const text = sanitizer.push(chunk);
		if (text) deltas.add(text);
		if (!deltas.owned) return undefined;
		// Past the cap nothing more can be kept; stop paying for tokens.
		if (sanitizer.full) {
			abort.abort();
			break;
		}
	}
	const reply = sanitizer.finish();
	if (reply.tail) deltas.add(reply.tail);
	if (!(await deltas.flush())) return undefined;
	if (!reply.text) throw new TransientError("the model returned an empty reply");
	return { text: reply.text, status: reply.status, citations: citationsFor(reply.text, sources) };
}

/**
 * The text to search the knowledge base with: the messages this turn answers,
 * plus the previous user message when they are too short to stand alone
 * ("and for annual plans?").
 */
export function retrievalQuery(history: Message[], replyTo: string[]): string {
	const asked = history.filter((m) => replyTo.includes(m.id)).map((m) => m.text);
	const question = asked.join("\n");
	if (question.split(/\s+/).length >= 4) return question;
	const earlier = history.filter((m) => m.role === "user" && !replyTo.includes(m.id)).at(-1);
	return earlier ? `${earlier.text}\n${question}` : question;
}
