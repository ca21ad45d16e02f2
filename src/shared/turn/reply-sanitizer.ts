/**
 * Post-processes a streamed reply *while it streams*, so that every delta
 * already sent stays a prefix of the final text (CONTRACT §4: deltas agree
 * with the final message). It removes template artifacts (`[INST]`,
 * `<|eot_id|>`, ...), a leading `Assistant:` label and an echoed system
 * prompt, and caps the reply at 1000 characters on a sentence boundary.
 *
 * To keep that promise it holds back what it cannot decide yet: a possible
 * partial token at the end, trailing whitespace, an opening that may still
 * turn out to be a label or an echo, and, past 800 characters, anything after
 * the last complete sentence.
 */
import { TEMPLATE_TOKENS } from "./prompt";

export const REPLY_CHAR_LIMIT = 1000;
/** Past this length only whole sentences are released, so the cap can end on a sentence. */
const FREE_RELEASE_LIMIT = 800;
/** An opening sharing this many characters with the system prompt is an echo. */
const ECHO_MIN_CHARS = 40;

const ROLE_LABEL = /^(assistant|ai|bot)\s*:\s*/i;
const PARTIAL_TOKEN = /^(?:<(?:\|[a-z_]{0,40}\|?)?|<<\/?(?:S(?:Y(?:S>?)?)?)?|<\/?s?|\[\/?(?:I(?:N(?:S(?:T)?)?)?)?)$/i;

export interface FinishedReply {
	/** The text not yet released. */
	tail: string;
	/** The final reply; always starts with everything released before. */
	text: string;
	status: "complete" | "truncated";
}

export class ReplySanitizer {
	readonly #systemPrompt: string;
	#raw = "";
	#released = 0;

	constructor(systemPrompt: string) {
		this.#systemPrompt = systemPrompt;
	}

	/** Adds model output and returns the text that may be sent now (often ""). */
	push(chunk: string): string {
		this.#raw += chunk;
		const clean = this.#clean(this.#raw.slice(0, this.#stableLength()), false);
		if (clean === undefined) return "";
		const releasable = this.#releasableLength(clean);
		if (releasable <= this.#released) return "";
		const out = clean.slice(this.#released, releasable);
		this.#released = releasable;
		return out;
	}

	/** True once the reply is well past the cap: reading more of the stream is wasted work. */
	get full(): boolean {
		return this.#raw.length > REPLY_CHAR_LIMIT * 2;
	}

	finish(): FinishedReply {
		const clean = (this.#clean(this.#raw, true) ?? "").trimEnd();
		let text = clean;
		let status: FinishedReply["status"] = "complete";
		if (clean.length > REPLY_CHAR_LIMIT) {
			status = "truncated";
			const sentenceEnd = lastSentenceEnd(clean, REPLY_CHAR_LIMIT);
			if (sentenceEnd >= this.#released && sentenceEnd > 0) {
				text = clean.slice(0, sentenceEnd);
			} else {
				// No sentence ends in reach: cut at a word and say so with an ellipsis.
				const space = clean.lastIndexOf(" ", REPLY_CHAR_LIMIT - 1);
				text = `${clean.slice(0, Math.max(this.#released, space > 0 ? space : REPLY_CHAR_LIMIT - 1))}…`;
			}
		}
		return { tail: text.slice(this.#released), text, status };
	}

	/** Length of the raw text that cannot be the start of a template token. */
	#stableLength(): number {
		const raw = this.#raw;
		const from = Math.max(raw.lastIndexOf("<"), raw.lastIndexOf("["));
		if (from >= 0 && raw.length - from <= 45 && PARTIAL_TOKEN.test(raw.slice(from))) return from;
		return raw.length;
	}

	/** The cleaned text, or undefined while the opening is still ambiguous. */
	#clean(raw: string, final: boolean): string | undefined {
		let text = raw.replace(TEMPLATE_TOKENS, "").trimStart();
		if (!final && text.length < 12 && "assistant:".startsWith(text.toLowerCase())) return undefined;
		text = text.replace(ROLE_LABEL, "");
		const shared = commonPrefixLength(text, this.#systemPrompt);
		if (!final && text.length > 0 && shared === text.length && shared < this.#systemPrompt.length) return undefined;
		if (shared >= ECHO_MIN_CHARS) text = text.slice(shared).trimStart();
		return text;
	}

	#releasableLength(clean: string): number {
		const length = clean.trimEnd().length;
		if (length <= FREE_RELEASE_LIMIT) return length;
		return Math.max(FREE_RELEASE_LIMIT, lastSentenceEnd(clean, Math.min(length, REPLY_CHAR_LIMIT)));
	}
}

function commonPrefixLength(a: string, b: string): number {
	const max = Math.min(a.length, b.length);
	let i = 0;
	while (i < max && a[i] === b[i]) i++;
	return i;
}

/**
 * The end of the last sentence within `text.slice(0, limit)`: just after
 * `.`, `!`, `?` (optionally closed by a quote, bracket or `[n]` citations) followed by
 * whitespace, or just before a line break. 0 when there is none.
 */
export function lastSentenceEnd(text: string, limit: number): number {
	for (let i = Math.min(limit, text.length - 1); i > 0; i--) {
		const next = text[i] ?? "";
		if (!/\s/.test(next)) continue;
		if (next === "\n" && text[i - 1] !== "\n") return i;
		// A citation marker belongs to the sentence before it: "…settings. [1]".
		if (/[.!?]["')]?(?:\s?\[\d{1,2}\])*$/.test(text.slice(Math.max(0, i - 16), i))) return i;
	}
	return 0;
}
