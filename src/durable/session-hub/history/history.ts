/**
 * A session's transcript across its two homes: the last messages hot in the
 * hub's SQLite, everything older in R2 segments. Readers see one gapless,
 * ordered sequence whatever `after` they ask for; the archiver keeps the hot
 * part within the session's bound (hotMessageLimit) by moving the oldest settled segment out
 * (R2 first, then one SQLite transaction), one archiver at a time.
 */
import { describeError, TransientError } from "../../../shared/errors";
import { fnv1a } from "../../../shared/hash";
import type { Message } from "../../../shared/schemas/message";
import type { SessionStore } from "../session-store";
import type { ArchiveIndex, Segment } from "./archive-index";
import { decodeSegment, encodeSegment, SEGMENT_SIZE, segmentKey, sessionArchivePrefix } from "./segments";

/** The most messages a hub keeps in SQLite (a waiting message can hold it above this until it is answered). */
export const HOT_MESSAGE_LIMIT = 100;

/** Not the summary registry's shard hash (schemas/summary.ts): a session's bound says nothing of its shard. */
const SPREAD_SEED = 0x9e3779b9;

/**
 * This session's own bound: HOT_MESSAGE_LIMIT less up to a segment, fixed by
 * its id. With one bound for all, sessions that grow together (opened
 * together, talking at one pace) all archived in the same second, and the
 * sessions' objects that share an isolate (locally, all of them) stalled
 * together: 40 archives of about 5 ms of the thread each, and every turn
 * behind them waited (docs/benchmarks.md, "Eleventh round"). Spread over a
 * segment's worth of growth, the same archives cost the same, a few a second.
 * @example hotMessageLimit("ses_1") // the same number in 51–100, every time
 */
export function hotMessageLimit(sessionId: string): number {
	return HOT_MESSAGE_LIMIT - (fnv1a(sessionId, SPREAD_SEED) % SEGMENT_SIZE);
}

export class History {
	readonly #store: SessionStore;
	readonly #index: ArchiveIndex;
	readonly #bucket: () => R2Bucket;
	/** The archiver in progress: runs are chained so that two never write the same range. */
	#archiving: Promise<unknown> = Promise.resolve();

	constructor(store: SessionStore, index: ArchiveIndex, bucket: () => R2Bucket) {
		this.#store = store;
		this.#index = index;
		this.#bucket = bucket;
	}

	/**
	 * Up to `limit` messages with `seq > after`, ascending, from the archive
	 * and then the hot table. At most one segment (SEGMENT_SIZE messages) is
	 * read at a time.
	 */
	async read(sessionId: string, after: number, limit: number): Promise<Message[]> {
		const out: Message[] = [];
		let cursor = after;
		while (out.length < limit) {
			const segment = this.#index.segmentAfter(cursor);
			if (!segment) {
				// Read after the last await: whatever was archived meanwhile is already behind the cursor.
				out.push(...this.#store.after(cursor, limit - out.length));
				break;
			}
			const messages = (await this.#readSegment(sessionId, segment)).filter((m) => m.seq > cursor);
			out.push(...messages.slice(0, limit - out.length));
			const last = out.at(-1);
			if (!last || last.seq <= cursor) break;
			cursor = last.seq;
		}
		return out;
	}

	/** Archives the oldest segments while more than the session's bound (hotMessageLimit) are hot. */
	archiveOverflow(sessionId: string): Promise<number> {
		const limit = hotMessageLimit(sessionId);
		return this.#serially(async () => {
			let archived = 0;
			while (this.#store.hotMessages() > limit) {
				const moved = await this.#archiveHead(sessionId);
				if (moved === 0) break;
				archived += moved;
			}
			return archived;
		});
	}

	/** Archives every hot message that is settled: an idle session shrinks to its summary, counters and index. */
	archiveAll(sessionId: string): Promise<number> {
		return this.#serially(async () => {
			let archived = 0;
			for (;;) {
				const moved = await this.#archiveHead(sessionId);
				if (moved === 0) return archived;
				archived += moved;
			}
		});
	}

	/** Deletes every segment of the session from R2, after any archiving in progress has finished. */
	async erase(sessionId: string): Promise<number> {
		await this.#archiving.catch(() => undefined);
		const bucket = this.#bucket();
		let deleted = 0;
		let cursor: string | undefined;
		do {
			const page = await bucket.list({ prefix: sessionArchivePrefix(sessionId), ...(cursor ? { cursor } : {}) });
			const keys = page.objects.map((o) => o.key);
			if (keys.length > 0) await bucket.delete(keys);
			deleted += keys.length;
			cursor = page.truncated ? page.cursor : undefined;
		} while (cursor);
		return deleted;
	}

	async #archiveHead(sessionId: string): Promise<number> {
		const head = this.#index.settledHead(SEGMENT_SIZE);
		const first = head?.[0];
		const last = head?.at(-1);
		if (!head || !first || !last) return 0;
		await this.#bucket().put(segmentKey(sessionId, first.seq, last.seq), await encodeSegment(head), {
			httpMetadata: { contentType: "application/jsonl", contentEncoding: "gzip" },
		});
		await this.#afterSegmentWritten();
		const segment = this.#index.commitSegment(head);
		console.log(JSON.stringify({ event: "history_archived", sessionId, fromSeq: segment.fromSeq, toSeq: segment.toSeq }));
		return segment.count;
	}

	/** A seam for the crash test: development can pause here (between the R2 write and the delete). */
	#afterSegmentWritten: () => Promise<void> = async () => undefined;

	pauseAfterSegmentWrite(pause: () => Promise<void>): void {
		this.#afterSegmentWritten = pause;
	}

	async #readSegment(sessionId: string, segment: Segment): Promise<Message[]> {
		const key = segmentKey(sessionId, segment.fromSeq, segment.toSeq);
		const object = await this.#bucket().get(key);
		// The index says it is there; a miss is the store's failure, and retrying may succeed.
		if (!object) throw new TransientError(`archive segment ${key} is missing`);
		return decodeSegment(object.body);
	}

	#serially<T>(run: () => Promise<T>): Promise<T> {
		const next = this.#archiving.catch(() => undefined).then(run);
		this.#archiving = next.catch((error: unknown) => {
			console.error(JSON.stringify({ event: "history_archive_failed", error: describeError(error) }));
		});
		return next;
	}
}
