/**
 * How a reply that declines reads: model routing gates the small model on it
 * (turn/routed-reply.ts) and the answer-quality eval judges declines with it
 * (eval/score.ts). Plain text, no runtime bindings, so Node tools can use it.
 */

/**
 * A reply opening that says it cannot answer: first-person inability, or the articles not
 * covering it. Read only in the opening, so "if you can't find the button" in a step later on
 * is not a decline.
 */
export const DECLINE_PATTERN = new RegExp(
	[
		String.raw`\bI(?:['’]m| am) (?:not able|unable) to (?:answer|help|find|locate)`,
		String.raw`\bI (?:can['’]?t|cannot|can not|could(?:n['’]?t| not)|was(?:n['’]?t| not) able to|was unable to) (?:find|answer|help with|locate)`,
		String.raw`\bI do(?:n['’]?t| not) (?:have|know)\b`,
		String.raw`\b(?:articles?|knowledge[- ]base|help[- ]cent(?:er|re)|documentation) do(?:es)?(?:n['’]?t| not) (?:contain|mention|cover|include|say|provide|address)`,
		String.raw`\bno (?:information|details|article) (?:about|on|regarding)\b`,
	].join("|"),
	"i",
);

/** How much of a reply's opening a decline is looked for in: "if you can't find the button" in a later step is not one. */
const DECLINE_OPENING_CHARS = 200;

/**
 * Whether a whole reply is a decline: DECLINE_PATTERN in its opening.
 * @example opensWithDecline("I'm sorry, I couldn't find an answer to that.") // true
 */
export function opensWithDecline(reply: string): boolean {
	return DECLINE_PATTERN.test(reply.slice(0, DECLINE_OPENING_CHARS));
}
