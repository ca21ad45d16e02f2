/**
 * The ingress: a Hono app serving CONTRACT §1–§6 under `/api`, described by
 * the OpenAPI document that openapi/ generates (GET /api/openapi.json).
 * Every error leaves through `onError` as problem+json; nothing internal
 * (stack, binding names) is ever sent.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError, configOf } from "../shared/config";
import { describeError } from "../shared/errors";
import { MetricsRecorder, shipMetrics } from "../shared/metrics/recorder";
import { HttpProblem, problemResponse } from "../shared/problem";
import { ADMIN_PREFIX, admin } from "./admin";
import type { IngressEnv } from "./env";
import { requestId } from "./request-id";
import { agent } from "./routes/agent";
import { alerts } from "./routes/alerts";
import { confirmations } from "./routes/confirmations";
import { devIdentity } from "./routes/dev-identity";
import { docs } from "./routes/docs";
import { health } from "./routes/health";
import { kbSearch } from "./routes/knowledge-base";
import { metrics } from "./routes/metrics";
import { people } from "./routes/people";
import { sessions } from "./routes/sessions";
import { socket } from "./routes/socket";
import { waitUntilOf } from "./wait-until";

export const app = new Hono<IngressEnv>();

app.use(requestId);
app.use(async (c, next) => {
	c.set("config", configOf(c.env));
	await next();
});
app.use(async (c, next) => {
	const metrics = new MetricsRecorder();
	c.set("metrics", metrics);
	await next();
	const category = errorCategory(c.res.status);
	if (category) metrics.count("chat_errors_total", { category });
	shipMetrics(c.env, metrics, (promise) => waitUntilOf(c)(promise));
});

app.route("/api/sessions", sessions);
app.route("/api/sessions", socket);
app.route("/api/sessions", people);
app.route("/api/sessions", confirmations);
app.route("/api/dev", devIdentity);
app.route("/api/agent", agent);
app.route("/api/kb", kbSearch);
app.route(ADMIN_PREFIX, admin);
app.route("/api/health", health);
app.route("/api/metrics", metrics);
app.route("/api/alerts", alerts);
app.route("/api", docs);

// After every route, so these only catch what no route took: a known path with another method.
for (const [path, methods] of allowedMethods(app.routes)) {
	app.all(path, () => {
		// HEAD is answered wherever GET is, by Hono itself.
		throw new HttpProblem(405, `Use ${methods} on this resource.`, { headers: { Allow: methods } });
	});
}

app.notFound(() => problemResponse(new HttpProblem(404, "No such resource.")));

app.onError((error, c) => {
	if (error instanceof HttpProblem) return problemResponse(error);
	if (error instanceof HTTPException) return problemResponse(new HttpProblem(error.status, error.message || "Request refused."));
	const requestId = c.get("requestId");
	if (error instanceof ConfigError) {
		console.error(JSON.stringify({ event: "misconfigured", requestId, error: error.message }));
		return problemResponse(new HttpProblem(503, "The service is not configured correctly; try again later."), { "Retry-After": "30" });
	}
	// Unexpected: a dependency failed or a bug. Log it with the request id; tell the client only to retry.
	console.error(
		JSON.stringify({
			event: "unhandled_error",
			requestId,
			error: describeError(error),
		}),
	);
	return problemResponse(new HttpProblem(503, "The service is temporarily unavailable; try again shortly."), { "Retry-After": "1" });
});

/** What a refused request counts as in `chat_errors_total`; undefined for success and unknown routes. */
function errorCategory(status: number): string | undefined {
	if (status === 429) return "rate_limited";
	if (status === 401 || status === 403) return "auth";
	if (status >= 500) return "internal";
	if (status >= 400 && status !== 404) return "bad_input";
	return undefined;
}

/** The methods each route path answers, derived from the app itself, for 405 with an `Allow` header. */
export function allowedMethods(routes: readonly { path: string; method: string }[]): Map<string, string> {
	const order = ["GET", "POST", "PUT", "PATCH", "DELETE"];
	const byPath = new Map<string, Set<string>>();
	for (const { path, method } of routes) {
		// Middleware is registered as ALL, and on wildcard paths: neither is a resource.
		if (method === "ALL" || path.includes("*")) continue;
		byPath.set(path, (byPath.get(path) ?? new Set()).add(method));
	}
	return new Map([...byPath].map(([path, methods]) => [path, order.filter((m) => methods.has(m)).join(", ")]));
}
