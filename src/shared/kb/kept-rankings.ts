/**
 * The newest knowledge-base rankings, kept as objects between lookups: in the
 * knowledge base itself (forgotten by every edit and vector sync, which it
 * alone makes) and in each isolate that runs turns (held by version:
 * turn/kb-search-store.ts). A later turn's own words are ranked alone (a
 * standalone question after another: kb/refined-retrieval.ts's `ifUnsure`),
 * so the same popular question ranks once however many conversations ask it,
 * where a key over the whole conversation would miss (issue 19: a ranking is
 * about 2 ms of the one knowledge-base object's thread, and a round trip to
 * it is more). Values are shared between callers: keep them immutable.
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
