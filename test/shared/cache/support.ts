/**
 * Helpers for the cache tests: unique keys (tests share the real local KV and
 * R2), a movable clock, counter lookups and bindings that fail.
 */
import { env } from "cloudflare:workers";
import type { CacheKind, CacheLevel, CacheResult, CacheStats } from "../../../src/shared/cache";

/** A key no other test uses, shaped like the real ones. */
export function testKey(kind: CacheKind, label = "k"): string {
	return `${kind}:1:test-${label}-${crypto.randomUUID()}`;
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
	let time = start;
	return {
		now: () => time,
		advance: (ms) => {
			time += ms;
		},
	};
}

/** One `cache_requests_total` sample. */
export function requests(stats: CacheStats, kind: CacheKind, level: CacheLevel, result: CacheResult): number {
	const sample = stats.snapshot().requests.find((s) => s.labels.kind === kind && s.labels.level === level && s.labels.result === result);
	return sample?.value ?? 0;
}

export function errors(stats: CacheStats, level: CacheLevel, operation: "read" | "write" | "delete"): number {
	return stats.snapshot().errors.find((s) => s.labels.level === level && s.labels.operation === operation)?.value ?? 0;
}

export function evictions(stats: CacheStats, kind: CacheKind): number {
	return stats.snapshot().evictions.find((s) => s.labels.kind === kind)?.value ?? 0;
}

/** The real KV binding, except that every call this cache makes rejects, as during a KV outage. */
export function failingKv(): KVNamespace {
	const outage = () => Promise.reject(new Error("KV unavailable (simulated)"));
	return new Proxy(env.CACHE, {
		get: (target, name) =>
			["get", "getWithMetadata", "put", "delete", "list"].includes(String(name)) ? outage : Reflect.get(target, name),
	});
}

/** The real R2 binding, except that every call this cache makes rejects. */
export function failingR2(): R2Bucket {
	const outage = () => Promise.reject(new Error("R2 unavailable (simulated)"));
	return new Proxy(env.ARCHIVE, {
		get: (target, name) => (["get", "head", "put", "delete", "list"].includes(String(name)) ? outage : Reflect.get(target, name)),
	});
}

/** Text that gzip cannot shrink much: random base64. */
export function incompressibleText(length: number): string {
	let text = "";
	while (text.length < length) text += btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(3072))));
	return text.slice(0, length);
}

/** An element the test knows is there (noUncheckedIndexedAccess cannot). */
export function must<T>(value: T | undefined): T {
	if (value === undefined) throw new Error("expected a value");
	return value;
}
