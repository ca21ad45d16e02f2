/**
 * The per-session message limit (CONTRACT §1: MESSAGES_PER_MINUTE user
 * messages in any 60 s, POST and `send` frames together), counted by the
 * session's own hub.
 *
 * Why not the Rate Limiting binding, as the per-IP limits use: every message
 * of a session already passes through its one hub, which stores when each was
 * accepted. Counting those is exact (the binding is approximate by design)
 * and costs one local read, where the binding cost a round trip on the
 * accept path, with an await that let other events into the hub mid-accept.
 * The binding stays for keys no single object sees every request of.
 */
export const MESSAGE_WINDOW_MS = 60_000;

/**
 * Seconds until the session may send another message: 0 when it may now.
 * `nthNewestAt` is when the `limit`-th newest user message was accepted
 * (undefined when there are fewer): a new one is allowed once that one is a
 * window old.
 * @example retryAfterSeconds(now - 59_500, now) // 1
 */
export function retryAfterSeconds(nthNewestAt: number | undefined, now: number): number {
	if (nthNewestAt === undefined) return 0;
	const waitMs = nthNewestAt + MESSAGE_WINDOW_MS - now;
	return waitMs <= 0 ? 0 : Math.ceil(waitMs / 1000);
}
