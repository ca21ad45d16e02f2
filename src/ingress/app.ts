/**
 * The ingress: a Hono app serving CONTRACT §1–§6 under `/api`, described by
 * the OpenAPI document that openapi/ generates (GET /api/openapi.json).
 * Every error leaves through `onError` as problem+json; nothing internal
 * (stack, binding names) is ever sent.
 */
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError, configOf } from "../shared/config";
import { describeError } from "../shared/errors";
import { MetricsRecorder, shipMetrics } from "../shared/metrics/recorder";
import { HttpProblem, problemResponse } from "../shared/problem";
import type { IngressEnv } from "./env";
import { requestId } from "./request-id";
import { adminSessions } from "./routes/admin-sessions";
import { alerts } from "./routes/alerts";
import { dashboardData } from "./routes/dashboard-data";
import { docs } from "./routes/docs";
import { faults } from "./routes/faults";
import { health } from "./routes/health";
import { kbAdmin, kbSearch } from "./routes/knowledge-base";
import { metrics } from "./routes/metrics";
import { metricsHistory } from "./routes/metrics-history";
import { sessions } from "./routes/sessions";
import { socket } from "./routes/socket";
import { warm } from "./routes/warm";

/** Which methods each route answers, for 405 with an `Allow` header. */
const ROUTES: ReadonlyArray<readonly [path: string, methods: string]> = [
	["/api/sessions", "POST"],
	["/api/sessions/:id", "GET, DELETE"],
	["/api/sessions/:id/messages", "GET, POST"],
	["/api/sessions/:id/ws", "GET"],
	["/api/kb/search", "GET"],
	["/api/admin/kb/articles/:id", "GET, PUT, DELETE"],
	["/api/admin/faults", "GET, POST, DELETE"],
	["/api/admin/cache/warm", "POST"],
	["/api/admin/cache/stats", "GET"],
	["/api/admin/jobs/:id", "GET"],
	["/api/admin/sessions/:id", "DELETE"],
	["/api/admin/sessions/:id/storage", "GET"],
	["/api/health", "GET"],
	["/api/metrics", "GET"],
	["/api/alerts", "GET"],
	["/api/admin/metrics/series", "GET"],
	["/api/admin/metrics/synthetic", "POST"],
	["/api/openapi.json", "GET"],
	["/api/docs", "GET"],
];

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
app.route("/api/kb", kbSearch);
app.route("/api/admin/kb/articles", kbAdmin);
app.route("/api/admin/faults", faults);
app.route("/api/admin/sessions", adminSessions);
app.route("/api/admin/metrics/synthetic", metricsHistory);
app.route("/api/admin/metrics", dashboardData);
app.route("/api/admin", warm);
app.route("/api/health", health);
app.route("/api/metrics", metrics);
app.route("/api/alerts", alerts);
app.route("/api", docs);

for (const [path, methods] of ROUTES) {
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

/** The request's `waitUntil`; `app.request` in tests has no execution context, so the promise just runs. */
function waitUntilOf(c: Context<IngressEnv>): (promise: Promise<unknown>) => void {
	try {
		const ctx = c.executionCtx;
		return (promise) => ctx.waitUntil(promise);
	} catch {
		return () => undefined;
	}
}
