/**
 * Where passage vectors live and how the nearest are found. Two
 * implementations behind one interface:
 * - `SqliteVectorIndex`, in the KnowledgeBase object's own SQLite: exact
 *   cosine over every vector. Held in memory while they fit in
 *   VECTORS_IN_MEMORY_BYTES (8 MB: 20,000 passages of the local embedder's
 *   100 dimensions, 2,700 of bge-base's 768), else read row by row so memory
 *   stays flat. Enough for a help center of up to about 10,000 passages
 *   (with 768 dimensions, about 30 MB of vectors read per query miss; the
 *   KB-search cache keeps repeats off it).
 * - `VectorizeIndex`, Cloudflare Vectorize through its binding, for larger
 *   ones: approximate, and eventually consistent (an upsert is searchable
 *   after a few seconds, not at once).
 * Vectors are keyed by the hash of the text they embed, so an unchanged
 * passage keeps its vector through any edit, and two equal passages share one.
 */
import { dot } from "./embedder";

export interface VectorMatch {
	/** The embedded text's key (its hash). */
	id: string;
	/** Cosine similarity, higher is closer. */
	score: number;
}

/** The knowledge base keeps the list of keys it stored (Vectorize cannot list its own), so an index only stores, finds and removes. */
export interface VectorIndex {
	upsert(vectors: readonly { id: string; values: number[] }[]): Promise<void>;
	/** The `topK` nearest stored vectors to `vector`, nearest first. */
	query(vector: readonly number[], topK: number): Promise<VectorMatch[]>;
	remove(ids: readonly string[]): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS passage_vectors (
	model TEXT NOT NULL,
	id TEXT NOT NULL,
	vector BLOB NOT NULL,
	PRIMARY KEY (model, id)
);
`;

/**
 * Vectors up to this many bytes are kept in memory between queries. Reading them from SQLite row
 * by row was half of a later turn's search: about 1 ms of the knowledge base's 2 per ranking, on
 * the one thread `wrangler dev` runs everything on (issue 19, docs/benchmarks.md).
 */
export const VECTORS_IN_MEMORY_BYTES = 8 * 1024 * 1024;

type StoredVector = { id: string; vector: Float32Array };

/** Exact nearest neighbours in SQLite, one model's vectors at a time. */
export class SqliteVectorIndex implements VectorIndex {
	readonly #sql: SqlStorage;
	readonly #model: string;
	readonly #memoryBytes: number;
	/** This model's vectors as last read (this object is their only writer), or "too big" to hold; re-read after any write. */
	#held: StoredVector[] | "too big" | undefined;

	constructor(sql: SqlStorage, model: string, memoryBytes = VECTORS_IN_MEMORY_BYTES) {
		this.#sql = sql;
		this.#model = model;
		this.#memoryBytes = memoryBytes;
		sql.exec(SCHEMA);
	}

	async upsert(vectors: readonly { id: string; values: number[] }[]): Promise<void> {
		// Dropped before writing: a write that fails halfway must not leave memory ahead of the table.
		this.#held = undefined;
		for (const { id, values } of vectors) {
			this.#sql.exec(
				"INSERT INTO passage_vectors (model, id, vector) VALUES (?, ?, ?) ON CONFLICT (model, id) DO UPDATE SET vector = excluded.vector",
				this.#model,
				id,
				new Float32Array(values).buffer,
			);
		}
	}

	async query(vector: readonly number[], topK: number): Promise<VectorMatch[]> {
		const best: VectorMatch[] = [];
		for (const row of this.#vectors()) {
			const score = dot(vector, row.vector);
			if (best.length === topK && score <= (best.at(-1)?.score ?? -Infinity)) continue;
			best.push({ id: row.id, score });
			best.sort((a, b) => b.score - a.score);
			if (best.length > topK) best.pop();
		}
		return best;
	}

	async remove(ids: readonly string[]): Promise<void> {
		this.#held = undefined;
		for (const id of ids) this.#sql.exec("DELETE FROM passage_vectors WHERE model = ? AND id = ?", this.#model, id);
	}

	/** Every vector of this model: from memory while they fit, else row by row, never all at once. */
	#vectors(): Iterable<StoredVector> {
		if (this.#held === undefined) {
			const bytes = this.#sql
				.exec<{ bytes: number | null }>("SELECT SUM(length(vector)) AS bytes FROM passage_vectors WHERE model = ?", this.#model)
				.one().bytes;
			this.#held = (bytes ?? 0) > this.#memoryBytes ? "too big" : [...this.#read()];
		}
		return this.#held === "too big" ? this.#read() : this.#held;
	}

	*#read(): Generator<StoredVector> {
		for (const row of this.#sql.exec<{ id: string; vector: ArrayBuffer }>(
			"SELECT id, vector FROM passage_vectors WHERE model = ?",
			this.#model,
		)) {
			yield { id: row.id, vector: new Float32Array(row.vector) };
		}
	}
}

/** What this needs of a Vectorize binding (its exact method signatures). */
export type VectorizeBinding = Pick<Vectorize, "query" | "upsert" | "deleteByIds">;

/** Vectorize's limits: 1,000 vectors per upsert or delete from a Worker, 100 results per query without values. */
const BATCH = 1000;
const MAX_TOP_K = 100;

/** Approximate nearest neighbours in Cloudflare Vectorize. */
export class VectorizeIndex implements VectorIndex {
	readonly #binding: VectorizeBinding;

	constructor(binding: VectorizeBinding) {
		this.#binding = binding;
	}

	async upsert(vectors: readonly { id: string; values: number[] }[]): Promise<void> {
		for (let i = 0; i < vectors.length; i += BATCH) {
			await this.#binding.upsert(vectors.slice(i, i + BATCH).map(({ id, values }) => ({ id, values })));
		}
	}

	async query(vector: readonly number[], topK: number): Promise<VectorMatch[]> {
		const { matches } = await this.#binding.query([...vector], {
			topK: Math.min(topK, MAX_TOP_K),
			returnValues: false,
			returnMetadata: "none",
		});
		return matches.map(({ id, score }) => ({ id, score }));
	}

	async remove(ids: readonly string[]): Promise<void> {
		for (let i = 0; i < ids.length; i += BATCH) await this.#binding.deleteByIds(ids.slice(i, i + BATCH));
	}
}
