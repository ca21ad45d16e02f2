/**
 * The hub's alarm, remembered. Every accept and every turn asks when the
 * alarm is due (to move it earlier, never later), and `getAlarm` was a
 * storage call each time: 0.19 samples of the isolate per turn under load,
 * where the bare pipeline spends none (bench:overhead --profile). The hub is
 * the alarm's only writer, so what it last set is what is due; it re-reads
 * when it cannot know: after a restart, once the alarm has run (the runtime
 * clears it, and sets it again itself when the handler fails), and when the
 * time it remembers is so near that the alarm may be running now.
 */

/** A remembered alarm this close to now, or past, may be firing: read it again. */
export const FIRING_MARGIN_MS = 1_000;

/** The part of a Durable Object's storage the clock uses. */
export type AlarmStorage = Pick<DurableObjectStorage, "getAlarm" | "setAlarm" | "deleteAlarm">;

export class AlarmClock {
	readonly #storage: AlarmStorage;
	readonly #now: () => number;
	/** What the alarm is, as this object last set or read it; undefined while it cannot know. */
	#known: { at: number | null } | undefined;

	constructor(storage: AlarmStorage, now: () => number = Date.now) {
		this.#storage = storage;
		this.#now = now;
	}

	/** When the alarm is due, or null when none is set. */
	async get(): Promise<number | null> {
		const known = this.#known;
		if (known && (known.at === null || known.at > this.#now() + FIRING_MARGIN_MS)) return known.at;
		const at = await this.#storage.getAlarm();
		// A set while the read was in flight is newer than what the read saw.
		if (this.#known === known) this.#known = { at };
		return at;
	}

	set(at: number): Promise<void> {
		this.#known = { at };
		return this.#storage.setAlarm(at);
	}

	/** Moves the alarm earlier when `at` is sooner; the alarm itself works out every later time. */
	async setEarlier(at: number): Promise<void> {
		const current = await this.get();
		if (current === null || current > at) await this.set(at);
	}

	async delete(): Promise<void> {
		this.#known = { at: null };
		await this.#storage.deleteAlarm();
	}

	/** The alarm handler has begun, or storage was wiped: the runtime's alarm may differ from what was set. */
	forget(): void {
		this.#known = undefined;
	}
}
