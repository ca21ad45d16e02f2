/**
 * What a summary is made from, and how long it may be: shared by the model
 * prompt, the extractive fallback, the summarizer and the turn prompt that
 * shows a summary to the model, without any of them importing another.
 */
import type { Message } from "../schemas/message";

export const SUMMARY_CHAR_LIMIT = 4000;

export interface SummaryInput {
	/** The summary so far, or null before the first one. */
	previous: string | null;
	/** The messages since that summary, oldest first. */
	messages: Message[];
}
