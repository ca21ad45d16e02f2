/**
 * The client's view of a session: committed messages keyed by `seq` (so a
 * replay or a duplicate frame never shows twice) and the replies streaming
 * now, merged from deltas by offset (so a replayed delta never duplicates
 * text). The final `message` of a turn replaces its streamed text.
 */
import type { Message } from "./frames";

export interface StreamingReply {
	turn: string;
	text: string;
	replyTo: string[];
	state: "queued" | "thinking" | "streaming";
}

export class Transcript {
	readonly #messages = new Map<number, Message>();
	readonly #ids = new Set<string>();
	readonly #streaming = new Map<string, StreamingReply>();
	#summary: { text: string; throughSeq: number } | null = null;

	/** The newest running summary the server sent (it covers messages up to `throughSeq`). */
	get summary(): { text: string; throughSeq: number } | null {
		return this.#summary;
	}

	/** Keeps a summary unless a newer one is already known (frames may arrive out of order across reconnects). */
	setSummary(text: string, throughSeq: number): void {
		if (this.#summary && this.#summary.throughSeq >= throughSeq) return;
		this.#summary = { text, throughSeq };
	}

	/** Messages in seq order. */
	get messages(): Message[] {
		return [...this.#messages.values()].sort((a, b) => a.seq - b.seq);
	}

	get streaming(): StreamingReply[] {
		return [...this.#streaming.values()];
	}

	/** The reply streaming for `turn`, if any. */
	reply(turn: string): StreamingReply | undefined {
		return this.#streaming.get(turn);
	}

	/** The highest seq with no gap below it: what to resume `after`. */
	get lastSeq(): number {
		let seq = 0;
		while (this.#messages.has(seq + 1)) seq++;
		return seq;
	}

	has(id: string): boolean {
		return this.#ids.has(id);
	}

	/** Adds a committed message; false when it was already known. */
	addMessage(message: Message): boolean {
		if (this.#messages.has(message.seq)) return false;
		this.#messages.set(message.seq, message);
		this.#ids.add(message.id);
		if (message.role !== "user") {
			for (const [turn, reply] of this.#streaming)
				if (reply.replyTo.some((id) => message.replyTo?.includes(id))) this.#streaming.delete(turn);
		}
		return true;
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

	/** Tracks a turn's progress; a turn given back (`queued` again) loses its partial text. */
	setStatus(turn: string, state: string, replyTo: string[]): void {
		if (state === "done" || state === "failed" || state === "escalated") {
			this.#streaming.delete(turn);
			return;
		}
		if (state === "queued" && !replyTo.includes(turn)) {
			// A real turn id going back to the queue: its partial reply will be replaced by a new turn.
			this.#streaming.delete(turn);
			return;
		}
		if (state !== "queued" && state !== "thinking" && state !== "streaming") return;
		// Replies already committed for these messages make this status stale.
		if (replyTo.length > 0 && replyTo.every((id) => this.#answered(id))) return;
		const reply = this.#streaming.get(turn) ?? { turn, text: "", replyTo, state };
		reply.replyTo = replyTo;
		if (reply.state !== "streaming" || state === "streaming") reply.state = state;
		this.#streaming.set(turn, reply);
		// A started turn replaces the "queued" placeholders, which are keyed by message id.
		if (state !== "queued") for (const id of replyTo) this.#streaming.delete(id);
	}

	#answered(id: string): boolean {
		for (const message of this.#messages.values()) if (message.role !== "user" && message.replyTo?.includes(id)) return true;
		return false;
	}
}
