/**
 * Which turns may be answered from the cache, under which key, and the
 * shape of a cached answer. Only a context-free turn is cached: the first of
 * its session (no summary, no earlier messages), whose answer depends on the
 * question alone. The key holds everything else the answer depends on: the
 * knowledge base's version (an edit changes it, so an edited article is never
 * contradicted), the provider, its model and sampling parameters, and the
 * session's locale.
 */
import { z } from "zod";
import type { AiProvider } from "../ai/provider";
import { TUNING } from "../ai/provider";
import { citationSchema, type Message } from "../schemas/message";

export const cachedAnswerSchema = z.object({
	text: z.string().min(1),
	status: z.enum(["complete", "truncated"]),
	citations: z.array(citationSchema),
});
export type CachedAnswer = z.infer<typeof cachedAnswerSchema>;

/** The cache, as a turn sees it (src/shared/cache behind it). */
export interface AnswerCache {
	key(parts: AnswerKeyParts): Promise<string>;
	/**
	 * The cached answer for `key`; on a miss, runs `compute` unless an
	 * identical computation is already running in this isolate (then waits for
	 * it), and stores the result. `ran` says whether this call computed it.
	 */
	share(key: string, compute: () => Promise<CachedAnswer>): Promise<{ answer: CachedAnswer; ran: boolean }>;
}

export interface AnswerKeyParts {
	question: string;
	kbVersion: number;
	provider: string;
	model: string;
	params: typeof TUNING;
	locale: string;
}

/**
 * The question a context-free turn asks, or undefined when the turn leans on
 * anything before it.
 * @example contextFreeQuestion({ summary: null, history: [q], replyTo: [q.id] }) // q.text
 */
export function contextFreeQuestion(turn: { summary: string | null; history: Message[]; replyTo: string[] }): string | undefined {
	if (turn.summary !== null) return undefined;
	if (!turn.history.every((m) => m.role === "user" && turn.replyTo.includes(m.id))) return undefined;
	const asked = turn.history.map((m) => m.text);
	return asked.length > 0 ? asked.join("\n") : undefined;
}

export function answerKeyParts(question: string, kbVersion: number, provider: AiProvider, locale: string | null): AnswerKeyParts {
	return { question, kbVersion, provider: provider.name, model: provider.model, params: TUNING, locale: locale ?? "" };
}
