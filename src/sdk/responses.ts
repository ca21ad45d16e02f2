/**
 * Response bodies of the public HTTP API (CONTRACT §1–§3, §5, §6) as the SDK
 * validates them: the shared schemas themselves, written in zod/mini so the
 * browser widget can afford them (src/shared/schemas/responses.ts). This
 * module only groups them by client, so a conformance test can swap in
 * stricter variants by name.
 */
import { dashboardDataSchema, syntheticHistorySchema } from "../shared/schemas/dashboard";
import { faultsSchema } from "../shared/schemas/faults";
import {
	acceptedSchema,
	alertsSchema,
	articleSchema,
	faultStateSchema,
	healthSchema,
	jobStatusSchema,
	kbSearchSchema,
	messagePageSchema,
	problemSchema,
	sessionCreatedSchema,
	sessionInfoSchema,
	sessionStorageSchema,
	warmStartedSchema,
} from "../shared/schemas/responses";

export {
	type DashboardData,
	type DashboardRange,
	dashboardDataSchema,
	type SyntheticHistory,
	syntheticHistorySchema,
} from "../shared/schemas/dashboard";
export { type Faults, faultsSchema } from "../shared/schemas/faults";
export {
	type Accepted,
	type Alerts,
	type Article,
	acceptedSchema,
	alertsSchema,
	articleSchema,
	type FaultState,
	faultStateSchema,
	type Health,
	healthSchema,
	type JobStatus,
	jobStatusSchema,
	type KbSearch,
	kbSearchSchema,
	type MessagePage,
	messagePageSchema,
	type Problem,
	problemSchema,
	type SessionCreated,
	type SessionInfo,
	type SessionStorageInfo,
	sessionCreatedSchema,
	sessionInfoSchema,
	sessionStorageSchema,
	type WarmStarted,
	warmStartedSchema,
} from "../shared/schemas/responses";

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
