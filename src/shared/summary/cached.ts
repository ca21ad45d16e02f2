/**
 * A session's summary in the multi-level cache (kind `summary`, 2 h, archived
 * to R2): written by the summarize consumer before it hands the summary to the
 * hub, so a retried job makes no second model call; deleted by the hub's erase.
 */
import { cacheKey } from "../cache";

/** The cached copy of a session's summary. */
export interface CachedSummary {
	text: string;
	throughSeq: number;
}

/**
 * The one cache key of a session's summary, so erasing knows what to delete.
 * @example await summaryCacheKey("ses_123") // "summary:1:…"
 */
export function summaryCacheKey(sessionId: string): Promise<string> {
	return cacheKey("summary", { sessionId });
}
