/** A help-centre search: GET /api/kb/search, target p95 < 3 s. Empty results are counted, not failed (informative). */
import { kbSearchSchema } from "../../src/shared/schemas/responses";
import { ensureActive, failureReason } from "../core/errors";
import { pick } from "../core/sleep";
import type { VuContext } from "../core/types";
import { KB_QUERIES } from "./questions";

const SEARCH_TIMEOUT_MS = 10_000;

export async function kbSearch(ctx: VuContext): Promise<void> {
	ensureActive(ctx.signal);
	const started = performance.now();
	try {
		const url = `${ctx.base}/api/kb/search?q=${encodeURIComponent(pick(KB_QUERIES))}&limit=5`;
		const response = await fetch(url, { signal: AbortSignal.timeout(SEARCH_TIMEOUT_MS) });
		const body: unknown = await response.json();
		if (response.status !== 200) return ctx.metrics.fail(`GET kb/search: answered ${response.status}`);
		const parsed = kbSearchSchema.safeParse(body);
		if (!parsed.success) return ctx.metrics.fail("GET kb/search: not a search result list");
		const { results } = parsed.data;
		ctx.metrics.ok();
		ctx.metrics.record("kbSearch", performance.now() - started);
		if (results.length === 0) ctx.metrics.add("kbEmptyResults");
	} catch (error) {
		ctx.metrics.fail(`GET kb/search: ${failureReason(error)}`);
	}
}
