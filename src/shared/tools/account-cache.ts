/**
 * The per-user caches of CONTRACT §8: profiles (24 h) and read tools'
 * answers (15 min), keyed by the verified user id, so one user's account
 * never answers another's. KV only, never the isolate's memory level: an
 * erasure (DELETE /api/admin/users/:userId) must be able to remove every
 * copy, and a copy in some other isolate's memory would outlive it.
 */
import { cacheKey, createCache, type TieredCache } from "../cache";
import { TOOL_NAMES, TOOLS } from "./registry";

export function accountCache(env: Env, waitUntil?: (promise: Promise<unknown>) => void): TieredCache {
	return createCache(env, { memory: false, ...(waitUntil ? { waitUntil } : {}) });
}

export function profileKey(userId: string): Promise<string> {
	return cacheKey("profile", { userId });
}

export function toolResultKey(userId: string, tool: string): Promise<string> {
	return cacheKey("tool-result", { userId, tool });
}

/** Removes the user's profile and every read tool's cached answer. */
export async function eraseAccountCache(env: Env, userId: string): Promise<void> {
	const cache = accountCache(env);
	const reads = TOOL_NAMES.filter((name) => TOOLS[name].effect === "read");
	const keys = await Promise.all([profileKey(userId), ...reads.map((name) => toolResultKey(userId, name))]);
	await Promise.all(keys.map((key) => cache.delete(key)));
}
