/**
 * The every-minute cron that feeds the alerts: sums the rollups over each
 * rule's windows (in the metrics stores, beside the data), evaluates the
 * rules (shared/alerts/rules.ts) and hands the verdicts to AlertState,
 * which records transitions and delivers them to the webhook.
 */

import { recommend } from "../shared/alerts/recommendations";
import { evaluateRules, type SeriesSum, SLO_RULES, windowsNeeded } from "../shared/alerts/rules";
import { configOf } from "../shared/config";
import { metricsStores } from "../shared/metrics/shards";
import { alertState } from "../shared/stubs";

/** Every family a rule or a recommendation reads. */
const FAMILIES = [
	...new Set([
		...SLO_RULES.flatMap((r) => r.families),
		"chat_dlq_messages_total",
		"chat_replies_capped_total",
		"chat_errors_total",
		"chat_queue_wait_seconds",
	]),
];

const RECOMMENDATION_WINDOW_MS = 30 * 60_000;

export async function evaluateAlerts(env: Env, now: number, externalUrl: string): Promise<{ firing: string[]; transitions: number }> {
	const scale = configOf(env).alertWindowScale;
	const windowsMs = windowsNeeded(scale);
	const perShard = await Promise.all(metricsStores(env).map((store) => store.aggregate({ now, windowsMs, names: FAMILIES })));
	const sums: SeriesSum[][] = windowsMs.map((_, i) => perShard.flatMap((shard) => shard[i] ?? []));
	const state = alertState(env);
	const evaluations = evaluateRules(sums, scale, new Set(await state.firing()));
	const recommendationWindow = windowsMs.indexOf(Math.max(1, Math.round(RECOMMENDATION_WINDOW_MS * scale)));
	const recommendations = recommend(sums[recommendationWindow] ?? []);
	const transitions = await state.apply({ at: now, evaluations, recommendations, externalUrl });
	return { firing: evaluations.filter((e) => e.firing).map((e) => e.rule), transitions: transitions.length };
}
