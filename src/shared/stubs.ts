/**
 * Every Durable Object stub, from one place: a named getter per object, and
 * the names of the singletons. Nothing else builds `X.get(X.idFromName(…))`,
 * so how an object is addressed (a singleton, a shard, one per session or
 * job) is read and changed here. The stubs are typed by the generated `Env`,
 * so this shared module needs nothing from src/durable.
 */

/** The knowledge base's one instance. */
export const KNOWLEDGE_BASE_NAME = "default";
/** The question statistics' one instance. */
export const QUESTION_STATS_NAME = "top-questions";
/** The alert state's one instance. */
export const ALERT_STATE_NAME = "alerts";
/** The development fault switch's one instance. */
export const FAULT_SWITCH_NAME = "faults";
/** The admission gate's one instance: one line for the whole deployment (see its header for why one is enough). */
export const ADMISSION_GATE_NAME = "model-calls";

/**
 * A session's hub: one object per session id.
 * @example await sessionHub(env, "ses_123").info()
 */
export function sessionHub(env: Env, sessionId: string) {
	return env.SESSION_HUB.get(env.SESSION_HUB.idFromName(sessionId));
}

export function knowledgeBase(env: Env) {
	return env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName(KNOWLEDGE_BASE_NAME));
}

export function questionStats(env: Env) {
	return env.QUESTION_STATS.get(env.QUESTION_STATS.idFromName(QUESTION_STATS_NAME));
}

/** One cache-warming job's object, named by its job id. */
export function warmJob(env: Env, jobId: string) {
	return env.WARM_JOB.get(env.WARM_JOB.idFromName(jobId));
}

export function alertState(env: Env) {
	return env.ALERT_STATE.get(env.ALERT_STATE.idFromName(ALERT_STATE_NAME));
}

export function faultSwitch(env: Env) {
	return env.FAULT_SWITCH.get(env.FAULT_SWITCH.idFromName(FAULT_SWITCH_NAME));
}

/** A summary-registry shard, by its name (schemas/summary.ts: `registryShardName`). */
export function summaryRegistry(env: Env, shardName: string) {
	return env.SUMMARY_REGISTRY.get(env.SUMMARY_REGISTRY.idFromName(shardName));
}

/** A metrics-store shard, by its name (metrics/shards.ts: `metricsStoreName`). */
export function metricsStore(env: Env, storeName: string) {
	return env.METRICS_STORE.get(env.METRICS_STORE.idFromName(storeName));
}

export function admissionGate(env: Env) {
	return env.ADMISSION_GATE.get(env.ADMISSION_GATE.idFromName(ADMISSION_GATE_NAME));
}

/** The directory of one user's sessions (CONTRACT §8 erasure), addressed by the user id. */
export function userDirectory(env: Env, userId: string) {
	return env.USER_DIRECTORY.get(env.USER_DIRECTORY.idFromName(userId));
}

/** The support desk's one instance (CONTRACT §7): agents and the conversations they work from. */
export const SUPPORT_DESK_NAME = "desk";

export function supportDesk(env: Env) {
	return env.SUPPORT_DESK.get(env.SUPPORT_DESK.idFromName(SUPPORT_DESK_NAME));
}
