/**
 * Every Durable Object stub, from one place: a named getter per object, and
 * the names of the singletons. Nothing else builds `X.get(X.idFromName(…))` (ids are kept: `idFor`),
 * so how an object is addressed (a singleton, a shard, one per session or
 * job) is read and changed here. The stubs are typed by the generated `Env`,
 * so this shared module needs nothing from src/durable.
 */

import { LRUCache } from "lru-cache";

/**
 * Object ids by name, per namespace. `idFromName` is an HMAC-SHA-256 of the name: 0.03 ms of the
 * isolate's thread a call, and a turn made three or more (the ingress and the consumer for the
 * session's hub, the hub for the knowledge base: docs/benchmarks.md, "Thirteenth round"). A name's
 * id never changes, and an id is a plain value, safe to keep between requests; a stub is not (each
 * is made in the request that uses it), so stubs are still made every time.
 */
export const KEPT_IDS = 1_000;
const idsByNamespace = new WeakMap<Pick<DurableObjectNamespace, "idFromName">, LRUCache<string, DurableObjectId>>();

/**
 * `namespace.idFromName(name)`, from the last KEPT_IDS names asked of it (least recently used leave first).
 * @example env.SESSION_HUB.get(idFor(env.SESSION_HUB, sessionId))
 */
export function idFor(namespace: Pick<DurableObjectNamespace, "idFromName">, name: string): DurableObjectId {
	let ids = idsByNamespace.get(namespace);
	if (!ids) {
		ids = new LRUCache({ max: KEPT_IDS });
		idsByNamespace.set(namespace, ids);
	}
	let id = ids.get(name);
	if (!id) {
		id = namespace.idFromName(name);
		ids.set(name, id);
	}
	return id;
}

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
	return env.SESSION_HUB.get(idFor(env.SESSION_HUB, sessionId));
}

export function knowledgeBase(env: Env) {
	return env.KNOWLEDGE_BASE.get(idFor(env.KNOWLEDGE_BASE, KNOWLEDGE_BASE_NAME));
}

export function questionStats(env: Env) {
	return env.QUESTION_STATS.get(idFor(env.QUESTION_STATS, QUESTION_STATS_NAME));
}

/** One cache-warming job's object, named by its job id. */
export function warmJob(env: Env, jobId: string) {
	return env.WARM_JOB.get(idFor(env.WARM_JOB, jobId));
}

export function alertState(env: Env) {
	return env.ALERT_STATE.get(idFor(env.ALERT_STATE, ALERT_STATE_NAME));
}

export function faultSwitch(env: Env) {
	return env.FAULT_SWITCH.get(idFor(env.FAULT_SWITCH, FAULT_SWITCH_NAME));
}

/** A summary-registry shard, by its name (schemas/summary.ts: `registryShardName`). */
export function summaryRegistry(env: Env, shardName: string) {
	return env.SUMMARY_REGISTRY.get(idFor(env.SUMMARY_REGISTRY, shardName));
}

/** A metrics-store shard, by its name (metrics/shards.ts: `metricsStoreName`). */
export function metricsStore(env: Env, storeName: string) {
	return env.METRICS_STORE.get(idFor(env.METRICS_STORE, storeName));
}

export function admissionGate(env: Env) {
	return env.ADMISSION_GATE.get(idFor(env.ADMISSION_GATE, ADMISSION_GATE_NAME));
}

/**
 * The directory of one user's sessions (CONTRACT §8 erasure), addressed by the user id. Its id is
 * not kept (`idFor`): a user id is theirs, and erasing a user must leave it in no memory; the
 * directory is asked at sign-in and erasure, not on every turn.
 */
export function userDirectory(env: Env, userId: string) {
	return env.USER_DIRECTORY.get(env.USER_DIRECTORY.idFromName(userId));
}

/** The support desk's one instance (CONTRACT §7): agents and the conversations they work from. */
export const SUPPORT_DESK_NAME = "desk";

export function supportDesk(env: Env) {
	return env.SUPPORT_DESK.get(idFor(env.SUPPORT_DESK, SUPPORT_DESK_NAME));
}
