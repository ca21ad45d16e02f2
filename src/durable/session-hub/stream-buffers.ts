/**
 * The text streamed so far for each turn running in this object, in memory.
 * A socket that joins mid-stream gets it all as one delta. It is not written
 * to SQLite: the stream runs inside this same object (turn-runner.ts), so if
 * the object dies the stream dies with it and the turn is driven again from
 * the start; and a write per delta would hold every delta behind the output
 * gate until the write is durable (measured: p95 first delta 657 → 544 ms at
 * 10 msg/s). Only the turn's lease is persisted, and only when less than half
 * of it is left.
 */

interface Stream {
	/** The id clients know the turn by: every delta and status of the attempt carries it. */
	turn: string;
	/** The messages the attempt answers (fixed once it is open), for its `streaming` status. */
	replyTo: readonly string[];
	text: string;
	/** Length in UTF-16 code units, as clients index text. */
	units: number;
	/** Whether any delta has gone out (the turn is "streaming", not "thinking"). */
	streaming: boolean;
	/** The lease end last written to SQLite. */
	leaseSavedUntil: number;
}

export interface Appended {
	/** The turn's public id, for the frames. */
	turn: string;
	replyTo: readonly string[];
	offset: number;
	/** The first delta of the turn: clients get a `streaming` status first. */
	first: boolean;
	/** The persisted lease should be renewed now (to `now + leaseMs`). */
	renewLease: boolean;
}

export class StreamBuffers {
	readonly #streams = new Map<string, Stream>();
	readonly #leaseMs: number;

	constructor(leaseMs: number) {
		this.#leaseMs = leaseMs;
	}

	/** Opens the buffer of attempt `turnId` of the turn clients know as `turn`, answering `replyTo`. */
	open(turnId: string, turn: string, replyTo: readonly string[], leaseUntil: number): void {
		this.#streams.set(turnId, { turn, replyTo, text: "", units: 0, streaming: false, leaseSavedUntil: leaseUntil });
	}

	/** Appends streamed text; undefined when the turn is not streaming here (closed, taken over, or lost with an earlier instance). */
	append(turnId: string, text: string, now: number): Appended | undefined {
		const stream = this.#streams.get(turnId);
		if (!stream) return undefined;
		const appended = {
			turn: stream.turn,
			replyTo: stream.replyTo,
			offset: stream.units,
			first: !stream.streaming,
			renewLease: this.#leaseDue(stream, now),
		};
		stream.text += text;
		stream.units += text.length;
		stream.streaming = true;
		return appended;
	}

	/**
	 * The turn is alive but has nothing to stream yet (it waits in the
	 * admission line): whether its persisted lease should be renewed now, by
	 * the same rule as a delta's. False when it is not running here.
	 */
	keepAlive(turnId: string, now: number): boolean {
		const stream = this.#streams.get(turnId);
		return stream !== undefined && this.#leaseDue(stream, now);
	}

	/** Less than half the lease is left: it is written again (to `now + leaseMs`), and counted as written. */
	#leaseDue(stream: Stream, now: number): boolean {
		if (stream.leaseSavedUntil - now >= this.#leaseMs / 2) return false;
		stream.leaseSavedUntil = now + this.#leaseMs;
		return true;
	}

	/** Empties a live turn's buffer, so its next delta has offset 0 again; false when it is not streaming here. */
	restart(turnId: string): boolean {
		const stream = this.#streams.get(turnId);
		if (!stream) return false;
		stream.text = "";
		stream.units = 0;
		stream.streaming = false;
		return true;
	}

	text(turnId: string): string {
		return this.#streams.get(turnId)?.text ?? "";
	}

	streaming(turnId: string): boolean {
		return this.#streams.get(turnId)?.streaming ?? false;
	}

	close(turnId: string): void {
		this.#streams.delete(turnId);
	}
}
