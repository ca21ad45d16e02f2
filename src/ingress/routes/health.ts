/**
 * `GET /api/health` (CONTRACT §6): real checks of everything a turn touches,
 * run side by side, each under its own deadline (its timer cleared either
 * way), each with its latency. A failed critical check (the session hubs,
 * the queues, the provider's configuration) means the chat path cannot work:
 * `down`, 503. Any other failure (knowledge base, metrics, KV, R2) degrades
 * the product without stopping it: `degraded`, 200.
 */
import { Hono } from "hono";
import { configOf } from "../../shared/config";
import { describeError } from "../../shared/errors";
import { encodeMetricsBatch } from "../../shared/metrics/batch";
import { metricsStores } from "../../shared/metrics/shards";
import { KNOWLEDGE_BASE_NAME } from "../../shared/schemas/kb";
import type { Health, HealthCheck } from "../../shared/schemas/responses";
import type { IngressEnv } from "../env";

export const PROBE_TIMEOUT_MS = 2000;

/** The checks, and whether the chat path needs each. */
const CHECKS = {
	sessionHub: { critical: true, run: (env: Env) => env.SESSION_HUB.get(env.SESSION_HUB.idFromName("health-probe")).info() },
	queues: {
		critical: true,
		// A real write to a producer (an empty metrics batch, which the metrics consumer folds in as nothing).
		run: (env: Env) =>
			env.METRICS_QUEUE.send(
				encodeMetricsBatch({ type: "metrics.batch", v: 1, id: crypto.randomUUID(), at: Date.now(), counters: [], histograms: [] }),
				{
					contentType: "json",
				},
			),
	},
	provider: { critical: true, run: async (env: Env) => providerDetail(env) },
	knowledgeBase: { critical: false, run: (env: Env) => env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName(KNOWLEDGE_BASE_NAME)).count() },
	metricsStore: { critical: false, run: (env: Env) => Promise.all(metricsStores(env).map((store) => store.sizes())) },
	kv: { critical: false, run: (env: Env) => env.CACHE.get("health-probe") },
	r2: { critical: false, run: (env: Env) => env.ARCHIVE.head("health-probe") },
} as const satisfies Record<string, { critical: boolean; run: (env: Env) => Promise<unknown> }>;

export type CheckName = keyof typeof CHECKS;

export const health = new Hono<IngressEnv>();

health.get("/", async (c) => {
	const names = Object.keys(CHECKS) as CheckName[];
	const results = await Promise.all(names.map((name) => probe(() => CHECKS[name].run(c.env))));
	const checks = Object.fromEntries(names.map((name, i) => [name, results[i]])) as Record<CheckName, HealthCheck>;
	const failed = names.filter((name) => checks[name].status === "down");
	const status = failed.some((name) => CHECKS[name].critical) ? "down" : failed.length > 0 ? "degraded" : "ok";
	const body = { status, version: c.get("config").version, checks } satisfies Health;
	return c.json(body, status === "down" ? 503 : 200, { "Cache-Control": "no-store" });
});

async function probe(run: () => Promise<unknown>): Promise<HealthCheck> {
	const started = Date.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new ProbeTimeout()), PROBE_TIMEOUT_MS);
		});
		const detail = await Promise.race([run(), deadline]);
		return { status: "ok", latencyMs: Date.now() - started, ...(typeof detail === "string" ? { detail } : {}) };
	} catch (error) {
		// The detail names the failure, never a stack or a binding's internals.
		const detail = error instanceof ProbeTimeout ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : "unavailable";
		if (!(error instanceof ProbeTimeout)) console.warn(JSON.stringify({ event: "health_check_failed", error: describeError(error) }));
		return { status: "down", latencyMs: Date.now() - started, detail };
	} finally {
		clearTimeout(timer);
	}
}

class ProbeTimeout extends Error {}

/** The configured provider, or a throw when its configuration cannot work. */
function providerDetail(env: Env): string {
	const { ai } = configOf(env);
	switch (ai.provider) {
		case "local":
			return "local (embedded, knowledge-base grounded)";
		case "workers-ai":
			if (typeof env.AI?.run !== "function") throw new Error("the AI binding is missing");
			return `workers-ai ${ai.model}`;
		case "openai":
			return `openai ${ai.model} at ${new URL(ai.baseUrl).host}`;
	}
}
