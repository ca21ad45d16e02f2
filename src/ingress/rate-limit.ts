/**
 * Rate limits through the Rate Limiting binding (limits and periods are set
 * in wrangler.toml). A refusal is a 429 that says when to retry.
 */
import { HttpProblem } from "../shared/problem";

/** The period of both limiters in wrangler.toml: the longest anyone must wait. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

export async function enforceLimit(limiter: RateLimit, key: string, what: string): Promise<void> {
	const { success } = await limiter.limit({ key });
	if (!success) throw rateLimited(what);
}

export function rateLimited(what: string): HttpProblem {
	return new HttpProblem(429, `Too many ${what}; retry after ${RATE_LIMIT_PERIOD_SECONDS} seconds.`, {
		headers: { "Retry-After": String(RATE_LIMIT_PERIOD_SECONDS) },
	});
}

/** The client address as Cloudflare reports it; wrangler dev sets it too. */
export function clientIp(request: Request): string {
	return request.headers.get("CF-Connecting-IP") ?? "unknown";
}
