/**
 * AdmissionGate: the one line every model call waits in, ahead of the
 * provider's rate limit (Workers AI: 300 text-generation requests a minute
 * per account). A turn's hub asks `wait` with a ticket; the answer is a
 * grant, or the turn's place in line and an estimate, which the hub shows
 * its sockets. The call is a long poll: it returns when the place changes or
 * after a few seconds, so a hub renews its turn's lease between polls and a
 * gate that restarts loses nothing but the polls in flight (the line is
 * rebuilt from the tickets as they come back, in the order of the arrival
 * stamps the gate gave them, which they send back). The grants of the last window are stored, so a restart cannot let
 * more than the limit through within one window.
 *
 * One object is enough: it does a few microseconds of work per call, and at
 * 10× the default budget (3,000 grants a minute, 50 a second) with a
 * hundred waiters polling every few seconds it handles well under a
 * thousand calls a second, where one object tops out (docs/capacity.md).
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { SPARE_MS, SPARE_WANT } from "../../shared/ai/with-admission";
import { configOf } from "../../shared/config";
import { AdmissionLine, type Place } from "./admission-line";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS grants (at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS grants_at ON grants (at);
`;

/** Grants older than the window are deleted at most this often (the constructor drops them too): not once per grant. */
const PRUNE_MS = 1_000;

/** A long poll returns after this long even when nothing changed, so the hub can renew its lease and the line can drop the gone. */
export const POLL_MS = 4_000;

const waitSchema = z.object({
	ticket: z.string().min(1).max(128),
	/** The stamp this gate gave the caller's turn on an earlier call; unset on a first call. */
	readyAt: z.number().int().min(0).optional(),
	/** The position the caller was last told; the poll returns as soon as it differs. */
	position: z.number().int().min(0).optional(),
	/** A turn's second call: served ahead of new turns (admission-line.ts). */
	continuation: z.boolean().optional(),
	/** How many grants the caller's isolate could use (with-admission.ts: spare grants). */
	want: z.number().int().min(1).max(SPARE_WANT).optional(),
});

export class AdmissionGate extends DurableObject<Env> {
	readonly #sql: SqlStorage;
	readonly #line: AdmissionLine;
	readonly #windowMs: number;
	/** Polls waiting for the line to move. */
	readonly #listeners = new Set<() => void>();
	#timer: ReturnType<typeof setTimeout> | undefined;
	#prunedAt = 0;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
		const { requestsPerWindow, windowMs } = configOf(env).admission;
		this.#windowMs = windowMs;
		const since = Date.now() - windowMs;
		this.#sql.exec("DELETE FROM grants WHERE at <= ?", since);
		const grants = this.#sql.exec<{ at: number }>("SELECT at FROM grants ORDER BY at").toArray();
		this.#line = new AdmissionLine(
			requestsPerWindow,
			windowMs,
			grants.map((row) => row.at),
		);
	}

	/**
	 * A grant, or the caller's place once it differs from `position` (or after POLL_MS).
	 * @example await admissionGate(env).wait({ ticket: crypto.randomUUID() })
	 */
	async wait(input: { ticket: string; readyAt?: number; position?: number; continuation?: boolean; want?: number }): Promise<Place> {
		const { ticket, readyAt, position, continuation = false, want = 1 } = waitSchema.parse(input);
		const deadline = Date.now() + POLL_MS;
		for (;;) {
			const place = this.#ask(ticket, readyAt, continuation, want);
			if (place.granted || place.position !== position || Date.now() >= deadline) return place;
			await this.#moved(deadline - Date.now());
		}
	}

	/** Spare grants for an isolate spending its own, without joining the line: none while anyone waits (admission-line.ts). */
	stock(want: number): { spare: number } {
		const now = Date.now();
		const spare = this.#line.stock(now, waitSchema.shape.want.unwrap().parse(want));
		this.#persistSpares(now, spare);
		return { spare };
	}

	/** The caller stopped waiting (its turn was erased or given back). */
	leave(ticket: string): void {
		this.#line.leave(waitSchema.shape.ticket.parse(ticket));
		this.#notify();
	}

	/** The provider answered 429 despite the line: the budget shrinks for a while. */
	throttled(): void {
		this.#line.throttled(Date.now());
		console.warn(JSON.stringify({ event: "admission_throttled", limit: this.#line.limit }));
		this.#notify();
	}

	#ask(ticket: string, readyAt: number | undefined, continuation: boolean, want: number): Place {
		const now = Date.now();
		if (this.#line.dropStale(now) > 0) this.#notify();
		const place = this.#line.ask(ticket, readyAt, now, continuation, want);
		if (place.granted) {
			this.#sql.exec("INSERT INTO grants (at) VALUES (?)", now);
			this.#persistSpares(now, place.spare ?? 0);
			// Everyone behind moved up a place.
			this.#notify();
		}
		this.#schedule(now);
		return place;
	}

	/** Spares count from when they expire (admission-line.ts), and a restart must count them so too. */
	#persistSpares(now: number, spare: number): void {
		for (let i = 0; i < spare; i++) this.#sql.exec("INSERT INTO grants (at) VALUES (?)", now + SPARE_MS);
		if (now - this.#prunedAt >= PRUNE_MS) {
			this.#prunedAt = now;
			this.#sql.exec("DELETE FROM grants WHERE at <= ?", now - this.#windowMs);
		}
	}

	/** Wakes the polls when the oldest grant leaves the window and a slot opens. */
	#schedule(now: number): void {
		const at = this.#line.nextSlotAt(now);
		if (at === undefined || this.#timer !== undefined) return;
		this.#timer = setTimeout(
			() => {
				this.#timer = undefined;
				this.#notify();
			},
			Math.max(0, at - now) + 5,
		);
	}

	#notify(): void {
		const listeners = [...this.#listeners];
		this.#listeners.clear();
		for (const wake of listeners) wake();
	}

	#moved(timeoutMs: number): Promise<void> {
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.#listeners.delete(done);
				resolve();
			};
			const timer = setTimeout(done, Math.max(0, timeoutMs));
			this.#listeners.add(done);
		});
	}
}
