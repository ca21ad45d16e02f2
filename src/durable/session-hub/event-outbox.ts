/**
 * Conversation events for the integrator's own systems (CONTRACT §7): `conversation.escalated`,
 * `conversation.resolved` and `feedback.created`, POSTed to EVENTS_WEBHOOK_URL, signed, at least
 * once and in order per conversation. This is how a team plugs the product into its ticketing
 * system or Slack.
 *
 * A transactional outbox in the session's own SQLite: an event is stored in the same synchronous
 * step as the change it reports, so a crash cannot keep one without the other. Delivery goes head
 * first, one at a time: the next event waits until the one before was accepted (2xx), which keeps
 * the order; a refusal or a timeout is retried with backoff by the hub's alarm, forever (a
 * receiver that is down for a day still gets everything). Receivers dedupe by `id`, since a
 * delivery whose answer was lost is sent again.
 *
 * Signature: `X-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with EVENTS_WEBHOOK_SECRET>`.
 */
import { describeError } from "../../shared/errors";
import { newId } from "../../shared/ids";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	body TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL DEFAULT 0
);
`;

export type EventType = "conversation.escalated" | "conversation.resolved" | "feedback.created";

/** How long one delivery may take before it counts as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** The longest pause between two attempts at one event. */
const MAX_BACKOFF_MS = 5 * 60_000;

export interface Webhook {
	url: string;
	secret: string;
}

export class EventOutbox {
	readonly #sql: SqlStorage;
	readonly #webhook: () => Webhook | undefined;
	/** The delivery in progress: a second one would race it and could send events out of order. */
	#delivering: Promise<void> | undefined;
	/** `dueAt()` as last read; every write to the table is here and drops it. The hub's alarm asks after every turn. */
	#due: { at: number | null } | undefined;

	constructor(sql: SqlStorage, webhook: () => Webhook | undefined) {
		this.#sql = sql;
		this.#webhook = webhook;
		this.init();
	}

	/** Creates the table; again after `deleteAll`. */
	init(): void {
		this.#due = undefined;
		this.#sql.exec(SCHEMA);
	}

	/** Stores an event for delivery; nothing when no webhook is configured. */
	add(type: EventType, data: Record<string, unknown>): void {
		if (!this.#webhook()) return;
		const body = JSON.stringify({ id: newId("evt"), type, occurredAt: new Date().toISOString(), data });
		this.#sql.exec("INSERT INTO events (body) VALUES (?)", body);
		this.#due = undefined;
	}

	/** Delivers the events that are due, oldest first, stopping at the first that is not accepted. */
	deliver(now = Date.now()): Promise<void> {
		this.#delivering ??= this.#deliverAll(now).finally(() => {
			this.#delivering = undefined;
		});
		return this.#delivering;
	}

	/** When the oldest undelivered event should be tried again (the others wait for it), or null when none waits. */
	dueAt(): number | null {
		this.#due ??= { at: this.#sql.exec<{ at: number }>("SELECT next_at AS at FROM events ORDER BY seq LIMIT 1").toArray()[0]?.at ?? null };
		return this.#due.at;
	}

	async #deliverAll(now: number): Promise<void> {
		const webhook = this.#webhook();
		for (;;) {
			const head = this.#sql
				.exec<{ seq: number; body: string; attempts: number; next_at: number }>(
					"SELECT seq, body, attempts, next_at FROM events ORDER BY seq LIMIT 1",
				)
				.toArray()[0];
			if (!head || head.next_at > now) return;
			// Configured when stored but not now (the variable was removed): keep it for when it is back.
			if (!webhook) return;
			if (await post(webhook, head.body)) {
				this.#sql.exec("DELETE FROM events WHERE seq = ?", head.seq);
				this.#due = undefined;
				continue;
			}
			const attempts = head.attempts + 1;
			this.#sql.exec(
				"UPDATE events SET attempts = ?, next_at = ? WHERE seq = ?",
				attempts,
				Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts),
				head.seq,
			);
			this.#due = undefined;
			return;
		}
	}
}

/** One delivery; true when the receiver accepted it (2xx). */
async function post(webhook: Webhook, body: string): Promise<boolean> {
	try {
		const response = await fetch(webhook.url, {
			method: "POST",
			headers: { "Content-Type": "application/json", "X-Signature": `sha256=${await hmacHex(webhook.secret, body)}` },
			body,
			signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
		});
		await response.body?.cancel();
		if (response.ok) return true;
		console.warn(JSON.stringify({ event: "events_webhook_refused", status: response.status }));
	} catch (error) {
		console.warn(JSON.stringify({ event: "events_webhook_failed", error: describeError(error) }));
	}
	return false;
}

/**
 * Hex HMAC-SHA-256 of `body` keyed with `secret`: what `X-Signature` carries after `sha256=`.
 * @example await hmacHex("secret", '{"id":"evt_1"}') // "b6c1…"
 */
export async function hmacHex(secret: string, body: string): Promise<string> {
	const encoder = new TextEncoder();
	const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
	const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
	return [...new Uint8Array(signature)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
