/**
 * The OpenAPI description of the admin routes (CONTRACT §6, admin token):
 * routes/warm.ts, routes/admin-sessions.ts, routes/dashboard-data.ts and
 * routes/faults.ts. Knowledge-base administration is in knowledge-base.ts.
 */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { syntheticHistorySchema } from "../../shared/schemas/dashboard";
import { faultsSchema } from "../../shared/schemas/faults";
import { dashboardQuerySchema, faultsInputSchema, syntheticHistoryInputSchema } from "../../shared/schemas/http";
import {
	cacheStatsSchema,
	dashboardDataSchema,
	faultStateSchema,
	jobStatusSchema,
	sessionStorageSchema,
	warmStartedSchema,
} from "../../shared/schemas/responses";
import { jobIdSchema, warmRequestSchema } from "../../shared/schemas/warm";
import { empty, json, problems, SECURITY } from "./responses";
import { sessionParams } from "./sessions";

/** What every admin route can refuse. */
const ADMIN = {
	401: "An admin token is required.",
	429: "Too many failed admin attempts from this address; retry after 60 seconds.",
} as const;

const FAULTS_ONLY_IN_DEVELOPMENT =
	"The fault switch exists only when `ENVIRONMENT` is `development`: elsewhere every method answers 404, before any credential check.";

export function describeAdminRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "post",
		path: "/api/admin/cache/warm",
		operationId: "startCacheWarm",
		tags: ["Admin"],
		summary: "Warm the answer cache",
		description: "Starts a job that answers each question into the cache, one queue message per question.",
		security: SECURITY.admin,
		request: { body: { required: true, content: { "application/json": { schema: warmRequestSchema } } } },
		responses: {
			202: json(warmStartedSchema, "The job started."),
			...problems({ ...ADMIN, 400: true, 413: true, 415: true }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/jobs/{id}",
		operationId: "getJob",
		tags: ["Admin"],
		summary: "Get a warming job",
		security: SECURITY.admin,
		request: { params: z.object({ id: jobIdSchema.describe("The job id, as the warm request returned it.") }) },
		responses: {
			200: json(jobStatusSchema, "The job's progress."),
			...problems({ ...ADMIN, 400: "The job id failed validation.", 404: "No such job." }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/cache/stats",
		operationId: "getCacheStats",
		tags: ["Admin"],
		summary: "Cache counters of one isolate",
		description:
			"Not in the contract: for diagnosis and the bench. The counters of whichever isolate answers; `/api/metrics` has the totals.",
		security: SECURITY.admin,
		responses: {
			200: json(cacheStatsSchema, "The isolate's cache counters."),
			...problems(ADMIN),
		},
	});

	registry.registerPath({
		method: "delete",
		path: "/api/admin/sessions/{id}",
		operationId: "eraseSessionAsAdmin",
		tags: ["Admin"],
		summary: "Erase a session (admin)",
		description:
			"Erases the session exactly as `DELETE /api/sessions/{id}` does (transcript, archive, summary, what it left in shared caches and statistics), for sessions whose token has expired.",
		security: SECURITY.admin,
		request: { params: sessionParams },
		responses: {
			204: empty("Erased."),
			...problems({ ...ADMIN, 404: "No such session." }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/sessions/{id}/storage",
		operationId: "getSessionStorage",
		tags: ["Admin"],
		summary: "Where a session's transcript lives",
		security: SECURITY.admin,
		request: { params: sessionParams },
		responses: {
			200: json(sessionStorageSchema, "The session's storage."),
			...problems({ ...ADMIN, 404: "No such session." }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/metrics/series",
		operationId: "getDashboardSeries",
		tags: ["Admin"],
		summary: "Dashboard data",
		description:
			"The operators' dashboard's charts (GET /dashboard), from the metric rollups, with the firing alerts and recent warming jobs.",
		security: SECURITY.admin,
		request: { query: dashboardQuerySchema },
		responses: {
			200: json(dashboardDataSchema, "The series."),
			...problems({ ...ADMIN, 400: "The query string failed validation." }),
		},
	});

	registry.registerPath({
		method: "post",
		path: "/api/admin/metrics/synthetic",
		operationId: "synthesizeMetricsHistory",
		tags: ["Admin"],
		summary: "Synthesize metrics history (development)",
		description:
			"Not in the contract: for the bench, which times a scrape against a month of rollups. Fills every metrics store with `days` of history shaped like the series seen so far, through the real ingest and retention paths. Exists only when `ENVIRONMENT` is `development`: elsewhere it answers 404, before any credential check.",
		security: SECURITY.admin,
		request: { body: { required: true, content: { "application/json": { schema: syntheticHistoryInputSchema } } } },
		responses: {
			200: json(syntheticHistorySchema, "What the stores hold now."),
			...problems({ ...ADMIN, 400: true, 404: "No such resource.", 413: true, 415: true }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/faults",
		operationId: "getFaults",
		tags: ["Admin"],
		summary: "Faults in force (development)",
		description: `Not in the contract: for the fault tests. ${FAULTS_ONLY_IN_DEVELOPMENT}`,
		security: SECURITY.admin,
		responses: {
			200: json(faultStateSchema, "The faults and what they did since they were set."),
			...problems({ ...ADMIN, 404: "No such resource." }),
		},
	});

	registry.registerPath({
		method: "post",
		path: "/api/admin/faults",
		operationId: "setFaults",
		tags: ["Admin"],
		summary: "Inject AI provider faults (development)",
		description: `The AI provider is slowed or fails until the faults are cleared. ${FAULTS_ONLY_IN_DEVELOPMENT}`,
		security: SECURITY.admin,
		request: { body: { required: true, content: { "application/json": { schema: faultsInputSchema } } } },
		responses: {
			200: json(faultsSchema, "The faults now in force."),
			...problems({ ...ADMIN, 400: true, 404: "No such resource.", 413: true, 415: true }),
		},
	});

	registry.registerPath({
		method: "delete",
		path: "/api/admin/faults",
		operationId: "clearFaults",
		tags: ["Admin"],
		summary: "Clear the faults (development)",
		description: FAULTS_ONLY_IN_DEVELOPMENT,
		security: SECURITY.admin,
		responses: {
			204: empty("Cleared."),
			...problems({ ...ADMIN, 404: "No such resource." }),
		},
	});
}
