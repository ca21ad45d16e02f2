/**
 * The SDK's two errors: `ProblemError` for an HTTP error the server explained
 * (RFC 9457 problem details, CONTRACT §1), and `ProtocolError` for an answer
 * outside the contract (a body that is not JSON, or not the promised shape).
 */
import type { Problem } from "./responses";

export class ProblemError extends Error {
	override readonly name = "ProblemError";
	readonly status: number;
	readonly title: string;
	readonly detail: string;
	readonly type: string;
	readonly errors: { path: string; message: string }[];
	/** Seconds to wait, from `Retry-After` (429, 503), when the server sent it. */
	readonly retryAfter: number | undefined;

	constructor(problem: Problem, retryAfter?: number, options?: ErrorOptions) {
		super(`HTTP ${problem.status} ${problem.title}: ${problem.detail}`, options);
		this.status = problem.status;
		this.title = problem.title;
		this.detail = problem.detail;
		this.type = problem.type;
		this.errors = problem.errors ?? [];
		this.retryAfter = retryAfter;
	}
}

export class ProtocolError extends Error {
	override readonly name = "ProtocolError";
	/** The HTTP status of the answer that broke the contract. */
	readonly status: number;

	constructor(message: string, status: number, options?: ErrorOptions) {
		super(message, options);
		this.status = status;
	}
}

/**
 * Whether retrying the same request later may succeed: rate limits, an
 * unavailable dependency, and network failures (no status at all).
 * @example if (isRetryable(error)) await sleep(1000);
 */
export function isRetryable(error: unknown): boolean {
	if (error instanceof ProblemError) return error.status === 429 || error.status === 503;
	return error instanceof TypeError;
}
