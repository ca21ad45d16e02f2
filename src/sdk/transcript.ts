/**
 * The client's view of a session: committed messages keyed by `seq` (so a
 * replay or a duplicate frame never shows twice) and the replies streaming
 * now, merged from deltas by offset (so a replayed delta never duplicates
 * text). The final `message` of a turn replaces its streamed text.
 *
 * Bounded (issue 17): it holds the newest `limit` messages plus any the
 * caller pins, so a tab left open on a long conversation does not grow
 * without end. Older history is the server's to page (`ChatApi`), not this
 * cache's to keep.
 */
import type { Message } from "./frames";

/** Messages held by default: a few screens of scrollback, a trivial redraw. */
export const TRANSCRIPT_LIMIT = 200;

export interface StreamingReply {
	turn: string;
	text: string;
	replyTo: string[];
	state: "queued" | "thinking" | "streaming" | "confirming";
	/** While the turn waits for model capacity: its place in line (1 = next) and the estimated wait. */
	line?: { position: number; etaSeconds: number };
	/** While the turn is `confirming`: the back-office write waiting for the user's answer (CONTRACT §8). */
	confirmation?: { callId: string; tool: string; summary: string };
}

export interface TranscriptOptions {
	/** How many of the newest messages to hold; pinned messages are held on top of these. */
	limit?: number;
}

/**
 * @example
 * const transcript = new Transcript({ limit: 500 });
 * const chat = new ChatConnection({ url, token, transcript });
 */
export class Transcript {
	readonly #limit: number;
	/** Held messages, ascending by seq: kept sorted on insert so reading them never sorts. */
	readonly #ordered: Message[] = [];
	readonly #ids = new Set<string>();
	readonly #pinned = new Set<number>();
	/**
	 * Every seq up to here has arrived or was let go; every seq above it that arrived is held.
	 * So a seq at or below it is a duplicate, and a reconnect resumes after it.
	 */
	#lastSeq = 0;
	readonly #streaming = new Map<string, StreamingReply>();
	#summary: { text: string; throughSeq: number } | null = null;

	constructor(options: TranscriptOptions = {}) {
		const limit = options.limit ?? TRANSCRIPT_LIMIT;
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`transcript limit must be a positive integer, got ${limit}`);
		this.#limit = limit;
	}

	/** The newest running summary the server sent (it covers messages up to `throughSeq`). */
	get summary(): { text: string; throughSeq: number } | null {
		return this.#summary;
	}

	/** Keeps a summary unless a newer one is already known (frames may arrive out of order across reconnects). */
	setSummary(text: string, throughSeq: number): void {
		if (this.#summary && this.#summary.throughSeq >= throughSeq) return;
		this.#summary = { text, throughSeq };
	}

	/** The held messages in seq order (a copy: the caller may keep it while frames arrive). */
	get messages(): Message[] {
		return this.#ordered.slice();
	}

	get streaming(): StreamingReply[] {
		return [...this.#streaming.values()];
	}

	/** The reply streaming for `turn`, if any. */
	reply(turn: string): StreamingReply | undefined {
		return this.#streaming.get(turn);
	}

	/**
	 * What to resume `after`: the highest seq with no gap below it. A gap older
	 * than every held message is given up on, since its message would be let go
	 * the moment it arrived.
	 */
	get lastSeq(): number {
		return this.#lastSeq;
	}

	/** Whether a held message has this id (an outbox message older than the window is resent; the server dedupes it by id). */
	has(id: string): boolean {
		return this.#ids.has(id);
	}

	/** Adds a committed message; false when it was already known. */
	addMessage(message: Message): boolean {
		if (message.seq <= this.#lastSeq) return false;
		const at = this.#indexAfter(message.seq - 1);
		if (this.#ordered[at]?.seq === message.seq) return false;
		this.#ordered.splice(at, 0, message);
		this.#ids.add(message.id);
		if (message.role !== "user") {
			for (const [turn, reply] of this.#streaming)
				if (reply.replyTo.some((id) => message.replyTo?.includes(id))) this.#streaming.delete(turn);
		}
		this.#advance();
		this.#trim();
		return true;
	}

	/**
	 * Holds a message beyond the limit (one the user is reading, say) until `unpin`; false when it is not held.
	 * @example transcript.pin(42); … transcript.unpin(42);
	 */
	pin(seq: number): boolean {
		if (this.#ordered[this.#indexAfter(seq - 1)]?.seq !== seq) return false;
		this.#pinned.add(seq);
		return true;
	}

	/** Lets a pinned message go back under the limit (and out, if it is among the oldest). */
	unpin(seq: number): void {
		if (this.#pinned.delete(seq)) this.#trim();
	}

	/** Applies a delta by offset; returns false when it added nothing (a replay or a gap). */
	applyDelta(turn: string, offset: number, text: string): boolean {
		const reply = this.#streaming.get(turn) ?? { turn, text: "", replyTo: [], state: "streaming" as const };
		if (offset > reply.text.length) return false; // a gap: the next catch-up delta (offset 0) repairs it
		const end = offset + text.length;
		if (end <= reply.text.length) return false; // already have all of it
		reply.text += text.slice(reply.text.length - offset);
		reply.state = "streaming";
		this.#streaming.set(turn, reply);
		return true;
	}

	/**
	 * Tracks a turn by its id, which it keeps from `queued` to its end (CONTRACT §4). A turn given
	 * back (`queued` again) loses its partial text and waits under the same id. A turn whose status
	 * lists every message of another tracked turn has taken that one over (merged): the other is
	 * dropped here, and ends on the wire when this one does.
	 */
	setStatus(turn: string, state: string, replyTo: string[], line?: { position: number; etaSeconds: number }): void {
		if (state === "done" || state === "failed" || state === "escalated") {
			this.#streaming.delete(turn);
			return;
		}
		if (state !== "queued" && state !== "thinking" && state !== "streaming" && state !== "confirming") return;
		// Replies already committed for these messages make this status stale.
		if (replyTo.length > 0 && replyTo.every((id) => this.#answered(id))) return;
		for (const [other, reply] of this.#streaming) {
			if (other !== turn && reply.replyTo.length > 0 && reply.replyTo.every((id) => replyTo.includes(id))) this.#streaming.delete(other);
		}
		const reply = this.#streaming.get(turn) ?? { turn, text: "", replyTo, state };
		reply.replyTo = replyTo;
		if (state === "queued") reply.text = "";
		// A late `thinking` never hides text already streaming; only `queued` (given back) takes it away.
		if (reply.state !== "streaming" || state !== "thinking") reply.state = state;
		if (state === "queued" && line) reply.line = line;
		else delete reply.line;
		// Any other state means the confirmation was answered (or cancelled).
		if (state !== "confirming") delete reply.confirmation;
		this.#streaming.set(turn, reply);
	}

	/** The turn waits for the user to approve or decline a back-office write (a `confirm` frame). */
	setConfirmation(turn: string, confirmation: { callId: string; tool: string; summary: string }): void {
		const reply = this.#streaming.get(turn) ?? { turn, text: "", replyTo: [], state: "confirming" as const };
		reply.state = "confirming";
		reply.text = "";
		reply.confirmation = confirmation;
		this.#streaming.set(turn, reply);
	}

	#answered(id: string): boolean {
		// Newest first: a reply sits just after the messages it answers.
		for (let i = this.#ordered.length - 1; i >= 0; i--) {
			const message = this.#ordered[i];
			if (message && message.role !== "user" && message.replyTo?.includes(id)) return true;
		}
		return false;
	}

	/** The index of the first held message with a seq above `seq` (binary search; the newest is checked first, as most frames append). */
	#indexAfter(seq: number): number {
		const ordered = this.#ordered;
		if ((ordered.at(-1)?.seq ?? Number.NEGATIVE_INFINITY) <= seq) return ordered.length;
		let low = 0;
		let high = ordered.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if ((ordered[mid]?.seq ?? Number.POSITIVE_INFINITY) <= seq) low = mid + 1;
			else high = mid;
		}
		return low;
	}

	/** Moves `lastSeq` up through the held messages that follow it without a gap. */
	#advance(): void {
		for (let i = this.#indexAfter(this.#lastSeq); this.#ordered[i]?.seq === this.#lastSeq + 1; i++) this.#lastSeq++;
	}

	/** Lets the oldest unpinned messages go until at most `limit` unpinned ones are held. */
	#trim(): void {
		let i = 0;
		while (this.#ordered.length - this.#pinned.size > this.#limit) {
			while (this.#pinned.has(this.#ordered[i]?.seq ?? Number.NaN)) i++;
			const [gone] = this.#ordered.splice(i, 1);
			if (!gone) return;
			this.#ids.delete(gone.id);
			// A gap below a message let go can never be shown: stop waiting for it, so `lastSeq` keeps the invariant above.
			if (gone.seq > this.#lastSeq) {
				this.#lastSeq = gone.seq;
				this.#advance();
			}
		}
	}
}
