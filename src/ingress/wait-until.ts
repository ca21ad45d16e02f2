/** The request's `waitUntil`, for work that must outlive the response (or a client that hangs up). */
import type { Context } from "hono";
import type { IngressEnv } from "./env";

/**
 * The request's `waitUntil`; `app.request` in tests has no execution context,
 * so there the promise just runs, kept alive by whoever awaits it.
 * @example waitUntilOf(c)(shipping)
 */
export function waitUntilOf(c: Context<IngressEnv>): (promise: Promise<unknown>) => void {
	try {
		const ctx = c.executionCtx;
		return (promise) => ctx.waitUntil(promise);
	} catch {
		return () => undefined;
	}
}
