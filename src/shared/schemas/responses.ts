/**
 * Response bodies of the HTTP API (CONTRACT §1–§3, §5, §6), one schema each.
 * They are the single source of three things: the types the routes and the
 * Durable Objects build their answers with (the older interface names, such
 * as `SessionInfo`, are now aliases of these), the OpenAPI document served at
 * GET /api/openapi.json (src/ingress/openapi), and the typed client (src/sdk).
 * The server never parses its own answers with them; a route's `satisfies`
 * and these inferred types are what keep the two from drifting apart.
 */
import { z } from "zod";
import { dashboardDataSchema } from "./dashboard";
import { documented } from "./documented";
import { faultEffectSchema, faultsSchema } from "./faults";
import { messageSchema } from "./message";

const count = z.number().int().min(0);
const isoTime = z.string().describe("ISO-8601 UTC time.");

// --- Errors (CONTRACT §1) ---------------------------------------------------

export const fieldErrorSchema = documented(z.object({ path: z.string(), message: z.string() }), {
	id: "FieldError",
	description: 'One field that failed validation; `path` is dotted ("" for the whole body).',
	examples: [{ path: "text", message: "must not be empty" }],
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** RFC 9457 problem details, as src/shared/problem.ts renders every HTTP error. */
export const problemSchema = documented(
	z.object({
		type: z.string().describe('Always "about:blank": the status code says what went wrong (RFC 9457 §4.2.1).'),
		title: z.string().describe("The status code's phrase."),
		status: z.number().int().min(400).max(599),
		detail: z.string().describe("What to do about it, for a person; never a stack trace or an internal name."),
		errors: z.array(fieldErrorSchema).optional().describe("With 400 for a failed validation: each failing field."),
	}),
	{
		id: "Problem",
		description: "An error (RFC 9457 problem details), sent as `application/problem+json`.",
		examples: [
			{
				type: "about:blank",
				title: "Bad Request",
				status: 400,
				detail: "The request body failed validation.",
				errors: [{ path: "text", message: "must not be empty" }],
			},
		],
	},
);
export type Problem = z.infer<typeof problemSchema>;

// --- Sessions and messages (CONTRACT §2, §3) ----------------------------------

export const sessionCreatedSchema = documented(z.object({ sessionId: z.string(), token: z.string(), expiresAt: isoTime }), {
	id: "SessionCreated",
	description: "A new session and the bearer token that authorizes it (HTTP `Authorization: Bearer`, or the socket's `bearer.<token>`).",
	examples: [{ sessionId: "ses_8fJ2kQ", token: "v1.ses_8fJ2kQ.1796060400.Q2hhdFRva2Vu", expiresAt: "2026-11-28T17:30:00.000Z" }],
});
export type SessionCreated = z.infer<typeof sessionCreatedSchema>;

export const sessionInfoSchema = documented(
	z.object({
		sessionId: z.string(),
		createdAt: isoTime,
		lastSeq: count.describe("The seq of the last committed message; 0 before the first."),
		status: z.enum(["open", "escalated", "closed"]),
		summary: z.string().nullable().describe("The running summary of the conversation, once one has been written."),
	}),
	{
		id: "SessionInfo",
		description: "A session's state.",
		examples: [{ sessionId: "ses_8fJ2kQ", createdAt: "2026-11-27T17:30:00.000Z", lastSeq: 2, status: "open", summary: null }],
	},
);
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const acceptedSchema = documented(
	z.object({
		messageId: z.string(),
		seq: z.number().int().positive(),
		status: z.literal("queued"),
		duplicate: z.boolean().describe("True when this id was accepted before: the same message, not a second copy."),
	}),
	{
		id: "MessageAccepted",
		description: "The user message is durably stored and will be answered exactly once.",
		examples: [{ messageId: "m-1", seq: 1, status: "queued", duplicate: false }],
	},
);
export type Accepted = z.infer<typeof acceptedSchema>;

export const messagePageSchema = documented(
	z.object({
		messages: z.array(messageSchema).describe("Ascending by seq, each with seq > after."),
		lastSeq: count.describe("The session's last seq, to tell how far the transcript goes."),
		hasMore: z.boolean().describe("More messages follow this page: ask again with after = the last seq here."),
	}),
	{
		id: "MessagePage",
		description: "A page of the transcript.",
		examples: [
			{
				messages: [
					{
						seq: 1,
						id: "m-1",
						role: "user",
						text: "How do I reset my password?",
						createdAt: "2026-11-27T17:30:01.020Z",
						status: "complete",
					},
				],
				lastSeq: 2,
				hasMore: true,
			},
		],
	},
);
export type MessagePage = z.infer<typeof messagePageSchema>;

// --- Knowledge base (CONTRACT §5) ----------------------------------------------

export const searchHitSchema = documented(z.object({ id: z.string(), title: z.string(), snippet: z.string(), score: z.number() }), {
	id: "SearchHit",
	description: "An article matching a search; a higher score is a better match.",
	examples: [{ id: "reset-password", title: "Resetting your password", snippet: "…choose [Reset password]. The link…", score: 7.42 }],
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const kbSearchSchema = documented(z.object({ results: z.array(searchHitSchema).describe("Best first.") }), {
	id: "KbSearchResults",
	description: "Knowledge-base search results.",
	examples: [{ results: [{ id: "reset-password", title: "Resetting your password", snippet: "…choose [Reset password]…", score: 7.42 }] }],
});
export type KbSearch = z.infer<typeof kbSearchSchema>;

export const articleSchema = documented(
	z.object({
		id: z.string(),
		title: z.string(),
		body: z.string().describe("Markdown."),
		url: z.string().optional(),
		tags: z.array(z.string()),
		updatedAt: isoTime,
	}),
	{
		id: "Article",
		description: "A knowledge-base article.",
		examples: [
			{
				id: "reset-password",
				title: "Resetting your password",
				body: "Open **Settings → Security** and choose *Reset password*.",
				url: "https://help.example.com/reset-password",
				tags: ["account", "security"],
				updatedAt: "2026-11-27T17:00:00.000Z",
			},
		],
	},
);
export type Article = z.infer<typeof articleSchema>;

// --- Operations (CONTRACT §6) --------------------------------------------------

export const healthCheckSchema = documented(
	z.object({
		status: z.enum(["ok", "down"]),
		latencyMs: z.number().min(0),
		detail: z
			.string()
			.optional()
			.describe(
				"Without the admin token, only why a check is down (`unavailable`, `no answer within 2 s`); with it, also what was probed (the AI provider, its model and host).",
			),
	}),
	{ id: "HealthCheck", description: "One dependency's probe.", examples: [{ status: "ok", latencyMs: 3 }] },
);
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const healthSchema = documented(
	z.object({
		status: z.enum(["ok", "degraded", "down"]),
		version: z.string(),
		checks: z.record(z.string(), healthCheckSchema).describe("By dependency name."),
	}),
	{
		id: "Health",
		description:
			"`down` (503) when the chat path cannot work; `degraded` (200) when a non-critical dependency failed. One probe answers every caller for a few seconds.",
		examples: [
			{
				status: "degraded",
				version: "0.1.0",
				checks: {
					sessionHub: { status: "ok", latencyMs: 4 },
					queues: { status: "ok", latencyMs: 2 },
					provider: { status: "ok", latencyMs: 0 },
					r2: { status: "down", latencyMs: 2000, detail: "no answer within 2 s" },
				},
			},
		],
	},
);
export type Health = z.infer<typeof healthSchema>;

export const alertSchema = documented(
	z.object({
		id: z.string(),
		rule: z.string().describe("ai_latency, ws_push_latency, do_latency, error_rate, cache_hit_rate or dlq."),
		severity: z.string(),
		state: z.enum(["firing", "resolved"]),
		since: isoTime,
		value: z.number().describe("The bad share over the deciding window (the dead-letter count for dlq)."),
		threshold: z.number().describe("The bad share the SLO allows (0 for dlq)."),
		summary: z.string(),
	}),
	{
		id: "Alert",
		description: "One alert rule's latest episode.",
		examples: [
			{
				id: "ai_latency:2026-11-27T17:20:00.000Z",
				rule: "ai_latency",
				severity: "page",
				state: "firing",
				since: "2026-11-27T17:20:00.000Z",
				value: 0.41,
				threshold: 0.05,
				summary: "95 % of AI responses within 5 s: 41 % bad of 120 events (budget 5 %)",
			},
		],
	},
);
export type AlertView = z.infer<typeof alertSchema>;

export const recommendationSchema = documented(z.object({ id: z.string(), text: z.string(), evidence: z.string() }), {
	id: "Recommendation",
	description: "Advice drawn from the last 30 minutes of metrics.",
	examples: [
		{
			id: "warm_cache",
			text: "Most first questions miss the answer cache: warm the most asked ones (POST /api/admin/cache/warm).",
			evidence: "answer-cache hit rate 42 % of 150 lookups over 30 min",
		},
	],
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const alertsSchema = documented(z.object({ alerts: z.array(alertSchema), recommendations: z.array(recommendationSchema) }), {
	id: "Alerts",
	description: "Every rule that has fired, firing first, and the current recommendations.",
});
export type Alerts = z.infer<typeof alertsSchema>;

export const warmStartedSchema = documented(z.object({ jobId: z.string() }), {
	id: "WarmStarted",
	description: "The warming job started; follow it at GET /api/admin/jobs/{jobId}.",
	examples: [{ jobId: "job_4kT9zQ" }],
});
export type WarmStarted = z.infer<typeof warmStartedSchema>;

export const jobStatusSchema = documented(
	z.object({
		jobId: z.string(),
		kind: z.literal("cache-warm"),
		state: z.enum(["queued", "running", "done", "failed"]),
		total: count,
		done: count.describe("Questions answered into the cache or already warm."),
		failed: count,
		skipped: count.describe("Of `done`, those that were already warm."),
		startedAt: isoTime,
		finishedAt: isoTime.optional(),
	}),
	{
		id: "JobStatus",
		description: "A warming job's progress.",
		examples: [
			{
				jobId: "job_4kT9zQ",
				kind: "cache-warm",
				state: "done",
				total: 2,
				done: 2,
				failed: 0,
				skipped: 1,
				startedAt: "2026-11-27T17:31:00.000Z",
				finishedAt: "2026-11-27T17:31:04.250Z",
			},
		],
	},
);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const sessionStorageSchema = documented(
	z.object({
		hotMessages: count.describe("Messages in the session object's SQLite."),
		archivedMessages: count.describe("Messages moved out to R2 archive segments."),
		archiveSegments: count,
		sqliteBytes: count,
		summaryThroughSeq: count.nullable().describe("The last seq the running summary covers."),
	}),
	{
		id: "SessionStorage",
		description: "Where a session's transcript lives now.",
		examples: [{ hotMessages: 200, archivedMessages: 1800, archiveSegments: 9, sqliteBytes: 409600, summaryThroughSeq: 1980 }],
	},
);
export type SessionStorageInfo = z.infer<typeof sessionStorageSchema>;

export const faultStateSchema = documented(
	z.object({
		faults: faultsSchema,
		injected: z.record(faultEffectSchema, count).describe("What the faults did since they were set."),
		calls: count.describe("Provider calls made while faults were in force."),
	}),
	{
		id: "FaultState",
		description: "The faults in force and their effect so far.",
		examples: [
			{
				faults: { aiDelayMs: 0, aiFailureRate: 0.5, aiFailureKind: "transient" },
				injected: { delayed: 0, failed_transient: 3, failed_permanent: 0 },
				calls: 7,
			},
		],
	},
);
export type FaultState = z.infer<typeof faultStateSchema>;

const sampleSchema = z.object({ labels: z.record(z.string(), z.string()), value: z.number() });
// Readonly like the isolate's snapshot, which the route hands over as it is.
const samples = (metric: string) => z.array(sampleSchema).readonly().describe(metric);

export const cacheStatsSchema = documented(
	z.object({
		requests: samples("cache_requests_total{kind,level,result}"),
		evictions: samples("cache_evictions_total{kind}"),
		coalesced: samples("cache_coalesced_total{kind}"),
		errors: samples("cache_errors_total{level,operation}"),
		bytesWritten: samples("cache_bytes_written_total{level}"),
	}),
	{
		id: "CacheStats",
		description: "The cache counters of the one isolate that answered (not aggregated; /api/metrics is).",
		examples: [
			{
				requests: [{ labels: { kind: "answer", level: "memory", result: "hit" }, value: 12 }],
				evictions: [{ labels: { kind: "answer" }, value: 0 }],
				coalesced: [{ labels: { kind: "answer" }, value: 1 }],
				errors: [{ labels: { level: "kv", operation: "read" }, value: 0 }],
				bytesWritten: [{ labels: { level: "kv" }, value: 5120 }],
			},
		],
	},
);
export type CacheStats = z.infer<typeof cacheStatsSchema>;

export { dashboardDataSchema };
