/**
 * The answer cache over the multi-level cache (src/shared/cache): keys from
 * the canonical question and everything else an answer depends on, values
 * validated on the way out (a cached value is input like any other), and
 * only shareable answers stored.
 */
import { cacheKey, createCache } from "../cache";
import { describeError } from "../errors";
import { type AnswerCache, type CachedAnswer, cachedAnswerSchema } from "./answer-cache";

/**
 * @example const answers = answerCacheFor(env, (p) => ctx.waitUntil(p));
 */
export function answerCacheFor(
	env: { CACHE: KVNamespace; ARCHIVE: R2Bucket },
	waitUntil?: (promise: Promise<unknown>) => void,
): AnswerCache {
	const cache = createCache(env, waitUntil ? { waitUntil } : {});
	return {
		// The question is already canonical: the key is built from exactly the text the answer is computed from.
		key: (parts) => cacheKey("answer", parts),
		async share(key, compute) {
			let shareable = false;
			const { value, source } = await cache.getOrComputeWithSource(
				key,
				"answer",
				async () => {
					const computed = await compute();
					shareable = computed.shareable;
					return JSON.stringify(computed.answer);
				},
				{ shouldStore: () => shareable },
			);
			const answer = parse(value);
			const ran = source === "computed";
			if (answer) return { answer, ran, stored: ran && shareable };
			// Unreadable (an older shape under the same key version): replace it.
			await cache.delete(key);
			const fresh = await compute();
			if (fresh.shareable) await cache.set(key, "answer", JSON.stringify(fresh.answer));
			return { answer: fresh.answer, ran: true, stored: fresh.shareable };
		},
		delete: (key) => cache.delete(key),
	};
}

function parse(raw: string): CachedAnswer | undefined {
	try {
		const parsed = cachedAnswerSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : undefined;
	} catch (error) {
		console.warn(JSON.stringify({ event: "cached_answer_unreadable", error: describeError(error) }));
		return undefined;
	}
}
