/**
 * Response bodies of the public HTTP API (CONTRACT §1–§3, §5, §6) as the SDK
 * validates them. The shapes are owned by src/shared/schemas/responses.ts
 * (classic zod, documented for the OpenAPI document); these are zod/mini
 * copies, because classic zod would make the browser widget ten times larger.
 * Each annotation binds a copy to the shared type, so the two cannot drift
 * apart without a type error (the way `serverFrameSchema` is bound to
 * `ServerFrame`). Only types are imported from the shared file: nothing of
 * classic zod reaches a bundle.
 */
import * as z from "zod/mini";
import type { DashboardData, SyntheticHistory } from "../shared/schemas/dashboard";
import type { Faults } from "../shared/schemas/faults";
import type {
	Accepted,
	Alerts,
	Article,
	FaultState,
	Health,
	JobStatus,
	KbSearch,
	MessagePage,
	Problem,
	SessionCreated,
	SessionInfo,
	SessionStorageInfo,
	WarmStarted,
} from "../shared/schemas/responses";
import { messageShape } from "./frames";

export type { DashboardData, DashboardRange, SyntheticHistory } from "../shared/schemas/dashboard";
export type { Faults } from "../shared/schemas/faults";
export type {
	Accepted,
	Alerts,
	Article,
	FaultState,
	Health,
	JobStatus,
	KbSearch,
	MessagePage,
	Problem,
	SessionCreated,
	SessionInfo,
	SessionStorageInfo,
	WarmStarted,
} from "../shared/schemas/responses";

const count = z.int().check(z.gte(0));
const nonEmpty = z.string().check(z.minLength(1));

export const problemSchema: z.ZodMiniType<Problem> = z.object({
	type: z.string(),
	title: z.string(),
	status: z.int().check(z.gte(400), z.lte(599)),
	detail: z.string(),
	errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

export const sessionCreatedSchema: z.ZodMiniType<SessionCreated> = z.object({
	sessionId: nonEmpty,
	token: nonEmpty,
	expiresAt: z.string(),
});

export const sessionInfoSchema: z.ZodMiniType<SessionInfo> = z.object({
	sessionId: z.string(),
	createdAt: z.string(),
	lastSeq: count,
	status: z.enum(["open", "escalated", "closed"]),
	summary: z.nullable(z.string()),
});

export const acceptedSchema: z.ZodMiniType<Accepted> = z.object({
	messageId: nonEmpty,
	seq: z.int().check(z.positive()),
	status: z.literal("queued"),
	duplicate: z.boolean(),
});

export const messagePageSchema: z.ZodMiniType<MessagePage> = z.object({
	messages: z.array(z.object(messageShape)),
	lastSeq: count,
	hasMore: z.boolean(),
});

export const kbSearchSchema: z.ZodMiniType<KbSearch> = z.object({
	results: z.array(z.object({ id: z.string(), title: z.string(), snippet: z.string(), score: z.number() })),
});

export const articleSchema: z.ZodMiniType<Article> = z.object({
	id: z.string(),
	title: z.string(),
	body: z.string(),
	url: z.optional(z.string()),
	tags: z.array(z.string()),
	updatedAt: z.string(),
});

export const warmStartedSchema: z.ZodMiniType<WarmStarted> = z.object({ jobId: nonEmpty });

export const jobStatusSchema: z.ZodMiniType<JobStatus> = z.object({
	jobId: z.string(),
	kind: z.literal("cache-warm"),
	state: z.enum(["queued", "running", "done", "failed"]),
	total: count,
	done: count,
	failed: count,
	skipped: count,
	startedAt: z.string(),
	finishedAt: z.optional(z.string()),
});

export const sessionStorageSchema: z.ZodMiniType<SessionStorageInfo> = z.object({
	hotMessages: count,
	archivedMessages: count,
	archiveSegments: count,
	sqliteBytes: count,
	summaryThroughSeq: z.nullable(count),
});

/** The faults in force: what `POST /api/admin/faults` answers. */
export const faultsSchema: z.ZodMiniType<Faults> = z.object({
	aiDelayMs: z.int().check(z.gte(0), z.lte(60_000)),
	aiFailureRate: z.number().check(z.gte(0), z.lte(1)),
	aiFailureKind: z.enum(["transient", "permanent"]),
});

/** The faults and what they did: what `GET /api/admin/faults` answers. */
export const faultStateSchema: z.ZodMiniType<FaultState> = z.object({
	faults: faultsSchema,
	injected: z.record(z.enum(["delayed", "failed_transient", "failed_permanent"]), count),
	calls: count,
});

export const healthSchema: z.ZodMiniType<Health> = z.object({
	status: z.enum(["ok", "degraded", "down"]),
	version: z.string(),
	checks: z.record(
		z.string(),
		z.object({ status: z.enum(["ok", "down"]), latencyMs: z.number().check(z.gte(0)), detail: z.optional(z.string()) }),
	),
});

export const alertsSchema: z.ZodMiniType<Alerts> = z.object({
	alerts: z.array(
		z.object({
			id: z.string(),
			rule: z.string(),
			severity: z.string(),
			state: z.enum(["firing", "resolved"]),
			since: z.string(),
			value: z.number(),
			threshold: z.number(),
			summary: z.string(),
		}),
	),
	recommendations: z.array(z.object({ id: z.string(), text: z.string(), evidence: z.string() })),
});

/** Every schema `ChatApi` validates with, by name, so a conformance test can pass stricter ones. */
export const CHAT_RESPONSE_SCHEMAS = {
	sessionCreated: sessionCreatedSchema,
	sessionInfo: sessionInfoSchema,
	accepted: acceptedSchema,
	messagePage: messagePageSchema,
	kbSearch: kbSearchSchema,
	problem: problemSchema,
} as const;

/** Every schema `AdminApi` validates with, by name. */
export const syntheticHistorySchema: z.ZodMiniType<SyntheticHistory> = z.object({ batches: count, minutes: count, hours: count });

const values = z.array(z.nullable(z.number()));

/** GET /api/admin/metrics/series: the dashboard's charts. */
export const dashboardDataSchema: z.ZodMiniType<DashboardData> = z.object({
	range: z.enum(["1h", "6h", "24h"]),
	stepSeconds: z.number(),
	times: z.array(z.number()),
	latency: z.array(
		z.object({ id: z.string(), label: z.string(), sloSeconds: z.nullable(z.number()), p50: values, p95: values, p99: values }),
	),
	throughput: z.object({ accepted: values, turns: values }),
	errorRate: values,
	cacheHitRate: z.object({ overall: values, memory: values, kv: values, r2: values }),
	alerts: z.array(z.object({ rule: z.string(), severity: z.string(), since: z.string(), summary: z.string() })),
	warmJobs: z.array(z.object({ jobId: z.string(), state: z.string(), total: z.number(), done: z.number(), failed: z.number() })),
});

export const ADMIN_RESPONSE_SCHEMAS = {
	dashboardData: dashboardDataSchema,
	syntheticHistory: syntheticHistorySchema,
	article: articleSchema,
	warmStarted: warmStartedSchema,
	jobStatus: jobStatusSchema,
	sessionStorage: sessionStorageSchema,
	faults: faultsSchema,
	faultState: faultStateSchema,
	health: healthSchema,
	alerts: alertsSchema,
	problem: problemSchema,
} as const;
