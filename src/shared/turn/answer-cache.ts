/**
 * Which turns may be answered from the shared answer cache, under which key,
 * and the shape of a cached answer. Only a context-free turn is cached: the
 * first of its session (no summary, no earlier messages, hot or archived),
 * whose answer depends on the question alone.
 *
 * A cached answer is computed from the *canonical* question (its key's own
 * text), never from the spelling its first asker used: so whatever shares a
 * key shares the computation, and one user's odd input (a zero-width space
 * inside "refund") cannot decide what everyone else is told. The key holds
 * everything else the answer depends on: the knowledge base's version (an
 * edit changes it, so an edited article is never contradicted), the
 * provider, its model and sampling parameters, and under model routing the
 * small model and the rule that picks between the two. Not the session's
 * locale: the model never sees it, so it cannot change the answer.
 */
import { z } from "zod";
import type { AiProvider } from "../ai/provider";
import { TUNING } from "../ai/provider";
import { type FlightProgress, normalizeQuestion } from "../cache";
import { citationSchema, type Message } from "../schemas/message";
import { ROUTING_RULE } from "./model-routing";

export const cachedAnswerSchema = z.object({
	text: z.string().min(1),
	status: z.enum(["complete", "truncated"]),
	citations: z.array(citationSchema),
});
export type CachedAnswer = z.infer<typeof cachedAnswerSchema>;

/** A computed answer, and whether it may be shared with other users. */
export interface ComputedAnswer {
	answer: CachedAnswer;
	/**
	 * False for a decline (nothing in the knowledge base matched): cheap to
	 * recompute, and the one answer an unlucky or hostile spelling could
	 * otherwise hand to everyone for an hour.
	 */
	shareable: boolean;
}

/**
 * Another turn's computation of an answer, running in this isolate, as a
 * turn that joined it follows it.
 */
export interface LiveAnswer {
	/** The text it has published so far: a prefix of its answer's text. */
	readonly text: string;
	/**
	 * Waits until more than `seen` characters are published, it ends, or it
	 * has been silent past its deadline (its owner may be gone); rejects with
	 * `signal`'s reason once that aborts.
	 */
	next(seen: number, signal?: AbortSignal): Promise<"grew" | "settled" | "silent">;
	/** Its answer, once it has ended; rejects with its failure (whoever's turn ran it). */
	answer(): Promise<CachedAnswer>;
}

/** What `shareStream` found: an answer (cached, or computed by this call), or a computation to follow. */
export type StreamedShare = { joined: false; answer: CachedAnswer; ran: boolean; stored: boolean } | { joined: true; live: LiveAnswer };

/** The cache, as a turn sees it (src/shared/cache behind it). */
export interface AnswerCache {
	key(parts: AnswerKeyParts): Promise<string>;
	/**
	 * The cached answer for `key`; on a miss, runs `compute` unless an
	 * identical computation is already running in this isolate (then waits for
	 * it), and stores the result if it is shareable. `ran` says whether this
	 * call computed it; `stored` whether that computation was written.
	 */
	share(key: string, compute: () => Promise<ComputedAnswer>): Promise<{ answer: CachedAnswer; ran: boolean; stored: boolean }>;
	/**
	 * `share` for a turn that shows the answer as it is written: when an
	 * identical computation is already running in this isolate, it resolves at
	 * once with that computation to follow, instead of after its end. `compute`
	 * publishes the text its followers see; `silenceMs` is how long it may go
	 * without publishing before they leave it; `join: false` starts a
	 * computation even when one is running.
	 */
	shareStream(
		key: string,
		compute: (progress: FlightProgress) => Promise<ComputedAnswer>,
		options: { silenceMs: number; join: boolean },
	): Promise<StreamedShare>;
	/** Removes `key` from every level this isolate can reach (erasure). */
	delete(key: string): Promise<void>;
}

export interface AnswerKeyParts {
	/** The canonical question (normalizeQuestion): what the answer was computed from. */
	question: string;
	kbVersion: number;
	provider: string;
	model: string;
	params: typeof TUNING;
	/**
	 * Under model routing (routed-reply.ts): the small model and the rule. They decide which model
	 * answers, from the question and its retrieval alone, so the key is known before the answer is
	 * and equal keys still mean equal computations. Not the model that did answer: that is known
	 * only at the end, and keying by it would make every lookup a guess. A decline is never stored
	 * (the large model's answer is), so routing adds one set of keys, not one per model.
	 * Absent with routing off: those keys are the ones written before routing existed.
	 */
	routing?: { smallModel: string; rule: typeof ROUTING_RULE };
}

/**
 * The raw text a context-free turn asks, or undefined when the turn leans on
 * anything before it. The history must start at the session's first message:
 * a session whose earlier messages were archived is not context-free, even
 * when its hot history holds only the new question.
 * @example contextFreeQuestion({ summary: null, history: [q], replyTo: [q.id] }) // q.text
 */
export function contextFreeQuestion(turn: { summary: string | null; history: Message[]; replyTo: string[] }): string | undefined {
	if (turn.summary !== null) return undefined;
	if (turn.history[0]?.seq !== 1) return undefined;
	if (!turn.history.every((m) => m.role === "user" && turn.replyTo.includes(m.id))) return undefined;
	return turn.history.map((m) => m.text).join("\n");
}

/**
 * The canonical question of a context-free turn: its cache key, its search
 * and its prompt are all built from this text. Undefined when the turn is not
 * context-free or nothing of it survives normalization ("???").
 * @example cacheableQuestion({ summary: null, history: [{ seq: 1, text: "Hi! Can I get a re\u200Bfund?", … }], replyTo }) // "can i get a refund"
 */
export function cacheableQuestion(turn: { summary: string | null; history: Message[]; replyTo: string[] }): string | undefined {
	const raw = contextFreeQuestion(turn);
	if (raw === undefined) return undefined;
	const canonical = normalizeQuestion(raw);
	return canonical === "" ? undefined : canonical;
}

/** The one-message history a canonical question is answered from, by a chat turn and a warming job alike. */
export function canonicalHistory(question: string): Message[] {
	return [{ seq: 1, id: "question", role: "user", text: question, createdAt: new Date(0).toISOString(), status: "complete" }];
}

export function answerKeyParts(question: string, kbVersion: number, provider: AiProvider): AnswerKeyParts {
	const parts: AnswerKeyParts = { question, kbVersion, provider: provider.name, model: provider.model, params: TUNING };
	return provider.smallModel === undefined ? parts : { ...parts, routing: { smallModel: provider.smallModel, rule: ROUTING_RULE } };
}
