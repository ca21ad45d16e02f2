/**
 * The answer cache over the multi-level cache (src/shared/cache): keys from
 * the canonical question and everything else an answer depends on, values
 * validated on the way out (a cached value is input like any other), only
 * shareable answers stored, and a computation in progress shared with the
 * identical turns that join it while it streams.
 */
import { cacheKey, createCache, type FlightProgress, type RunningFlight, type TieredCache } from "../cache";
import { describeError } from "../errors";
import { type AnswerCache, type CachedAnswer, type ComputedAnswer, cachedAnswerSchema, type LiveAnswer } from "./answer-cache";

/** For the rare recomputation nobody follows (an unreadable entry replaced). */
const UNWATCHED: FlightProgress = { publish: () => undefined, alive: () => undefined };

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
			return replaceUnreadable(cache, key, compute);
		},
		async shareStream(key, compute, { silenceMs, join }) {
			let shareable = false;
			const { flight, joined } = cache.flight(
				key,
				"answer",
				async (progress) => {
					const computed = await compute(progress);
					shareable = computed.shareable;
					return JSON.stringify(computed.answer);
				},
				{ shouldStore: () => shareable, silenceMs, join },
			);
			if (joined) return { joined: true, live: liveAnswer(flight) };
			const { value, source } = await flight.promise;
			const answer = parse(value);
			const ran = source === "computed";
			if (answer) return { joined: false, answer, ran, stored: ran && shareable };
			return { joined: false, ...(await replaceUnreadable(cache, key, () => compute(UNWATCHED))) };
		},
		delete: (key) => cache.delete(key),
	};
}

/** An entry that no longer parses (an older shape under the same key version): computed again and replaced. */
async function replaceUnreadable(
	cache: TieredCache,
	key: string,
	compute: () => Promise<ComputedAnswer>,
): Promise<{ answer: CachedAnswer; ran: boolean; stored: boolean }> {
	await cache.delete(key);
	const fresh = await compute();
	if (fresh.shareable) await cache.set(key, "answer", JSON.stringify(fresh.answer));
	return { answer: fresh.answer, ran: true, stored: fresh.shareable };
}

/** A flight of the answer kind, as the turns that joined it follow it. */
function liveAnswer(flight: RunningFlight): LiveAnswer {
	return {
		get text() {
			return flight.text;
		},
		next: (seen, signal) => flight.next(seen, signal),
		async answer() {
			const answer = parse((await flight.promise).value);
			if (!answer) throw new Error("the shared answer is unreadable");
			return answer;
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
