/**
 * Rate limits through the Rate Limiting binding (limits and periods are set
 * in wrangler.toml; the per-session message limit is the session hub's own,
 * durable/session-hub/message-limit.ts). A refusal is a 429 that says when to
 * retry.
 */
import { HttpProblem } from "../shared/problem";

/** The period of every limiter in wrangler.toml: the longest anyone must wait. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

export async function enforceLimit(limiter: RateLimit, key: string, what: string): Promise<void> {
	const { success } = await limiter.limit({ key });
	if (!success) throw rateLimited(what);
}

export function rateLimited(what: string, retryAfterSeconds = RATE_LIMIT_PERIOD_SECONDS): HttpProblem {
	return new HttpProblem(429, `Too many ${what}; retry after ${retryAfterSeconds} seconds.`, {
		headers: { "Retry-After": String(retryAfterSeconds) },
	});
}

/** The client address as Cloudflare reports it; wrangler dev sets it too. */
export function clientIp(request: Request): string {
	return request.headers.get("CF-Connecting-IP") ?? "unknown";
}
