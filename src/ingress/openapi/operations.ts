/**
 * The OpenAPI description of the public operations routes (CONTRACT §6):
 * routes/health.ts, routes/metrics.ts and routes/alerts.ts.
 */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { PROMETHEUS_CONTENT_TYPE } from "../../shared/metrics/prometheus";
import { alertsSchema, healthSchema } from "../../shared/schemas/responses";
import { HEADERS, json, problems, SECURITY } from "./responses";

const METRICS_EXAMPLE = `# HELP chat_messages_accepted_total User messages accepted (duplicates not counted).
# TYPE chat_messages_accepted_total counter
chat_messages_accepted_total 42
`;

export function describeOperationsRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "get",
		path: "/api/health",
		operationId: "getHealth",
		tags: ["Operations"],
		summary: "Health",
		description:
			"Probes of every dependency a turn touches, side by side, each under a 2 s deadline; none writes or scans anything. A failed critical check (session hubs, queue bindings, the AI provider's configuration) is `down` (503); any other failure is `degraded` (200). One probe answers every caller for 5 s, and each address may ask 60 times a minute. Anyone may call it and sees statuses and latencies; a caller who sends the admin token (`Authorization: Bearer`) also sees what was probed (the AI provider, its model and host), and one who sends any other token gets 401.",
		security: SECURITY.public,
		responses: {
			200: json(healthSchema, "`ok` or `degraded`."),
			...problems({
				401: "An admin token is required.",
				429: "Too many health checks from this address; retry after 60 seconds.",
			}),
			// After problems(), which adds a problem+json 503: this route's 503 is its own body.
			503: json(healthSchema, "`down`: the chat path cannot work."),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/metrics",
		operationId: "getMetrics",
		tags: ["Operations"],
		summary: "Prometheus metrics",
		description:
			"Every metric's cumulative totals in the Prometheus text exposition format 0.0.4 (base units, `_total` counters; names in CONTRACT §6). It passes `promtool check metrics`.",
		security: SECURITY.public,
		responses: {
			200: {
				description: "The exposition.",
				headers: { "X-Request-Id": HEADERS.requestId },
				content: { [PROMETHEUS_CONTENT_TYPE]: { schema: z.string(), example: METRICS_EXAMPLE } },
			},
			...problems({}),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/alerts",
		operationId: "getAlerts",
		tags: ["Operations"],
		summary: "Alerts and recommendations",
		description:
			"Every SLO alert rule that has fired (`ai_latency`, `ws_push_latency`, `do_latency`, `error_rate`, `cache_hit_rate`, `admission_wait`, `handoff_wait`, `bot_resolution_rate`, `dlq`), firing first, and recommendations with their evidence.",
		security: SECURITY.public,
		responses: {
			200: json(alertsSchema, "The alerts and recommendations."),
			...problems({}),
		},
	});
}
