/**
 * The answer cache over the multi-level cache (src/shared/cache): keys from
 * the normalized question and everything else an answer depends on, values
 * validated on the way out (a cached value is input like any other).
 */
import { cacheKey, createCache, normalizeQuestion } from "../cache";
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
		key: (parts) => cacheKey("answer", { ...parts, question: normalizeQuestion(parts.question) }),
		async share(key, compute) {
			const { value, source } = await cache.getOrComputeWithSource(key, "answer", async () => JSON.stringify(await compute()));
			const answer = parse(value);
			if (answer) return { answer, ran: source === "computed" };
			// Unreadable (an older shape under the same key version): replace it.
			await cache.delete(key);
			const fresh = await compute();
			await cache.set(key, "answer", JSON.stringify(fresh));
			return { answer: fresh, ran: true };
		},
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
