/**
 * The turns running inside one SessionHub, and the shared-cache writes they
 * started without awaiting: what an erase must stop and wait for before it
 * can say that nothing of the session will be written anywhere again.
 */

export class RunningTurns {
	readonly #turns = new Map<string, { abort: AbortController; done: Promise<void> }>();
	readonly #writes = new Set<Promise<unknown>>();

	/**
	 * Runs a turn with an abort signal of its own; the returned promise ends with it.
	 * @example this.ctx.waitUntil(running.start(turnId, (signal) => runTurn(env, begun, job, host, signal)))
	 */
	start(turnId: string, run: (signal: AbortSignal) => Promise<void>): Promise<void> {
		const abort = new AbortController();
		const done = run(abort.signal).finally(() => this.#turns.delete(turnId));
		this.#turns.set(turnId, { abort, done });
		return done;
	}

	/** Remembers a write nobody awaits, until it settles; returns a promise that never rejects, for `waitUntil`. */
	track(write: Promise<unknown>): Promise<unknown> {
		this.#writes.add(write);
		return write.catch(() => undefined).finally(() => this.#writes.delete(write));
	}

	/**
	 * Aborts every running turn and waits for the turns and the writes they
	 * started to end. Returns the stopped turns' ids, whose in-memory state the
	 * caller drops: a stopped turn writes nothing, not even its own cleanup.
	 */
	async stopAll(reason: string): Promise<string[]> {
		const stopped = [...this.#turns.keys()];
		for (const turn of this.#turns.values()) turn.abort.abort(new Error(reason));
		await Promise.allSettled([...[...this.#turns.values()].map((turn) => turn.done), ...this.#writes]);
		return stopped;
	}
}
