/**
 * GET /api/health stays cheap and discreet (issue 17, item 5): limited per
 * client IP, one probe per isolate for a few seconds shared by every caller,
 * no queue send and no table scan, and what was probed (provider, model,
 * host) shown only to a caller with the admin token.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HEALTH_CACHE_MS } from "../../src/ingress/routes/health";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { healthSchema } from "../../src/shared/schemas/responses";
import { knowledgeBase } from "../../src/shared/stubs";
import { problemSchema, request } from "../support/api";

const ADMIN = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };

/** An OpenAI-compatible provider whose model and host must not leak. */
const PRIVATE_PROVIDER = {
	AI_PROVIDER: "openai",
	OPENAI_BASE_URL: "https://inference.acme-internal.example:8443/v1",
	OPENAI_MODEL: "acme-private-70b",
};

const QUEUES = ["CHAT_QUEUE", "CHAT_TURNS_DLQ", "CACHE_WARM_QUEUE", "SUMMARIZE_QUEUE", "METRICS_QUEUE"] as const;

/**
 * The real bindings, with every call the probe can make counted by name, and
 * the request's own metrics off (their shipment is a queue send, not the
 * route's). A fresh object each time, so it starts with no cached report.
 */
function countedBindings(extra: Record<string, string> = {}) {
	const calls = new Map<string, number>();
	const count = (what: string) => calls.set(what, (calls.get(what) ?? 0) + 1);
	const queues = Object.fromEntries(
		QUEUES.map((name) => [
			name,
			{
				send: (body: unknown, options?: QueueSendOptions) => {
					count(`${name}.send`);
					return env[name].send(body, options);
				},
			},
		]),
	);
	const bindings = {
		...env,
		...queues,
		...extra,
		METRICS: "off",
		SESSION_HUB: {
			idFromName: (name: string) => env.SESSION_HUB.idFromName(name),
			get: (id: DurableObjectId) => ({
				info: () => {
					count("sessionHub.info");
					return env.SESSION_HUB.get(id).info();
				},
			}),
		},
		KNOWLEDGE_BASE: {
			idFromName: (name: string) => env.KNOWLEDGE_BASE.idFromName(name),
			get: (id: DurableObjectId) => ({
				version: () => {
					count("knowledgeBase.version");
					return env.KNOWLEDGE_BASE.get(id).version();
				},
			}),
		},
		METRICS_STORE: {
			idFromName: (name: string) => env.METRICS_STORE.idFromName(name),
			get: (id: DurableObjectId) => ({
				ping: () => {
					count("metricsStore.ping");
					return env.METRICS_STORE.get(id).ping();
				},
			}),
		},
		CACHE: {
			get: (key: string) => {
				count("kv.get");
				return env.CACHE.get(key);
			},
		},
		ARCHIVE: {
			head: (key: string) => {
				count("r2.head");
				return env.ARCHIVE.head(key);
			},
		},
	};
	return { bindings, calls };
}

const PROBE_CALLS = ["sessionHub.info", "knowledgeBase.version", "metricsStore.ping", "kv.get", "r2.head"];

function callsOf(calls: Map<string, number>): Record<string, number> {
	return Object.fromEntries(calls);
}

/** Each probe call made `times` times, and nothing else. */
function probes(times: number): Record<string, number> {
	return Object.fromEntries(PROBE_CALLS.map((name) => [name, times]));
}

/**
 * The first call of a file to reach a Durable Object loads the product's whole module graph: 3.5 s
 * on an idle machine, past a probe's 2 s deadline under CI's load, and a failed report answers
 * every caller for HEALTH_CACHE_MS (a clean-clone run got 503 for all 60 of the limiter test's
 * checks). Paid here, so these tests are about the route, not about a cold start.
 */
beforeAll(async () => {
	await knowledgeBase(env).count();
}, 60_000);

afterEach(() => {
	vi.restoreAllMocks();
});

describe("GET /api/health", () => {
	it("answers 429 with Retry-After once one IP has asked 60 times in a minute, and still answers other IPs", async () => {
		const { bindings } = countedBindings();
		const statuses: number[] = [];
		for (let i = 0; i < 200; i++) {
			const response = await request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.1" } }, bindings);
			statuses.push(response.status);
			if (response.status === 429) {
				expect(response.headers.get("Retry-After")).toBe("60");
				expect(response.headers.get("Content-Type")).toBe("application/problem+json");
				expect(problemSchema.parse(await response.json()).status).toBe(429);
			} else await response.body?.cancel();
		}
		const answered = statuses.filter((s) => s === 200).length;
		// Windows follow the wall clock: a minute that turns mid-test lets up to one more window through.
		expect(answered).toBeGreaterThanOrEqual(60);
		expect(answered).toBeLessThanOrEqual(120);
		expect(statuses.filter((s) => s === 429)).toHaveLength(200 - answered);
		expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
		const other = await request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.2" } }, bindings);
		expect(other.status).toBe(200);
	});

	it("answers repeated and concurrent calls within the cache window from one probe", async () => {
		const { bindings, calls } = countedBindings();
		const ask = () => request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.10" } }, bindings);
		const concurrent = await Promise.all(Array.from({ length: 10 }, ask));
		const bodies = await Promise.all(concurrent.map((r) => r.json()));
		for (let i = 0; i < 5; i++) bodies.push(await (await ask()).json());
		expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
		expect(healthSchema.parse(bodies[0]).status).toBe("ok");
		expect(callsOf(calls)).toEqual(probes(1));
	});

	it("probes again once the cache window has passed", async () => {
		const { bindings, calls } = countedBindings();
		const ask = () => request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.20" } }, bindings);
		expect((await ask()).status).toBe(200);
		const now = Date.now.bind(Date);
		vi.spyOn(Date, "now").mockImplementation(() => now() + HEALTH_CACHE_MS + 1);
		expect((await ask()).status).toBe(200);
		expect(callsOf(calls)).toEqual(probes(2));
	});

	it("sends nothing to any queue and reads the stores only through their constant-time calls", async () => {
		const { bindings, calls } = countedBindings();
		const response = await request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.30" } }, bindings);
		// The stand-in stubs offer only version(), ping(), info(), get() and head(): any other call would fail its check.
		expect(healthSchema.parse(await response.json()).status).toBe("ok");
		expect([...calls.keys()].filter((name) => name.endsWith(".send"))).toEqual([]);
		expect(callsOf(calls)).toEqual(probes(1));
	});

	it("never names the provider, its model or its host to an anonymous caller", async () => {
		const { bindings } = countedBindings(PRIVATE_PROVIDER);
		const response = await request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.40" } }, bindings);
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(text).not.toMatch(/openai|acme|8443|inference|70b/i);
		const body = healthSchema.parse(JSON.parse(text));
		expect(body.checks.provider).toEqual({ status: "ok", latencyMs: expect.any(Number) });
		expect(Object.values(body.checks).every((check) => check.detail === undefined)).toBe(true);
	});

	it("names the provider, its model and its host to a caller with the admin token", async () => {
		const { bindings } = countedBindings(PRIVATE_PROVIDER);
		const response = await request("/api/health", { headers: { "CF-Connecting-IP": "10.0.6.50", ...ADMIN } }, bindings);
		expect(response.status).toBe(200);
		const body = healthSchema.parse(await response.json());
		expect(body.checks.provider?.detail).toBe("openai acme-private-70b at inference.acme-internal.example:8443");
		expect(body.checks.knowledgeBase?.detail).toMatch(/^version \d+$/);
	});

	it("serves the public and the admin view from the same probe", async () => {
		const { bindings, calls } = countedBindings(PRIVATE_PROVIDER);
		const headers = { "CF-Connecting-IP": "10.0.6.60" };
		const anonymous = healthSchema.parse(await (await request("/api/health", { headers }, bindings)).json());
		const admin = healthSchema.parse(await (await request("/api/health", { headers: { ...headers, ...ADMIN } }, bindings)).json());
		expect(anonymous.checks.provider?.detail).toBeUndefined();
		expect(admin.checks.provider?.detail).toContain("acme-private-70b");
		expect(callsOf(calls)).toEqual(probes(1));
	});

	it("answers 401, not the public view, to a caller whose token is not the admin one", async () => {
		const { bindings } = countedBindings(PRIVATE_PROVIDER);
		const headers = { "CF-Connecting-IP": "10.0.6.70", Authorization: "Bearer guess" };
		const response = await request("/api/health", { headers }, bindings);
		expect(response.status).toBe(401);
		const text = await response.text();
		expect(text).not.toMatch(/acme|8443/);
		expect(problemSchema.parse(JSON.parse(text)).status).toBe(401);
	});
});
