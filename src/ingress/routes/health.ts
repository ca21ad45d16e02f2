/**
 * `GET /api/health` (CONTRACT §6): checks of everything a turn touches, run
 * side by side, each under its own deadline (its timer cleared either way),
 * each with its latency. A failed critical check (the session hubs, the
 * queues, the provider's configuration) means the chat path cannot work:
 * `down`, 503. Any other failure (knowledge base, metrics, KV, R2, the
 * integrator's back office) degrades the product without stopping it:
 * `degraded`, 200.
 *
 * The route is public and polled, so it is built to be cheap: limited per
 * client IP (HEALTH_LIMITER), one probe per isolate answers every caller for
 * HEALTH_CACHE_MS (concurrent callers share the one in flight), and no probe
 * writes or scans anything. Anonymous callers see each check's status and
 * latency, and a generic word when it failed; what was probed (the provider,
 * its model and host) is shown only with the admin token.
 */
import { type Context, Hono } from "hono";
import { configOf } from "../../shared/config";
import { describeError } from "../../shared/errors";
import { metricsStores } from "../../shared/metrics/shards";
import type { Health, HealthCheck } from "../../shared/schemas/responses";
import { knowledgeBase, sessionHub } from "../../shared/stubs";
import { authorizeAdmin, bearerToken } from "../auth";
import type { IngressEnv } from "../env";
import { clientIp, enforceLimit } from "../rate-limit";
import { waitUntilOf } from "../wait-until";

export const PROBE_TIMEOUT_MS = 2000;
/** How long one probe's report answers every caller in this isolate. */
export const HEALTH_CACHE_MS = 5000;

/** Every queue the Worker produces to; the chat path needs CHAT_QUEUE, the rest follow it. */
const QUEUE_BINDINGS = [
	"CHAT_QUEUE",
	"CHAT_TURNS_DLQ",
	"CACHE_WARM_QUEUE",
	"SUMMARIZE_QUEUE",
	"METRICS_QUEUE",
] as const satisfies readonly (keyof Env)[];

/**
 * The checks, and whether the chat path needs each. A check's string result
 * is its admin-only detail. None writes or scans: the knowledge base reads
 * one meta row, and the metrics stores answer a ping (their tables belong to
 * the ingests, scrapes and alerts they serve).
 */
const CHECKS = {
	sessionHub: { critical: true, run: (env: Env) => sessionHub(env, "health-probe").info() },
	queues: { critical: true, run: async (env: Env) => queueDetail(env) },
	provider: { critical: true, run: async (env: Env) => providerDetail(env) },
	knowledgeBase: {
		critical: false,
		run: async (env: Env) => `version ${await knowledgeBase(env).version()}`,
	},
	metricsStore: {
		critical: false,
		run: async (env: Env) => `${(await Promise.all(metricsStores(env).map((store) => store.ping()))).length} shard(s)`,
	},
	kv: { critical: false, run: (env: Env) => env.CACHE.get("health-probe") },
	// Signed-in users' account answers need it; the chat itself does not.
	backOffice: { critical: false, run: (env: Env) => backOfficeDetail(env) },
	r2: { critical: false, run: (env: Env) => env.ARCHIVE.head("health-probe") },
} as const satisfies Record<string, { critical: boolean; run: (env: Env) => Promise<unknown> }>;

export type CheckName = keyof typeof CHECKS;

/** One check's outcome: what anyone may see, and what only an admin may. */
interface Probed {
	check: HealthCheck;
	adminDetail?: string;
}

interface Report {
	status: Health["status"];
	checks: Record<CheckName, Probed>;
}

export const health = new Hono<IngressEnv>();

health.get("/", async (c) => {
	await enforceLimit(c.env.HEALTH_LIMITER, clientIp(c.req.raw), "health checks from this address");
	const admin = await offersAdminToken(c);
	const report = await cachedReport(c);
	const checks = Object.fromEntries(
		Object.entries(report.checks).map(([name, probed]) => [
			name,
			admin && probed.adminDetail !== undefined ? { ...probed.check, detail: probed.adminDetail } : probed.check,
		]),
	);
	const body = { status: report.status, version: c.get("config").version, checks } satisfies Health;
	return c.json(body, report.status === "down" ? 503 : 200, { "Cache-Control": "no-store" });
});

/**
 * Anonymous callers get the public view. A caller who sends a token must send
 * the admin one: a wrong one is a 401 counted like any failed admin attempt,
 * so this route is no way around ADMIN_FAILURE_LIMITER.
 */
async function offersAdminToken(c: Context<IngressEnv>): Promise<boolean> {
	if (bearerToken(c.req.raw) === undefined) return false;
	await authorizeAdmin(c);
	return true;
}

interface CachedReport {
	report: Promise<Report>;
	/** Infinity while the probe is in flight: its callers wait for it rather than start another. */
	freshUntil: number;
}

/**
 * This isolate's reports, keyed by the bindings they were probed with: the
 * Worker's `env` is one object per isolate, and a test's substitute bindings
 * get a report of their own.
 */
const reports = new WeakMap<Env, CachedReport>();

function cachedReport(c: Context<IngressEnv>): Promise<Report> {
	const cached = reports.get(c.env);
	if (cached && Date.now() < cached.freshUntil) return cached.report;
	const entry: CachedReport = { report: runChecks(c.env), freshUntil: Number.POSITIVE_INFINITY };
	reports.set(c.env, entry);
	const settled = entry.report.then(() => {
		entry.freshUntil = Date.now() + HEALTH_CACHE_MS;
	});
	// A client that disconnects cancels its request's work unless it is in waitUntil;
	// the callers sharing this probe would then wait on I/O that never finishes.
	waitUntilOf(c)(settled);
	return entry.report;
}

/** Every check, side by side; never rejects (a failed check is a `down` result). */
async function runChecks(env: Env): Promise<Report> {
	const names = Object.keys(CHECKS) as CheckName[];
	const results = await Promise.all(names.map((name) => probe(() => CHECKS[name].run(env))));
	const checks = Object.fromEntries(names.map((name, i) => [name, results[i]])) as Record<CheckName, Probed>;
	const failed = names.filter((name) => checks[name].check.status === "down");
	const status = failed.some((name) => CHECKS[name].critical) ? "down" : failed.length > 0 ? "degraded" : "ok";
	return { status, checks };
}

async function probe(run: () => Promise<unknown>): Promise<Probed> {
	const started = Date.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new ProbeTimeout()), PROBE_TIMEOUT_MS);
		});
		const detail = await Promise.race([run(), deadline]);
		return { check: { status: "ok", latencyMs: Date.now() - started }, ...(typeof detail === "string" ? { adminDetail: detail } : {}) };
	} catch (error) {
		// The detail names the failure, never a stack or a binding's internals.
		const detail = error instanceof ProbeTimeout ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : "unavailable";
		if (!(error instanceof ProbeTimeout)) console.warn(JSON.stringify({ event: "health_check_failed", error: describeError(error) }));
		return { check: { status: "down", latencyMs: Date.now() - started, detail } };
	} finally {
		clearTimeout(timer);
	}
}

class ProbeTimeout extends Error {}

/**
 * The queue producers, bound. A producer binding offers no read or ping, so
 * the only live probe is a send, which is a billed write that wakes a
 * consumer and a MetricsStore ingest per health call. Presence is enough:
 * a deployment either has the binding or cannot send at all, and a send
 * that fails at run time surfaces where it happens (the accepting request's
 * 503 and `chat_errors_total`), which the alerts watch.
 */
function queueDetail(env: Env): string {
	const missing = QUEUE_BINDINGS.filter((name) => typeof env[name]?.send !== "function");
	if (missing.length > 0) throw new Error(`queue bindings missing: ${missing.join(", ")}`);
	return `${QUEUE_BINDINGS.length} producers bound`;
}

/**
 * The integrator's back office (CONTRACT §8), when one is configured: reachable is enough (any
 * answer under 500, a 404 for `/` included), since its API has no health route of its own to
 * rely on. A GET of `/` reads nothing and changes nothing.
 */
async function backOfficeDetail(env: Env): Promise<string> {
	const config = configOf(env).backOffice;
	if (!config) return "not configured";
	const binding = (env as { BACKOFFICE?: Fetcher }).BACKOFFICE;
	const request = new Request(`${config.url}/`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
	const response = await (binding ? binding.fetch(request) : fetch(request));
	await response.body?.cancel();
	if (response.status >= 500) throw new Error(`the back office answered ${response.status}`);
	return `reachable at ${new URL(config.url).host}`;
}

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
