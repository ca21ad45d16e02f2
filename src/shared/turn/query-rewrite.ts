/**
 * The optional rewrite step for follow-ups, with a real model: "rewrite the
 * follow-up as a standalone question", searched beside the expanded query and
 * fused with it by rank (KnowledgeBase.retrieve). The expansion keeps what the
 * user typed; the rewrite resolves what a keyword search cannot ("the other
 * one" → "the Slack integration"). Only for turns that depend on context:
 * rewriting a question that stands alone can only hurt it. The local model
 * cannot rewrite, and does not pretend to: locally the expansion alone
 * searches (docs/retrieval.md).
 *
 * The call is small and bounded: the cheap model when routing has one, the
 * last few messages, a few dozen tokens, REWRITE_TIMEOUT_MS. Whatever goes
 * wrong (a timeout, an error, an empty or rambling reply), the turn searches
 * with the expansion alone and says so in the log.
 */
import type { AiProvider, ChatMessage } from "../ai/provider";
import { describeError } from "../errors";
import type { Message } from "../schemas/message";

export const REWRITE_TIMEOUT_MS = 3_000;
/** The messages the rewrite reads: the follow-up and what led to it. */
const CONTEXT_MESSAGES = 6;
const MAX_REWRITE_CHARS = 300;

const INSTRUCTION =
	"Rewrite the user's last message as one standalone question that names everything it refers to, using the conversation above it. " +
	"Reply with the question only, without quotes or explanations. If it already stands alone, repeat it unchanged.";

/** Whether this provider can rewrite: any real model; the local simulator cannot. */
export function canRewrite(provider: AiProvider): boolean {
	return provider.name !== "local";
}

/**
 * The follow-up as a standalone question, or undefined when the model could not give one in time.
 * @example await rewriteFollowUp(provider, history) // "How long is the password reset link valid?"
 */
export async function rewriteFollowUp(
	provider: AiProvider,
	history: readonly Message[],
	signal?: AbortSignal,
): Promise<string | undefined> {
	const timeout = AbortSignal.timeout(REWRITE_TIMEOUT_MS);
	const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
	const messages: ChatMessage[] = [
		{ role: "system", content: INSTRUCTION },
		...history
			.slice(-CONTEXT_MESSAGES)
			.flatMap((m): ChatMessage[] =>
				m.role === "user" || m.role === "assistant" ? [{ role: m.role, content: m.text.slice(0, 1000) }] : [],
			),
	];
	try {
		let text = "";
		const request = { messages, sources: [], maxTokens: 64, signal: stop, ...(provider.smallModel ? { model: provider.smallModel } : {}) };
		for await (const chunk of provider.stream(request)) {
			text += chunk;
			if (text.length > MAX_REWRITE_CHARS) break;
		}
		const question = text.trim().replace(/^["'“]|["'”]$/g, "");
		return question && question.length <= MAX_REWRITE_CHARS && !question.includes("\n") ? question : undefined;
	} catch (error) {
		console.warn(JSON.stringify({ event: "query_rewrite_failed", error: describeError(error) }));
		return undefined;
	}
}
