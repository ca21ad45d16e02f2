/**
 * What a (re)connecting socket is sent after `ready`: every committed message
 * after its `after`, then the reply streaming now (or the confirmation a turn
 * waits for) and the turn queued next. Hot messages go out
 * without an await, so no live frame can slip in between. Archived ones come
 * from R2, with awaits: until such a replay reaches the hot part the socket
 * is marked replaying and the hub's broadcasts skip it, then the hot part and
 * the live stream go out at once, so nothing interleaves or goes missing.
 * Summaries broadcast meanwhile skipped the socket too, so such a replay
 * ends with the current summary.
 */
import { describeError } from "../../shared/errors";
import type { ArchiveIndex } from "./history/archive-index";
import type { History } from "./history/history";
import { SEGMENT_SIZE } from "./history/segments";
import { replayPages } from "./replay";
import type { SessionStore } from "./session-store";
import { closeQuietly, sendFrame } from "./sockets";
import type { StreamBuffers } from "./stream-buffers";

export class SocketReplay {
	readonly #replaying = new WeakSet<WebSocket>();

	constructor(
		private readonly deps: {
			store: SessionStore;
			index: ArchiveIndex;
			history: History;
			streams: StreamBuffers;
			waitUntil: (promise: Promise<unknown>) => void;
			/** The writes the confirming turn waits for the user to answer (CONTRACT §8; confirmations.ts). */
			pendingConfirmations: () => readonly { callId: string; tool: string; summary: string }[];
		},
	) {}

	/** Whether live frames must wait for this socket (its replay is still reading the archive). */
	replaying(ws: WebSocket): boolean {
		return this.#replaying.has(ws);
	}

	/** Starts the replay of everything after `after`; returns without awaiting. */
	start(ws: WebSocket, sessionId: string, after: number): void {
		if (after < this.deps.index.archivedThrough()) {
			this.#replaying.add(ws);
			this.deps.waitUntil(this.#replayArchived(ws, sessionId, after));
		} else {
			this.#replayHot(ws, after);
		}
	}

	/** Archived messages a segment at a time, then the rest as #replayHot does. */
	async #replayArchived(ws: WebSocket, sessionId: string, after: number): Promise<void> {
		let cursor = after;
		try {
			while (cursor < this.deps.index.archivedThrough()) {
				const page = await this.deps.history.read(sessionId, cursor, SEGMENT_SIZE);
				for (const message of page) sendFrame(ws, { type: "message", ...message });
				const last = page.at(-1);
				if (!last) break;
				cursor = last.seq;
			}
			this.#replaying.delete(ws);
			const summary = this.deps.store.session();
			if (summary?.summary && summary.summaryThroughSeq !== null) {
				sendFrame(ws, { type: "summary", text: summary.summary, throughSeq: summary.summaryThroughSeq });
			}
			this.#replayHot(ws, cursor);
		} catch (error) {
			console.error(JSON.stringify({ event: "replay_failed", sessionId, after: cursor, error: describeError(error) }));
			this.#replaying.delete(ws);
			// The client reconnects with the last seq it saw and the replay resumes from there.
			closeQuietly(ws, 1011, "Replay failed; reconnect to resume");
		}
	}

	/**
	 * The hot messages after `after`, the reply streaming now and the turn
	 * queued to start next, if any, without an await: a client that saw a
	 * turn's earlier frames before it reconnected goes on under the same id.
	 */
	#replayHot(ws: WebSocket, after: number): void {
		const { store, streams } = this.deps;
		for (const page of replayPages((from, limit) => store.after(from, limit), after)) {
			for (const message of page) sendFrame(ws, { type: "message", ...message });
		}
		const live = store.liveTurn();
		if (live?.state === "confirming") {
			// A write waits for the user: the socket gets the question again, as a stream in progress gets its text.
			sendFrame(ws, { type: "status", turn: live.publicTurn, state: "confirming", replyTo: live.replyTo });
			for (const call of this.deps.pendingConfirmations()) {
				sendFrame(ws, { type: "confirm", turn: live.publicTurn, callId: call.callId, tool: call.tool, summary: call.summary });
			}
		} else if (live) {
			const sofar = streams.text(live.id);
			if (sofar) sendFrame(ws, { type: "delta", turn: live.publicTurn, offset: 0, text: sofar });
			const state = streams.streaming(live.id) ? "streaming" : "thinking";
			sendFrame(ws, { type: "status", turn: live.publicTurn, state, replyTo: live.replyTo });
		}
		const queued = store.queued();
		if (queued) sendFrame(ws, { type: "status", turn: queued.turn, state: "queued", replyTo: queued.replyTo });
	}
}
