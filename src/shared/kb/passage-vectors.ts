/**
 * The dense half of the knowledge base's search: a vector for every distinct
 * passage text, and the passages nearest a query. Vectors are keyed by the
 * SHA-256 of the text they embed, so `sync` after an edit embeds only the
 * passages whose text is new and drops the vectors no passage uses any more.
 * Every embedding by a remote model, of a passage or of a query, goes through
 * the cache (kind `embedding`, a week), keyed by model and text: a passage
 * restored to an earlier wording, or a query asked again, costs no model call.
 */
import { cacheKey } from "../cache";
import type { CacheKind } from "../cache/kinds";
import type { Embedder } from "./embedder";
import type { VectorIndex, VectorMatch } from "./vector-index";

/** What this needs of the multi-level cache. */
export interface EmbeddingCache {
	get(key: string, kind: CacheKind): Promise<string | undefined>;
	set(key: string, kind: CacheKind, value: string): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS embedded (model TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (model, id));
`;

export class PassageVectors {
	readonly #sql: SqlStorage;
	readonly #embedder: Embedder;
	readonly #index: VectorIndex;
	readonly #cache: EmbeddingCache;

	constructor(sql: SqlStorage, embedder: Embedder, index: VectorIndex, cache: EmbeddingCache) {
		this.#sql = sql;
		this.#embedder = embedder;
		this.#index = index;
		this.#cache = cache;
		sql.exec(SCHEMA);
	}

	get model(): string {
		return this.#embedder.model;
	}

	/** How much the nearest-vector list counts in fusion against the BM25 list (Embedder.fusionWeight). */
	get fusionWeight(): number {
		return this.#embedder.fusionWeight;
	}

	/** Embeds the passage texts that have no vector yet and removes the vectors no passage uses; returns how many it embedded. */
	async sync(): Promise<number> {
		const model = this.#embedder.model;
		const texts = new Map(
			this.#sql
				.exec<{ text_hash: string; body: string }>("SELECT text_hash, body FROM passages GROUP BY text_hash")
				.toArray()
				.map((r) => [r.text_hash, r.body]),
		);
		const stored = new Set(
			this.#sql
				.exec<{ id: string }>("SELECT id FROM embedded WHERE model = ?", model)
				.toArray()
				.map((r) => r.id),
		);
		const missing = [...texts].filter(([hash]) => !stored.has(hash));
		if (missing.length) {
			const vectors = await this.embed(missing.map(([, body]) => body));
			await this.#index.upsert(missing.map(([hash], i) => ({ id: hash, values: vectors[i] ?? [] })));
			for (const [hash] of missing) this.#sql.exec("INSERT OR IGNORE INTO embedded (model, id) VALUES (?, ?)", model, hash);
		}
		const gone = [...stored].filter((hash) => !texts.has(hash));
		if (gone.length) {
			await this.#index.remove(gone);
			for (const hash of gone) this.#sql.exec("DELETE FROM embedded WHERE model = ? AND id = ?", model, hash);
		}
		return missing.length;
	}

	/** The passage texts nearest `query`, nearest first, by their keys; only those at least `minSimilarity` near. */
	async nearest(query: string, topK: number): Promise<VectorMatch[]> {
		const [vector] = await this.embed([query]);
		if (!vector) return [];
		return (await this.#index.query(vector, topK)).filter((match) => match.score >= this.#embedder.minSimilarity);
	}

	/** Embeddings of `texts`, from the cache where it has them and from the model in one batch for the rest. */
	async embed(texts: readonly string[]): Promise<number[][]> {
		if (!this.#embedder.cacheable) return this.#embedder.embed(texts);
		const model = this.#embedder.model;
		const keys = await Promise.all(texts.map((text) => cacheKey("embedding", { model, text })));
		const cached = await Promise.all(keys.map((key) => this.#cache.get(key, "embedding")));
		const out: (number[] | undefined)[] = cached.map((raw) => (raw === undefined ? undefined : readVector(raw, this.#embedder.dimensions)));
		const todo = out.flatMap((vector, i) => (vector === undefined ? [i] : []));
		if (todo.length) {
			const fresh = await this.#embedder.embed(todo.map((i) => texts[i] ?? ""));
			await Promise.all(
				todo.map(async (i, n) => {
					const vector = fresh[n] ?? [];
					out[i] = vector;
					const key = keys[i];
					if (key) await this.#cache.set(key, "embedding", JSON.stringify(vector));
				}),
			);
		}
		return out.map((vector) => vector ?? []);
	}
}

/** A cached vector, or undefined when it is not one of this model's (then it is embedded again). */
function readVector(raw: string, dimensions: number): number[] | undefined {
	try {
		const parsed: unknown = JSON.parse(raw);
		return Array.isArray(parsed) && parsed.length === dimensions && parsed.every((x) => typeof x === "number") ? parsed : undefined;
	} catch {
		return undefined;
	}
}
