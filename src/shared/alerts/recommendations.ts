/**
 * What an on-call engineer could do about what the numbers show. Each
 * recommendation carries its evidence: the figures that triggered it, over
 * the 30-minute window, so it can be checked rather than trusted.
 */
import { BUCKET_BOUNDS } from "../metrics/families";
import { addCounts } from "../metrics/series";
import type { Recommendation } from "../schemas/responses";
import { MIN_EVENTS, type SeriesSum } from "./rules";

/** One piece of advice as GET /api/alerts shows it: the response schema's type. */
export type { Recommendation };

/**
 * The smallest bucket bound under which `quantile` of the observations fall
 * (exact at the bounds, which include every SLO threshold); undefined with none.
 * @example quantileBound({ value: 10, counts: [...] }, 0.95) // 5
 */
export function quantileBound(series: Pick<SeriesSum, "value" | "counts">, quantile: number): number | undefined {
	if (series.value === 0 || !series.counts) return undefined;
	let seen = 0;
	for (const [i, n] of series.counts.entries()) {
		seen += n;
		if (seen >= quantile * series.value) return BUCKET_BOUNDS[i] ?? Number.POSITIVE_INFINITY;
	}
	return Number.POSITIVE_INFINITY;
}

function merged(sums: readonly SeriesSum[], name: string, filter: (labels: Record<string, string>) => boolean = () => true): SeriesSum {
	const parts = sums.filter((s) => s.name === name && filter(s.labels));
	let counts = new Array<number>(BUCKET_BOUNDS.length + 1).fill(0);
	for (const p of parts) if (p.counts) counts = addCounts(counts, p.counts);
	return { name, labels: {}, value: parts.reduce((a, p) => a + p.value, 0), counts };
}

const seconds = (s: number | undefined) => (s === undefined ? "n/a" : s === Number.POSITIVE_INFINITY ? "over 60 s" : `≤ ${s} s`);
const pct = (n: number) => `${Math.round(n * 100)} %`;

/** Recommendations from one window's sums (the 30-minute one). */
export function recommend(sums: readonly SeriesSum[]): Recommendation[] {
	const out: Recommendation[] = [];
	const ai = merged(sums, "chat_ai_response_seconds");
	const answered = merged(sums, "chat_turns_total", (l) => l.outcome === "answered").value;
	const capped = merged(sums, "chat_replies_capped_total").value;
	const aiP95 = quantileBound(ai, 0.95);
	if (ai.value >= MIN_EVENTS && aiP95 !== undefined && aiP95 > 5 && answered > 0 && capped / answered >= 0.3) {
		out.push({
			id: "lower_max_tokens",
			text: "AI responses are slow and many hit the 1000-character cap: lower max_tokens so the model stops sooner.",
			evidence: `AI response p95 ${seconds(aiP95)} over 30 min; ${pct(capped / answered)} of ${answered} answered turns hit the cap`,
		});
	}
	const transient = merged(sums, "chat_errors_total", (l) => l.category === "ai_transient").value;
	const turns = merged(sums, "chat_turns_total").value;
	if (transient >= MIN_EVENTS && turns > 0 && transient / Math.max(turns, 1) >= 0.1) {
		out.push({
			id: "provider_capacity",
			text: "The AI provider keeps failing transiently (capacity, rate limits or timeouts): check its status and quotas, or raise AI_TIMEOUT_MS if it is merely slow.",
			evidence: `${transient} transient AI errors for ${turns} turns over 30 min`,
		});
	}
	const lookups = merged(sums, "cache_requests_total", (l) => l.kind === "answer" && l.level === "memory").value;
	const hits = merged(sums, "cache_requests_total", (l) => l.kind === "answer" && l.result === "hit").value;
	if (lookups >= MIN_EVENTS && hits / lookups < 0.8) {
		out.push({
			id: "warm_cache",
			text: "Most first questions miss the answer cache: warm the most asked ones (POST /api/admin/cache/warm), or check that the knowledge base is not being edited in a loop.",
			evidence: `answer-cache hit rate ${pct(hits / lookups)} of ${lookups} lookups over 30 min`,
		});
	}
	const wait = merged(sums, "chat_queue_wait_seconds");
	const waitP95 = quantileBound(wait, 0.95);
	if (wait.value >= MIN_EVENTS && waitP95 !== undefined && waitP95 > 5) {
		out.push({
			id: "queue_backlog",
			text: "Queue messages wait long for a consumer: a backlog is building; check consumer errors and raise max_batch_size or concurrency.",
			evidence: `queue wait p95 ${seconds(waitP95)} over ${wait.value} deliveries in 30 min`,
		});
	}
	const dead = merged(sums, "chat_dlq_messages_total").value;
	if (dead > 0) {
		out.push({
			id: "inspect_dead_letters",
			text: "Jobs reached a dead-letter queue: their users got a visible failure notice; find the cause in the turn_dead_lettered and dead_letter log events.",
			evidence: `${dead} dead letter(s) over 30 min`,
		});
	}
	return out;
}
