/** Time helpers for virtual users: every wait is bounded and ends early when the run stops. */

/** Waits `ms`, or less if `signal` aborts first (a stopping run must not sit out a think time). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted || ms <= 0) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener("abort", done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal?.addEventListener("abort", done, { once: true });
	});
}

/** Resolves with the promise's value, or `undefined` once `ms` pass or `signal` aborts. */
export async function within<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | undefined> {
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal?.addEventListener("abort", onAbort, { once: true });
	try {
		return await Promise.race([promise, sleep(ms, controller.signal).then(() => undefined)]);
	} finally {
		signal?.removeEventListener("abort", onAbort);
		// Ends the pending sleep so its timer does not outlive the race.
		controller.abort();
	}
}

/** A uniformly random number of milliseconds in [min, max]. */
export function between(min: number, max: number): number {
	return min + Math.random() * (max - min);
}

export function pick<T>(items: readonly T[]): T {
	const item = items[Math.floor(Math.random() * items.length)];
	if (item === undefined) throw new Error("pick from an empty list");
	return item;
}
