/**
 * What a SessionHub's alarm does with a session nobody talks to: after 24 h
 * it shrinks it (archives everything hot), but never before a summary covers
 * the last context; after SESSION_RETENTION_DAYS it is erased. The times are
 * measured from the last message, or from creation before the first one.
 */
import { configOf } from "../../shared/config";
import { describeError } from "../../shared/errors";
import { encodeSummarizeMessage } from "../../shared/schemas/summary";
import type { ArchiveIndex } from "./history/archive-index";
import type { History } from "./history/history";
import type { SessionStore } from "./session-store";

/** A session without activity this long is archived whole and shrinks to its summary, counters and index. */
export const IDLE_SHRINK_MS = 24 * 60 * 60 * 1000;
/** An idle shrink that asked for a summary looks again this long later. */
const SUMMARY_WAIT_MS = 10 * 60 * 1000;

export class IdleSession {
	/** An idle shrink waiting for its summary tries again no sooner than this (in memory: an eviction only retries sooner). */
	#shrinkWaitUntil = 0;

	constructor(
		private readonly store: SessionStore,
		private readonly index: ArchiveIndex,
		private readonly history: History,
		private readonly env: () => Env,
	) {}

	/** When the session will have been idle long enough to shrink; null when nothing is hot. */
	shrinkAt(): number | null {
		const session = this.store.session();
		if (!session || this.index.hotMessages() === 0) return null;
		return Math.max(session.lastActivityAt + IDLE_SHRINK_MS, this.#shrinkWaitUntil);
	}

	/** When the session will have been idle past retention (SESSION_RETENTION_DAYS); null when there is none. */
	retentionAt(): number | null {
		const session = this.store.session();
		if (!session) return null;
		// Sessions created before creation counted as activity have no activity time: their creation stands in.
		const lastActive = session.lastActivityAt > 0 ? session.lastActivityAt : Date.parse(session.createdAt) || Date.now();
		return lastActive + configOf(this.env()).sessionRetentionMs;
	}

	/** Whether the session has been idle past retention with nothing in progress, and so must be erased now. */
	retired(now: number): boolean {
		const at = this.retentionAt();
		return at !== null && at <= now && !this.store.liveTurn() && this.store.waiting().length === 0;
	}

	/**
	 * Archives a long-idle session whole, but never its last context unsummarized:
	 * a returning user's follow-up must still be read against what came before.
	 * Until the summary covers every message, it asks for one and waits.
	 */
	async shrinkIfDue(now: number): Promise<void> {
		const session = this.store.session();
		const at = this.shrinkAt();
		if (!session || at === null || at > now || this.store.liveTurn()) return;
		if ((session.summaryThroughSeq ?? 0) < this.store.lastSeq()) {
			this.#shrinkWaitUntil = now + SUMMARY_WAIT_MS;
			await this.env()
				.SUMMARIZE_QUEUE.send(encodeSummarizeMessage(session.id), { contentType: "json" })
				.catch((error: unknown) => {
					console.warn(JSON.stringify({ event: "shrink_summary_unrequested", error: describeError(error) }));
				});
			console.log(JSON.stringify({ event: "session_shrink_waits_for_summary", sessionId: session.id }));
			return;
		}
		const archived = await this.history.archiveAll(session.id);
		console.log(JSON.stringify({ event: "session_shrunk", sessionId: session.id, archived }));
	}
}
