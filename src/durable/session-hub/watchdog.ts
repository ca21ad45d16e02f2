/**
 * The watchdog's policy: which waiting user messages are really lost and must
 * be driven again, which are only waiting their turn in a queue backlog, and
 * which cannot be answered any more. Pure, so every case is tested without a
 * clock or a queue; the SessionHub's alarm carries the plan out.
 *
 * A message is lost when:
 * - the consumer that owned its turn went quiet (the lease expired: a crash
 *   mid-stream, an evicted isolate);
 * - a consumer saw it (it is "delivered") but no turn is answering it and
 *   nothing has redelivered it within WATCHDOG_MS;
 * - its job could not be sent (`enqueuedAt` is 0).
 * Those re-drives are counted, and after MAX_REQUEUES of them the message is
 * failed visibly. A job that is queued but not yet delivered is not lost: a
 * backlog only delays it, and Queues keeps it until a consumer takes it or
 * sends it to the dead-letter queue. It is sent again only after LOST_JOB_MS
 * (local queues live in memory and vanish with the dev server), without
 * counting, and failed only after MAX_WAIT_MS with no answer at all.
 */

/** How long a consumer owns a turn without sending anything before another may take over. */
export const TURN_LEASE_MS = 30_000;
/** How long a delivered message may sit with no turn answering it before it is driven again. */
export const WATCHDOG_MS = 20_000;
/** How long a queued job may go undelivered before it is presumed lost and sent again. */
export const LOST_JOB_MS = 60_000;
/** How long any message may wait for an answer before it is failed visibly. */
export const MAX_WAIT_MS = 10 * 60_000;
/** Counted re-drives per message before the watchdog gives up and fails the turn visibly. */
export const MAX_REQUEUES = 3;

export interface WaitingMessage {
	id: string;
	/** The live turn answering it, if any. */
	turnId: string | null;
	acceptedAt: number;
	/** When its latest job was sent; 0 when sending failed. */
	enqueuedAt: number;
	/** When a consumer last opened a turn with it (or found one in progress); 0 since the latest send. */
	deliveredAt: number;
	/** When the watchdog should look at it again if nothing has happened. */
	redriveAt: number;
	requeues: number;
}

export interface LiveTurn {
	id: string;
	leaseUntil: number;
	replyTo: string[];
}

export interface WatchdogPlan {
	/** A live turn whose owner went quiet: abandon it first. */
	abandon: string | undefined;
	/** Lost messages to send again, counted toward MAX_REQUEUES. */
	requeue: string[];
	/** Undelivered jobs presumed lost, sent again without counting. */
	resend: string[];
	/** Messages that cannot be answered any more: fail them visibly. */
	fail: string[];
}

/**
 * @example planWatchdog(now, store.waiting(), store.liveTurn()) // { abandon: undefined, requeue: [], resend: ["msg_1"], fail: [] }
 */
export function planWatchdog(now: number, waiting: readonly WaitingMessage[], live: LiveTurn | undefined): WatchdogPlan {
	const leased = live !== undefined && live.leaseUntil > now;
	const plan: WatchdogPlan = { abandon: live && !leased ? live.id : undefined, requeue: [], resend: [], fail: [] };
	for (const message of waiting) {
		const inLiveTurn = live?.replyTo.includes(message.id) ?? false;
		if (inLiveTurn && leased) continue;
		const delivered = message.deliveredAt > 0 || message.enqueuedAt === 0;
		if (!inLiveTurn) {
			if (message.redriveAt > now) continue;
			// The live turn's end (complete, fail or abandon) sends a follow-up job for these.
			if (leased && message.deliveredAt > 0) continue;
		}
		if (inLiveTurn || delivered) {
			(message.requeues >= MAX_REQUEUES ? plan.fail : plan.requeue).push(message.id);
		} else {
			(now - message.acceptedAt >= MAX_WAIT_MS ? plan.fail : plan.resend).push(message.id);
		}
	}
	return plan;
}

/**
 * When the alarm should fire next, or null when nothing waits. Never sooner
 * than a second from now, so a plan that changed nothing cannot spin.
 * @example nextWatchdogAt(now, store.waiting(), store.liveTurn()) // the earliest redrive or lease end
 */
export function nextWatchdogAt(now: number, waiting: readonly WaitingMessage[], live: LiveTurn | undefined): number | null {
	const times: number[] = [];
	// A second after the lease ends, so a last-moment delta is not mistaken for silence.
	if (live) times.push(live.leaseUntil + 1000);
	for (const message of waiting) {
		if (message.turnId !== null) continue;
		// Delivered messages wait for the live turn's end, which sends their follow-up.
		if (live && message.deliveredAt > 0) continue;
		times.push(message.redriveAt);
	}
	return times.length === 0 ? null : Math.max(now + 1000, Math.min(...times));
}

/**
 * When a message whose job could not be sent should be tried again: 1, 2, 4 s…
 * @example enqueueRetryAt(now, 0) // now + 1000
 */
export function enqueueRetryAt(now: number, requeues: number): number {
	return now + 1000 * 2 ** Math.min(requeues, 5);
}
