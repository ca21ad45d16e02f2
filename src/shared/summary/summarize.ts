/**
 * The running summary of a conversation: previous summary plus new messages
 * in, new summary out. It lets a turn keep the gist of a long conversation
 * while sending the model only its last few messages. The local provider
 * gets the extractive summary (deterministic, no model call); every other
 * provider, wrapped or not (the wrappers keep `name`), is asked to write one.
 */
import type { AiProvider } from "../ai/provider";
import { TransientError } from "../errors";
import { lastSentenceEnd } from "../turn/reply-sanitizer";
import { sanitizeText } from "../turn/template-tokens";
import { extractiveSummary } from "./extractive";
import { SUMMARY_CHAR_LIMIT, type SummaryInput } from "./input";
import { summaryPrompt } from "./prompt";

export { SUMMARY_CHAR_LIMIT, type SummaryInput } from "./input";

/** About 150 words with room to spare; the prompt asks for the words, this bounds the cost. */
export const SUMMARY_MAX_TOKENS = 400;

/**
 * Provider errors (TransientError, PermanentError) propagate unchanged; an
 * empty summary is a TransientError, since keeping the previous one and
 * retrying later beats replacing it with nothing.
 * @example
 * const summary = await summarize(turnProvider(env), { previous: stored, messages: sinceThen });
 */
export async function summarize(provider: AiProvider, input: SummaryInput, signal?: AbortSignal): Promise<string> {
	if (provider.name === "local") return extractiveSummary(input);
	let raw = "";
	for await (const chunk of provider.stream({ messages: summaryPrompt(input), sources: [], maxTokens: SUMMARY_MAX_TOKENS, signal })) {
		raw += chunk;
	}
	const text = sanitizeText(raw).trim();
	if (!text) throw new TransientError(`AI provider ${provider.name} returned an empty summary`);
	return capSummary(text);
}

/** Ends on a sentence when one ends in the last half of the limit, else at the limit. */
function capSummary(text: string): string {
	if (text.length <= SUMMARY_CHAR_LIMIT) return text;
	const sentenceEnd = lastSentenceEnd(text, SUMMARY_CHAR_LIMIT);
	const end = sentenceEnd > SUMMARY_CHAR_LIMIT / 2 ? sentenceEnd : SUMMARY_CHAR_LIMIT;
	// Never leave half a surrogate pair at the cut.
	return text
		.slice(0, end)
		.replace(/[\uD800-\uDBFF]$/, "")
		.trimEnd();
}
