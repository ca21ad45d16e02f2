/**
 * Answers one opened turn: retrieves knowledge-base articles, builds the
 * model input, streams the reply through the sanitizer to the hub in
 * coalesced deltas, and commits the final message with its citations.
 */
import type { AiProvider, Source } from "../ai/provider";
import { TransientError } from "../errors";
import type { BeginTurnResult, TurnWriteResult } from "../schemas/hub";
import type { Citation, Message } from "../schemas/message";
import { citationsFor } from "./citations";
import { DeltaCoalescer } from "./delta-coalescer";
import { buildModelInput } from "./prompt";
import { ReplySanitizer } from "./reply-sanitizer";

const SOURCES_PER_TURN = 3;

/** What answering needs from the outside world; the consumer passes the real bindings. */
export interface TurnPorts {
	hub: {
		appendDelta(input: { turnId: string; text: string }): Promise<TurnWriteResult>;
		completeTurn(input: {
			turnId: string;
			text: string;
			status: "complete" | "truncated";
			citations: Citation[];
		}): Promise<TurnWriteResult>;
	};
	retrieve(query: string, limit: number): Promise<Source[]>;
	provider: AiProvider;
}

type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

/** Resolves once the reply is committed, or as soon as the hub says another delivery owns the turn. */
export async function answerTurn(turn: StartedTurn, ports: TurnPorts): Promise<void> {
	const sources = await ports.retrieve(retrievalQuery(turn.history, turn.replyTo), SOURCES_PER_TURN);
	const input = buildModelInput({ summary: turn.summary, history: turn.history, sources });
	const sanitizer = new ReplySanitizer(input.systemPrompt);
	const deltas = new DeltaCoalescer(async (text) => (await ports.hub.appendDelta({ turnId: turn.turnId, text })).ok);
	const abort = new AbortController();

	for await (const chunk of ports.provider.stream({
		messages: input.messages,
		sources,
		maxTokens: input.maxTokens,
		signal: abort.signal,
	})) {
		const text = sanitizer.push(chunk);
		if (text) deltas.add(text);
		if (!deltas.owned) return;
		// Past the cap nothing more can be kept; stop paying for tokens.
		if (sanitizer.full) {
			abort.abort();
			break;
		}
	}
	const reply = sanitizer.finish();
	if (reply.tail) deltas.add(reply.tail);
	if (!(await deltas.flush())) return;
	if (!reply.text) throw new TransientError("the model returned an empty reply");

	// A refusal (superseded) means another delivery owns the turn and will commit it.
	await ports.hub.completeTurn({
		turnId: turn.turnId,
		text: reply.text,
		status: reply.status,
		citations: citationsFor(reply.text, sources),
	});
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
