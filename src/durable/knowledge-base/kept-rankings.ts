/**
 * The knowledge base's newest rankings, kept between lookups. A later turn's
 * own words are ranked alone (a standalone question after another:
 * `retrieve`'s `ifUnsure`), so the same popular question ranks once however
 * many conversations ask it, where the search cache in front of the object
 * keys on the whole conversation and misses (issue 19: a ranking is about
 * 2 ms of this one object's thread). Forgotten by every edit and vector sync;
 * the object is their only writer.
 */
import { LRUCache } from "lru-cache";

/** How many rankings are kept, least recently used first to go. */
export const RANKINGS_KEPT = 256;

export class KeptRankings<T extends object> {
	readonly #kept = new LRUCache<string, T>({ max: RANKINGS_KEPT });
	/** Moves with every `forget`: a ranking begun before an edit is not kept after it. */
	#generation = 0;

	/**
	 * The ranking under `key`: kept, or made by `rank` and then kept when `keepable()` still says
	 * so and nothing was forgotten while it ran.
	 * @example await rankings.get(key, () => rankNow(query), () => !vectorsBehind)
	 */
	async get(key: string, rank: () => Promise<T>, keepable: () => boolean): Promise<T> {
		const kept = this.#kept.get(key);
		if (kept !== undefined) return kept;
		const generation = this.#generation;
		const ranked = await rank();
		if (keepable() && generation === this.#generation) this.#kept.set(key, ranked);
		return ranked;
	}

	/** After an edit or a vector sync: nothing kept is current, nor anything being ranked now. */
	forget(): void {
		this.#kept.clear();
		this.#generation++;
	}
}
