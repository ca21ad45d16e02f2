/**
 * Replay for a (re)connecting socket, a page at a time: a socket opened with
 * `after=0` on a long conversation must not pull the whole transcript into
 * memory at once (CONTRACT §4: at most 100 messages of a replay held at once).
 */
import type { Message } from "../../shared/schemas/message";

/** 50: the hub never holds more than 50 messages of a session in memory. */
export const REPLAY_PAGE = 50;

/**
 * Yields the messages after `after` in pages of at most REPLAY_PAGE, in seq order.
 * @example for (const page of replayPages((after, limit) => store.after(after, limit), 0)) send(page)
 */
export function* replayPages(read: (after: number, limit: number) => Message[], after: number): Generator<Message[]> {
	let cursor = after;
	for (;;) {
		const page = read(cursor, REPLAY_PAGE);
		const last = page.at(-1);
		if (!last) return;
		yield page;
		if (page.length < REPLAY_PAGE) return;
		cursor = last.seq;
	}
}
