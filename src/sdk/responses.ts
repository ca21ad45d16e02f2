/**
 * Response bodies of the public HTTP API (CONTRACT §1–§3, §5, §6) as the SDK
 * validates them: the shared schemas themselves, written in zod/mini so the
 * browser widget can afford them (src/shared/schemas/responses.ts),
 * re-exported for integrators. Each client names the ones it uses
 * (`CHAT_RESPONSE_SCHEMAS` in api.ts, `ADMIN_RESPONSE_SCHEMAS` in admin.ts),
 * so a conformance test can swap in stricter variants by name.
 */

// Identified users' back-office tools (CONTRACT §8): confirmations and the operators' list of calls.
export * from "../shared/schemas/accounts";
export {
	type DashboardData,
	type DashboardRange,
	dashboardDataSchema,
	type SyntheticHistory,
	syntheticHistorySchema,
} from "../shared/schemas/dashboard";
export { type Faults, faultsSchema } from "../shared/schemas/faults";
// The people behind the assistant (CONTRACT §7): the agents' queue, claims, handoffs.
export * from "../shared/schemas/people";
// Every response schema and type, so a new one needs no line here.
export * from "../shared/schemas/responses";
