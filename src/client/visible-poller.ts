/**
 * A refresh loop that runs only while someone can see the page: a hidden tab
 * costs the server nothing, and coming back to it refreshes at once instead
 * of showing a list up to one interval old.
 */

/**
 * Runs `task` every `everyMs` after the previous run ends (never two at once),
 * paused while the tab is hidden.
 * @example
 * const poller = new VisiblePoller(() => refreshQueue(), 3000);
 * poller.start();
 */
export class VisiblePoller {
	readonly #task: () => Promise<void>;
	readonly #everyMs: number;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#running = false;
	#active = false;
	/** A run asked for while one was in flight: it follows at once, so its caller sees fresh data. */
	#again = false;

	constructor(task: () => Promise<void>, everyMs: number) {
		this.#task = task;
		this.#everyMs = everyMs;
		document.addEventListener("visibilitychange", () => {
			if (!this.#active) return;
			if (document.visibilityState === "visible") this.now();
			else clearTimeout(this.#timer);
		});
	}

	start(): void {
		this.#active = true;
		this.now();
	}

	stop(): void {
		this.#active = false;
		clearTimeout(this.#timer);
	}

	/** Runs the task now (after the run in flight, if any) and restarts the interval from its end. */
	now(): void {
		if (!this.#active) return;
		clearTimeout(this.#timer);
		if (this.#running) {
			this.#again = true;
			return;
		}
		this.#running = true;
		void this.#task()
			.catch(() => undefined)
			.finally(() => {
				this.#running = false;
				if (this.#again) {
					this.#again = false;
					this.now();
				} else this.#schedule();
			});
	}

	#schedule(): void {
		if (!this.#active || document.visibilityState === "hidden") return;
		this.#timer = setTimeout(() => this.now(), this.#everyMs);
	}
}
