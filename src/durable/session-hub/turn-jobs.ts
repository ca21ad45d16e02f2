/**
 * Sending a session's chat-turn jobs, and arming the watchdog alarm that
 * stands behind every one of them. A send that fails is not an error for the
 * caller: the messages are stored, so they are marked unsent and the alarm
 * tries again with backoff, counting it toward MAX_REQUEUES.
 */
import { describeError } from "../../shared/errors";
import { type ChatTurnJob, chatTurnJobs, encodeJob } from "../../shared/schemas/queue";
import type { AlarmClock } from "./alarm-clock";
import type { SessionStore } from "./session-store";
import { enqueueRetryAt, LOST_JOB_MS } from "./watchdog";

export interface SendOptions {
	/** Spends the messages' re-drive budget (a watchdog re-drive). */
	counted?: boolean;
	attempt?: number;
	delaySeconds?: number;
	/**
	 * A message just accepted: it was stored with this send's enqueue time and re-drive time, and its
	 * alarm armed, so nothing is left to record once the job is sent (two storage calls per accept fewer).
	 */
	stamped?: boolean;
}

export class TurnJobs {
	readonly #alarm: AlarmClock;
	readonly #store: SessionStore;
	/** Read at each send, so a test (or a future rebinding) sees the object's current bindings. */
	readonly #env: () => Env;

	constructor(alarm: AlarmClock, store: SessionStore, env: () => Env) {
		this.#alarm = alarm;
		this.#store = store;
		this.#env = env;
	}

	/** Sends jobs for these messages, at most 100 ids each, and records them for the watchdog. */
	async send(messageIds: string[], reason: ChatTurnJob["reason"], options: SendOptions = {}): Promise<void> {
		const session = this.#store.session();
		if (!session) return;
		const { counted = false, attempt = 1, delaySeconds = 0, stamped = false } = options;
		const now = Date.now();
		try {
			const jobs = chatTurnJobs({ sessionId: session.id, messageIds, enqueuedAt: now, reason, attempt });
			await this.#env().CHAT_QUEUE.sendBatch(jobs.map((job) => ({ body: encodeJob(job), contentType: "json" as const, delaySeconds })));
			if (stamped) return;
			const redriveAt = now + delaySeconds * 1000 + LOST_JOB_MS;
			this.#store.markEnqueued(messageIds, now, redriveAt, counted);
			await this.armWatchdog(redriveAt);
		} catch (error) {
			console.error(JSON.stringify({ event: "enqueue_failed", reason, messages: messageIds.length, error: describeError(error) }));
			for (const message of this.#store.waiting().filter((w) => messageIds.includes(w.id))) {
				const retryAt = enqueueRetryAt(now, message.requeues);
				this.#store.markEnqueued([message.id], 0, retryAt, counted);
				await this.armWatchdog(retryAt);
			}
		}
	}

	/** Sends a turn that is out of retries to the dead-letter queue; false when that failed too. */
	async deadLetter(messageIds: string[], attempt: number): Promise<boolean> {
		const session = this.#store.session();
		if (!session) return true;
		const jobs = chatTurnJobs({ sessionId: session.id, messageIds, enqueuedAt: Date.now(), reason: "retry", attempt });
		try {
			await this.#env().CHAT_TURNS_DLQ.sendBatch(jobs.map((job) => ({ body: encodeJob(job), contentType: "json" as const })));
			return true;
		} catch (error) {
			console.error(JSON.stringify({ event: "dead_letter_send_failed", error: describeError(error) }));
			return false;
		}
	}

	/** Moves the alarm earlier when `at` is sooner; the alarm itself works out every later time. */
	armWatchdog(at: number): Promise<void> {
		return this.#alarm.setEarlier(at);
	}
}
