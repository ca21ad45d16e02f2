/** Short, stable reasons for failed requests, so the summary can count them by kind. */

/** Thrown by a behaviour step when the run has stopped waiting for its iteration. */
export class Interrupted extends Error {
	constructor() {
		super("interrupted: the run is stopping");
		this.name = "Interrupted";
	}
}

export function ensureActive(signal: AbortSignal): void {
	if (signal.aborted) throw new Interrupted();
}

/**
 * "timeout", "ECONNREFUSED", "POST answered 503"…: a failure as a short,
 * stable reason the summary counts by kind (not `describeError` of
 * src/shared/errors.ts, which writes a log line).
 */
export function failureReason(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	if (error.name === "TimeoutError" || error.name === "AbortError") return "timeout";
	// undici reports network failures as "fetch failed" with the real reason in `cause`.
	const cause: unknown = error.cause;
	if (error.message === "fetch failed" && cause instanceof Error) {
		const code = "code" in cause && typeof cause.code === "string" ? cause.code : cause.message;
		return `network: ${code}`;
	}
	return error.message.slice(0, 80);
}
