/**
 * Response bodies of the HTTP API (CONTRACT §1–§3, §5, §6), one schema each,
 * in zod/mini (see documented.ts). They are the single source of four things:
 * the types the routes and the Durable Objects build their answers with, the
 * OpenAPI document served at GET /api/openapi.json (src/ingress/openapi),
 * the checks the SDK (and so the widget) runs on every answer, and the strict
 * variants the e2e tests check answers with (test/support/strict.ts). The
 * server never parses its own answers with them; a route's `satisfies` and
 * these inferred types keep the two from drifting apart.
 */
import * as z from "zod/mini";
import { dashboardDataSchema } from "./dashboard";
import type { Documented } from "./documented";
import { faultEffectSchema, faultsSchema } from "./faults";
import { messageSchema } from "./message";
import { assigneeSchema, conversationUserSchema } from "./people";
import { count, isoTime, nonEmpty, nonNegative, seq } from "./scalars";
import { SESSION_STATUSES } from "./wire";

// --- Errors (CONTRACT §1) ---------------------------------------------------

export const fieldErrorSchema = z.object({ path: z.string(), message: nonEmpty });
export type FieldError = z.infer<typeof fieldErrorSchema>;
export const fieldErrorDocs = {
	schema: fieldErrorSchema,
	id: "FieldError",
	description: 'One field that failed validation; `path` is dotted ("" for the whole body).',
	examples: [{ path: "text", message: "must not be empty" }],
} satisfies Documented<typeof fieldErrorSchema>;

/** RFC 9457 problem details, as src/shared/problem.ts renders every HTTP error. */
export const problemSchema = z.object({
	type: nonEmpty,
	title: nonEmpty,
	status: z.int().check(z.gte(400), z.lte(599)),
	detail: nonEmpty,
	errors: z.optional(z.array(fieldErrorSchema)),
});
export type Problem = z.infer<typeof problemSchema>;
export const problemDocs = {
	schema: problemSchema,
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
	fields: {
		type: 'Always "about:blank": the status code says what went wrong (RFC 9457 §4.2.1).',
		title: "The status code's phrase.",
		detail: "What to do about it, for a person; never a stack trace or an internal name.",
		errors: "With 400 for a failed validation: each failing field.",
	},
} satisfies Documented<typeof problemSchema>;

// --- Sessions and messages (CONTRACT §2, §3) ----------------------------------

export const sessionCreatedSchema = z.object({ sessionId: nonEmpty, token: nonEmpty, expiresAt: isoTime });
export type SessionCreated = z.infer<typeof sessionCreatedSchema>;
export const sessionCreatedDocs = {
	schema: sessionCreatedSchema,
	id: "SessionCreated",
	description: "A new session and the bearer token that authorizes it (HTTP `Authorization: Bearer`, or the socket's `bearer.<token>`).",
	examples: [{ sessionId: "ses_8fJ2kQ", token: "v1.ses_8fJ2kQ.1796060400.Q2hhdFRva2Vu", expiresAt: "2026-11-28T17:30:00.000Z" }],
} satisfies Documented<typeof sessionCreatedSchema>;

/** A write waiting for the user's answer (CONTRACT §8). */
export const pendingConfirmationSchema = z.object({ callId: nonEmpty, tool: nonEmpty, summary: z.string(), expiresAt: isoTime });
export type PendingConfirmation = z.infer<typeof pendingConfirmationSchema>;

export const sessionInfoSchema = z.object({
	sessionId: nonEmpty,
	createdAt: isoTime,
	lastSeq: count,
	status: z.enum(SESSION_STATUSES),
	summary: z.nullable(z.string()),
	user: z.nullable(conversationUserSchema),
	assignee: z.nullable(assigneeSchema),
	pendingConfirmations: z.array(pendingConfirmationSchema),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export const sessionInfoDocs = {
	schema: sessionInfoSchema,
	id: "SessionInfo",
	description: "A session's state.",
	examples: [
		{
			sessionId: "ses_8fJ2kQ",
			createdAt: "2026-11-27T17:30:00.000Z",
			lastSeq: 2,
			status: "open",
			summary: null,
			user: null,
			assignee: null,
			pendingConfirmations: [],
		},
	],
	fields: {
		lastSeq: "The seq of the last committed message; 0 before the first.",
		status:
			"`open`: the assistant answers. `escalated`: people answer and the assistant is silent. `closed`: resolved; a new message reopens it.",
		summary: "The running summary of the conversation, once one has been written.",
		user: "The identified user (a verified `userToken`), else null.",
		assignee: "The agent holding the conversation, while one does.",
		pendingConfirmations: "Back-office writes waiting for the user's approval (CONTRACT §8); empty when none.",
	},
} satisfies Documented<typeof sessionInfoSchema>;

export const popularQuestionsSchema = z.object({ questions: z.array(z.object({ text: nonEmpty })) });
export type PopularQuestions = z.infer<typeof popularQuestionsSchema>;
export const popularQuestionsDocs = {
	schema: popularQuestionsSchema,
	id: "PopularQuestions",
	description:
		"First questions many users asked, most asked first, for a new chat's suggestions. Only questions at least `WARM_MIN_SESSIONS` distinct sessions asked appear, so nobody's own words do.",
	examples: [{ questions: [{ text: "How do I reset my password?" }] }],
} satisfies Documented<typeof popularQuestionsSchema>;

export const acceptedSchema = z.object({
	messageId: nonEmpty,
	seq,
	status: z.literal("queued"),
	duplicate: z.boolean(),
});
export type Accepted = z.infer<typeof acceptedSchema>;
export const acceptedDocs = {
	schema: acceptedSchema,
	id: "MessageAccepted",
	description: "The user message is durably stored and will be answered exactly once.",
	examples: [{ messageId: "m-1", seq: 1, status: "queued", duplicate: false }],
	fields: {
		duplicate: "True when this id was accepted before: the same message, not a second copy.",
	},
} satisfies Documented<typeof acceptedSchema>;

export const messagePageSchema = z.object({
	messages: z.array(messageSchema),
	lastSeq: count,
	hasMore: z.boolean(),
});
export type MessagePage = z.infer<typeof messagePageSchema>;
export const messagePageDocs = {
	schema: messagePageSchema,
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
	fields: {
		messages: "Ascending by seq, each with seq > after.",
		lastSeq: "The session's last seq, to tell how far the transcript goes.",
		hasMore: "More messages follow this page: ask again with after = the last seq here.",
	},
} satisfies Documented<typeof messagePageSchema>;

// --- Knowledge base (CONTRACT §5) ----------------------------------------------

export const searchHitSchema = z.object({ id: nonEmpty, title: nonEmpty, snippet: z.string(), score: z.number() });
export type SearchHit = z.infer<typeof searchHitSchema>;
export const searchHitDocs = {
	schema: searchHitSchema,
	id: "SearchHit",
	description: "An article matching a search; a higher score is a better match.",
	examples: [{ id: "reset-password", title: "Resetting your password", snippet: "…choose [Reset password]. The link…", score: 7.42 }],
} satisfies Documented<typeof searchHitSchema>;

export const kbSearchSchema = z.object({ results: z.array(searchHitSchema) });
export type KbSearch = z.infer<typeof kbSearchSchema>;
export const kbSearchDocs = {
	schema: kbSearchSchema,
	id: "KbSearchResults",
	description: "Knowledge-base search results.",
	examples: [{ results: [{ id: "reset-password", title: "Resetting your password", snippet: "…choose [Reset password]…", score: 7.42 }] }],
	fields: {
		results: "Best first.",
	},
} satisfies Documented<typeof kbSearchSchema>;

export const articleSchema = z.object({
	id: nonEmpty,
	title: nonEmpty,
	body: z.string(),
	url: z.optional(z.string()),
	tags: z.array(z.string()),
	updatedAt: isoTime,
});
export type Article = z.infer<typeof articleSchema>;
export const articleDocs = {
	schema: articleSchema,
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
	fields: {
		body: "Markdown.",
	},
} satisfies Documented<typeof articleSchema>;

// --- Operations (CONTRACT §6) --------------------------------------------------

export const healthCheckSchema = z.object({
	status: z.enum(["ok", "down"]),
	latencyMs: nonNegative,
	detail: z.optional(z.string()),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;
export const healthCheckDocs = {
	schema: healthCheckSchema,
	id: "HealthCheck",
	description: "One dependency's probe.",
	examples: [{ status: "ok", latencyMs: 3 }],
	fields: {
		detail:
			"Without the admin token, only why a check is down (`unavailable`, `no answer within 2 s`); with it, also what was probed (the AI provider, its model and host).",
	},
} satisfies Documented<typeof healthCheckSchema>;

export const healthSchema = z.object({
	status: z.enum(["ok", "degraded", "down"]),
	version: z.string(),
	checks: z.record(z.string(), healthCheckSchema),
});
export type Health = z.infer<typeof healthSchema>;
export const healthDocs = {
	schema: healthSchema,
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
	fields: {
		checks: "By dependency name.",
	},
} satisfies Documented<typeof healthSchema>;

export const alertSchema = z.object({
	id: nonEmpty,
	rule: z.string(),
	severity: z.string(),
	state: z.enum(["firing", "resolved"]),
	since: isoTime,
	value: z.number(),
	threshold: z.number(),
	summary: z.string(),
});
export type AlertView = z.infer<typeof alertSchema>;
export const alertDocs = {
	schema: alertSchema,
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
	fields: {
		rule: "ai_latency, ws_push_latency, do_latency, error_rate, cache_hit_rate, admission_wait, handoff_wait, bot_resolution_rate or dlq.",
		value: "The bad share over the deciding window (the dead-letter count for dlq).",
		threshold: "The bad share the SLO allows (0 for dlq).",
	},
} satisfies Documented<typeof alertSchema>;

export const recommendationSchema = z.object({ id: nonEmpty, text: z.string(), evidence: z.string() });
export type Recommendation = z.infer<typeof recommendationSchema>;
export const recommendationDocs = {
	schema: recommendationSchema,
	id: "Recommendation",
	description: "Advice drawn from the last 30 minutes of metrics.",
	examples: [
		{
			id: "warm_cache",
			text: "Most first questions miss the answer cache: warm the most asked ones (POST /api/admin/cache/warm).",
			evidence: "answer-cache hit rate 42 % of 150 lookups over 30 min",
		},
	],
} satisfies Documented<typeof recommendationSchema>;

export const alertsSchema = z.object({ alerts: z.array(alertSchema), recommendations: z.array(recommendationSchema) });
export type Alerts = z.infer<typeof alertsSchema>;
export const alertsDocs = {
	schema: alertsSchema,
	id: "Alerts",
	description: "Every rule that has fired, firing first, and the current recommendations.",
} satisfies Documented<typeof alertsSchema>;

export const warmStartedSchema = z.object({ jobId: nonEmpty });
export type WarmStarted = z.infer<typeof warmStartedSchema>;
export const warmStartedDocs = {
	schema: warmStartedSchema,
	id: "WarmStarted",
	description: "The warming job started; follow it at GET /api/admin/jobs/{jobId}.",
	examples: [{ jobId: "job_4kT9zQ" }],
} satisfies Documented<typeof warmStartedSchema>;

export const jobStatusSchema = z.object({
	jobId: nonEmpty,
	kind: z.literal("cache-warm"),
	state: z.enum(["queued", "running", "done", "failed"]),
	total: count,
	done: count,
	failed: count,
	skipped: count,
	startedAt: isoTime,
	finishedAt: z.optional(isoTime),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const jobStatusDocs = {
	schema: jobStatusSchema,
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
	fields: {
		done: "Questions answered into the cache or already warm.",
		skipped: "Of `done`, those that were already warm.",
	},
} satisfies Documented<typeof jobStatusSchema>;

export const sessionStorageSchema = z.object({
	hotMessages: count,
	archivedMessages: count,
	archiveSegments: count,
	sqliteBytes: count,
	summaryThroughSeq: z.nullable(count),
});
export type SessionStorageInfo = z.infer<typeof sessionStorageSchema>;
export const sessionStorageDocs = {
	schema: sessionStorageSchema,
	id: "SessionStorage",
	description: "Where a session's transcript lives now.",
	examples: [{ hotMessages: 200, archivedMessages: 1800, archiveSegments: 9, sqliteBytes: 409600, summaryThroughSeq: 1980 }],
	fields: {
		hotMessages: "Messages in the session object's SQLite.",
		archivedMessages: "Messages moved out to R2 archive segments.",
		summaryThroughSeq: "The last seq the running summary covers.",
	},
} satisfies Documented<typeof sessionStorageSchema>;

export const faultStateSchema = z.object({
	faults: faultsSchema,
	injected: z.record(faultEffectSchema, count),
	calls: count,
});
export type FaultState = z.infer<typeof faultStateSchema>;
export const faultStateDocs = {
	schema: faultStateSchema,
	id: "FaultState",
	description: "The faults in force and their effect so far.",
	examples: [
		{
			faults: { aiDelayMs: 0, aiFailureRate: 0.5, aiFailureKind: "transient" },
			injected: { delayed: 0, failed_transient: 3, failed_permanent: 0 },
			calls: 7,
		},
	],
	fields: {
		injected: "What the faults did since they were set.",
		calls: "Provider calls made while faults were in force.",
	},
} satisfies Documented<typeof faultStateSchema>;

const sampleSchema = z.object({ labels: z.record(z.string(), z.string()), value: z.number() });
// Readonly like the isolate's snapshot, which the route hands over as it is.
const samples = z.readonly(z.array(sampleSchema));

export const cacheStatsSchema = z.object({
	requests: samples,
	evictions: samples,
	coalesced: samples,
	errors: samples,
	bytesWritten: samples,
});
export type CacheStats = z.infer<typeof cacheStatsSchema>;
export const cacheStatsDocs = {
	schema: cacheStatsSchema,
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
	fields: {
		requests: "cache_requests_total{kind,level,result}",
		evictions: "cache_evictions_total{kind}",
		coalesced: "cache_coalesced_total{kind}",
		errors: "cache_errors_total{level,operation}",
		bytesWritten: "cache_bytes_written_total{level}",
	},
} satisfies Documented<typeof cacheStatsSchema>;

export { dashboardDataSchema };
