/**
 * Failure classification shared by the consumers and the AI adapters:
 * a `PermanentError` is never retried; everything else is judged by
 * `isTransient`, and transient work is retried with jittered backoff.
 */

/** A failure that retrying cannot fix: bad input, a refused request, a bug. */
export class PermanentError extends Error {
	override readonly name = "PermanentError";
}

/** A failure worth retrying that says how long to wait, like HTTP 429. */
export class TransientError extends Error {
	override readonly name = "TransientError";
	readonly retryAfterSeconds: number | undefined;
	constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
		super(message, options);
		this.retryAfterSeconds = options?.retryAfterSeconds;
	}
}

// Workers AI reports capacity (3040), rate limits (3036), timeouts (3007) and
// internal errors (3043) as plain Errors whose message carries the code.
const TRANSIENT_MESSAGE =
	/\b(3007|3036|3040|3043)\b|capacity|rate.?limit|too many requests|timed? ?out|temporar|unavailable|overloaded|network connection lost|internal error/i;

/**
 * Whether retrying later may succeed.
 * @example isTransient(new Error("3040: Capacity temporarily exceeded")) // true
 */
export function isTransient(error: unknown): boolean {
	if (error instanceof PermanentError) return false;
	if (error instanceof TransientError) return true;
	if (!(error instanceof Error)) return false;
	// Durable Object and RPC failures the runtime marks as safe to retry.
	if (Reflect.get(error, "retryable") === true || Reflect.get(error, "overloaded") === true) return true;
	return TRANSIENT_MESSAGE.test(error.message);
}

const RATE_LIMITED_MESSAGE = /\b(429|3036)\b|rate.?limit|too many requests/i;

/**
 * Whether the provider refused for rate (HTTP 429, Workers AI 3036), here or in a wrapped cause:
 * the admission gate shrinks its budget instead of the turn spending a retry.
 * @example isRateLimited(new TransientError("OpenAI-compatible endpoint answered 429")) // true
 */
export function isRateLimited(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
		if (RATE_LIMITED_MESSAGE.test(e.message)) return true;
	}
	return false;
}

/**
 * Exponential backoff with full jitter, in whole seconds (Queues' unit).
 * @example backoffSeconds(3) // a whole number in [1, 8]
 */
export function backoffSeconds(attempt: number, { baseSeconds = 1, capSeconds = 60, random = Math.random } = {}): number {
	const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
	return Math.max(1, Math.ceil(random() * ceiling));
}

/**
 * One short line for logs: the error's name and the start of its message,
 * never a stack (which would leak paths and internals into log pipelines).
 * @example describeError(new TypeError("x is undefined")) // "TypeError: x is undefined"
 */
export function describeError(error: unknown): string {
	const text = error instanceof Error ? `${error.name}: ${error.message}` : `${typeof error}: ${safeString(error)}`;
	return redactSecrets(text.replace(/\s+/g, " ")).slice(0, 200);
}

/**
 * Removes session tokens from text bound for a log: `?token=` in URLs, the
 * `bearer.<token>` subprotocol, and bare `v1.<session>.<expiry>.<mac>` tokens.
 * @example redactSecrets("GET /ws?after=3&token=v1.ses_a.1.x") // "GET /ws?after=3&token=[redacted]"
 */
export function redactSecrets(text: string): string {
	return text
		.replace(/([?&]token=)[^&\s"']*/gi, "$1[redacted]")
		.replace(/\bbearer\.[\w.-]+/gi, "bearer.[redacted]")
		.replace(/\bv1\.[\w-]+\.\d+\.[\w-]+/g, "[redacted]");
}

/** String(x) can itself throw (a symbol in a template, an object whose toString throws). */
function safeString(value: unknown): string {
	try {
		return String(value);
	} catch {
		return "(unprintable)";
	}
}
