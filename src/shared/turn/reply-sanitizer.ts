/**
 * Post-processes a streamed reply *while it streams*, so that every delta
 * already sent stays a prefix of the final text (CONTRACT §4: deltas agree
 * with the final message). It drops invisible characters, removes template
 * artifacts (`[INST]`, `<|eot_id|>`, ..., also when nested), a leading
 * `Assistant:` label and an echoed system prompt, and caps the reply at 1000
 * characters on a sentence boundary. It does not NFKC-normalize: normalizing
 * a prefix need not give a prefix of the normalized whole.
 *
 * To keep that promise it holds back what it cannot decide yet: text at the
 * end that a token still to come could remove, trailing whitespace, an opening
 * that may still turn out to be a label or an echo, and, past 800 characters,
 * anything after the last complete sentence.
 */
import { dropInvisible, stripTemplateTokensAfter } from "./template-tokens";

export const REPLY_CHAR_LIMIT = 1000;
/** Past this length only whole sentences are released, so the cap can end on a sentence. */
const FREE_RELEASE_LIMIT = 800;
/** An opening sharing this many characters with the system prompt is an echo. */
const ECHO_MIN_CHARS = 40;

const ROLE_WORDS = ["assistant", "ai", "bot"];
const ROLE_LABEL = /^(assistant|ai|bot)\s*:\s*/i;
/**
 * What the start of a template token can contain: no digits, spaces or punctuation, and "]" only
 * ever ends one. As character codes: indexing a string that holds any non-Latin-1 character
 * allocates a one-character string per read, at every chunk of every reply.
 */
const TOKEN_START_PUNCTUATION = new Set(["_", "|", "/", "<", ">", "["].map((c) => c.charCodeAt(0)));
const OPENERS = new Set(["<", "["].map((c) => c.charCodeAt(0)));

function isTokenStartChar(code: number): boolean {
	// Letters of either case (ASCII only, as the pattern this replaces was: /[a-z_|/<>[]/i).
	const lower = code | 0x20;
	return (lower >= 0x61 && lower <= 0x7a) || TOKEN_START_PUNCTUATION.has(code);
}

export interface FinishedReply {
	/** The text not yet released. */
	tail: string;
	/** The final reply; always starts with everything released before. */
	text: string;
	status: "complete" | "truncated";
}

export class ReplySanitizer {
	readonly #systemPrompt: string;
	/** Characters of model output pushed so far. */
	#rawLength = 0;
	/**
	 * The output so far, invisible characters dropped and tokens stripped, in two parts: `#decided`,
	 * which no later output can change (decidedLength), and `#held`, the short end that a token still
	 * to come could remove. Each chunk is stripped on from `#held` alone, so the work per chunk is the
	 * chunk's, not the reply's: reading any character of the whole, a string grown chunk by chunk,
	 * copied all of it every time (bench:overhead, docs/benchmarks.md "Tenth round").
	 */
	#decided = "";
	#held = "";
	/** A high surrogate that ended the last chunk: with the next chunk's first unit it may be one invisible character. */
	#pending = "";
	/**
	 * Where the reply starts in `#decided`, once its opening is decided: past leading whitespace, a
	 * role label and an echoed system prompt. Later output only adds to the end, so it never moves.
	 */
	#opening: number | undefined;
	/** The reply's length without trailing whitespace (clean.trimEnd().length), once the opening is decided. */
	#trimmedLength = 0;
	/** The reply not yet released: from `#released` on. */
	#unreleased = "";
	#released = 0;
	/** Where the decided reply's sentences end, read as it grows (past FREE_RELEASE_LIMIT only whole ones go out). */
	#sentences = new SentenceEnds();

	constructor(systemPrompt: string) {
		this.#systemPrompt = systemPrompt;
	}

	/** Adds model output and returns the text that may be sent now (often ""). */
	push(chunk: string): string {
		this.#rawLength += chunk.length;
		let text = this.#pending + chunk;
		this.#pending = "";
		if (endsInHighSurrogate(text)) {
			this.#pending = text.slice(-1);
			text = text.slice(0, -1);
		}
		const end = stripTemplateTokensAfter(this.#held, dropInvisible(text));
		const decided = decidedLength(end);
		this.#held = end.slice(decided);
		if (decided > 0) this.#decide(end.slice(0, decided));
		if (this.#opening === undefined) return "";
		const releasable = this.#releasableLength();
		if (releasable <= this.#released) return "";
		const out = this.#unreleased.slice(0, releasable - this.#released);
		this.#unreleased = this.#unreleased.slice(out.length);
		this.#released = releasable;
		return out;
	}

	/** True once the reply is well past the cap: reading more of the stream is wasted work. */
	get full(): boolean {
		return this.#rawLength > REPLY_CHAR_LIMIT * 2;
	}

	finish(): FinishedReply {
		const stripped = this.#decided + stripTemplateTokensAfter(this.#held, dropInvisible(this.#pending));
		const clean = (this.#clean(stripped, true) ?? "").trimEnd();
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

	/** Adds text no later output can change; decides the opening once it can. */
	#decide(piece: string): void {
		const before = this.#decided.length;
		this.#decided += piece;
		if (this.#opening !== undefined) {
			this.#unreleased += piece;
			this.#sentences.append(piece);
			const trimmed = piece.trimEnd().length;
			if (trimmed > 0) this.#trimmedLength = before + trimmed - this.#opening;
			return;
		}
		const clean = this.#clean(this.#decided, false);
		// An empty reply is not decided yet: more whitespace after a label or an echo would still go with it.
		if (!clean) return;
		this.#opening = this.#decided.length - clean.length;
		this.#unreleased = clean;
		this.#sentences.append(clean);
		this.#trimmedLength = clean.trimEnd().length;
	}

	/** The stripped text without label or echo, or undefined while the opening is still ambiguous. */
	#clean(stripped: string, final: boolean): string | undefined {
		let text = stripped.trimStart();
		if (!final && mayBecomeRoleLabel(text)) return undefined;
		text = text.replace(ROLE_LABEL, "");
		const shared = commonPrefixLength(text, this.#systemPrompt);
		if (!final && text.length > 0 && shared === text.length && shared < this.#systemPrompt.length) return undefined;
		if (shared >= ECHO_MIN_CHARS) text = text.slice(shared).trimStart();
		return text;
	}

	/** How much of the decided reply may go out now: all but trailing whitespace, and past FREE_RELEASE_LIMIT whole sentences only. */
	#releasableLength(): number {
		const length = this.#trimmedLength;
		if (length <= FREE_RELEASE_LIMIT) return length;
		return Math.max(FREE_RELEASE_LIMIT, this.#sentences.lastWithin(Math.min(length, REPLY_CHAR_LIMIT)));
	}
}

/** How many characters before a candidate end `endsSentenceAt` reads. */
const SENTENCE_LOOKBACK = 16;

/**
 * lastSentenceEnd over a text that only grows, asked with a limit that never falls: each
 * character is tested once. Reading the whole reply again at every chunk past FREE_RELEASE_LIMIT,
 * a string grown chunk by chunk, copied all of it each time.
 */
class SentenceEnds {
	/** The text from `#tailStart` on: what is not tested yet, and the lookback before it. */
	#tail = "";
	#tailStart = 0;
	#length = 0;
	/** The lowest index not tested yet (lastSentenceEnd never ends one at 0). */
	#next = 1;
	#last = 0;

	append(piece: string): void {
		this.#tail += piece;
		this.#length += piece.length;
	}

	/** lastSentenceEnd(text, limit) for the text appended so far; `limit` must not be below an earlier call's. */
	lastWithin(limit: number): number {
		const to = Math.min(limit, this.#length - 1);
		if (to < this.#next) return this.#last;
		const tail = this.#tail;
		for (let i = this.#next; i <= to; i++) if (endsSentenceAt(tail, i - this.#tailStart)) this.#last = i;
		this.#next = to + 1;
		const keepFrom = Math.max(0, this.#next - SENTENCE_LOOKBACK);
		this.#tail = tail.slice(keepFrom - this.#tailStart);
		this.#tailStart = keepFrom;
		return this.#last;
	}
}

/**
 * How much of `stripped` (model output with invisible characters dropped and
 * tokens stripped) no later output can change.
 *
 * Why the rest is safe to release: stripping `raw + more` ends where stripping
 * `stripped + more` does, since every order of removals ends at the same text.
 * `stripped` holds no token, so each removal reaches into the new text, and what
 * it takes of `stripped` is a suffix of what is left of it that is the unfinished
 * start of a token (a finished one would have been removed already). Removals chain
 * (`[IN[IN` + `ST]ST]` removes all), so the part of `stripped` that can vanish
 * is a suffix made of token starts: it begins with `<` or `[` and holds only
 * token-start characters (isTokenStartChar). The longest such suffix is held back, and the
 * final stripped text starts with everything before it.
 *
 * The held suffix is deliberately unbounded, since a bound of whatever size would let a crafted run
 * of `[IN[IN…` be released and then vanish. Holding costs only latency, only for
 * a run without spaces, digits or punctuation, and finish() releases it.
 */
function decidedLength(stripped: string): number {
	// A lone high surrogate at the end may yet pair into an invisible tag character, which is dropped.
	let end = stripped.length;
	if (endsInHighSurrogate(stripped)) end--;
	let from = end;
	for (let i = end - 1; i >= 0; i--) {
		const code = stripped.charCodeAt(i);
		if (!isTokenStartChar(code)) break;
		if (OPENERS.has(code)) from = i;
	}
	return from;
}

/** Read by its last code unit: a regular expression anchored at the end would scan the whole reply at every chunk. */
function endsInHighSurrogate(text: string): boolean {
	const last = text.charCodeAt(text.length - 1);
	return last >= 0xd800 && last <= 0xdbff;
}

/** Whether an opening could still grow into a role label such as "AI:" or "Assistant :". */
function mayBecomeRoleLabel(text: string): boolean {
	const opening = /^([a-z]*)\s*$/i.exec(text);
	if (!opening) return false;
	const word = (opening[1] ?? "").toLowerCase();
	// "Bo" may become "Bot:"; "Bot " may still get its colon, "Bob " may not.
	return word.length === text.length ? ROLE_WORDS.some((w) => w.startsWith(word)) : ROLE_WORDS.includes(word);
}

function commonPrefixLength(a: string, b: string): number {
	const max = Math.min(a.length, b.length);
	let i = 0;
	// By code: see isTokenStartChar.
	while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
	return i;
}

/**
 * The end of the last sentence within `text.slice(0, limit)`: just after
 * `.`, `!`, `?` (optionally closed by a quote, bracket or `[n]` citations) followed by
 * whitespace, or just before a line break. 0 when there is none.
 */
export function lastSentenceEnd(text: string, limit: number): number {
	for (let i = Math.min(limit, text.length - 1); i > 0; i--) if (endsSentenceAt(text, i)) return i;
	return 0;
}

/** Whether a sentence ends just before `text[i]` (lastSentenceEnd's test, read from at most SENTENCE_LOOKBACK characters back). */
function endsSentenceAt(text: string, i: number): boolean {
	const next = text.charCodeAt(i);
	// By code: see isTokenStartChar.
	if (!isWhitespace(next)) return false;
	if (next === LINE_FEED && text.charCodeAt(i - 1) !== LINE_FEED) return true;
	// A citation marker belongs to the sentence before it: "…settings. [1]".
	return SENTENCE_END.test(text.slice(Math.max(0, i - SENTENCE_LOOKBACK), i));
}

const SENTENCE_END = /[.!?]["')]?(?:\s?\[\d{1,2}\])*$/;
const LINE_FEED = 0x0a;

/** `/\s/` by character code: tab to carriage return, space, and Unicode's spaces and separators. */
function isWhitespace(code: number): boolean {
	if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
	if (code < 0xa0) return false;
	return (
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
}
