/**
 * KnowledgeBase: the help-center articles in SQLite with an FTS5 index
 * (porter stemming, BM25 ranking). One instance serves the whole product;
 * the shipped sample articles are loaded the first time it starts.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Source } from "../../shared/ai/provider";
import { createCache } from "../../shared/cache";
import { describeError } from "../../shared/errors";
import { fnv1a } from "../../shared/hash";
import { bundledWordVectors } from "../../shared/kb/bundled-word-vectors";
import { workersAiEmbedder } from "../../shared/kb/embedder";
import { hybridRank, type PassageRow } from "../../shared/kb/hybrid";
import { KeptRankings } from "../../shared/kb/kept-rankings";
import { PassageVectors } from "../../shared/kb/passage-vectors";
import { splitArticle } from "../../shared/kb/passages";
import { FAIR_SCORE, type Ranked, type RankedAt, refinedRetrieval } from "../../shared/kb/refined-retrieval";
import { sampleArticles } from "../../shared/kb/sample-articles";
import { SqliteVectorIndex, type VectorizeBinding, VectorizeIndex } from "../../shared/kb/vector-index";
import { KB_EDIT_SETTLE_MS } from "../../shared/kb/version-lease";
import { wordVectorEmbedder } from "../../shared/kb/word-vector-embedder";
import { type Article, type ArticleWrite, articleWriteSchema, type SearchHit } from "../../shared/schemas/kb";
import { keywords } from "../../shared/text/terms";
import type { Refine } from "../../shared/turn/conversational-query";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS articles (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	url TEXT,
	tags TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(id UNINDEXED, title, body, tags, tokenize = 'porter unicode61');
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
	article_id TEXT NOT NULL,
	ord INTEGER NOT NULL,
	heading TEXT,
	anchor TEXT,
	body TEXT NOT NULL,
	text_hash TEXT NOT NULL,
	PRIMARY KEY (article_id, ord)
);
CREATE INDEX IF NOT EXISTS passages_by_text ON passages (text_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(article_id UNINDEXED, ord UNINDEXED, title, heading, body, tags, tokenize = 'porter unicode61');
`;

// Title matches count most, then tags, then the body (bm25 weights per column; id is unindexed).
const RANK = "bm25(articles_fts, 0.0, 8.0, 1.0, 3.0)";
// The same for passages, whose section heading counts between the title and the body.
const PASSAGE_RANK = "bm25(passages_fts, 0.0, 0.0, 8.0, 2.0, 1.0, 3.0)";

/** How many of an article's passages ground a reply: its best-matching ones, in article order. */
const PASSAGES_PER_ARTICLE = 4;
/** Passage hits read per article wanted: enough for the best articles' passages after grouping. */
const HITS_PER_ARTICLE = 8;
/** Durable Object SQL binds at most 100 parameters per statement. */
const MAX_BOUND = 100;

/** How much a boosted article's score counts (KnowledgeBase.retrieve). */
export const BOOST = 1.3;

/** How far ahead BM25's top article must be for rank fusion not to move it (clearLead). */
const LEADER_LEAD = 2;

/**
 * A top article well ahead of the next by BM25, as a word only it has puts it. A strong score alone
 * is not enough here: a chatty question's common words give several articles strong scores.
 */
function clearLead(hits: readonly { score?: number }[]): boolean {
	const top = hits[0]?.score ?? 0;
	return top >= FAIR_SCORE && top >= LEADER_LEAD * (hits[1]?.score ?? 0);
}

type ArticleRow = { id: string; title: string; body: string; url: string | null; tags: string; updated_at: string };

export class KnowledgeBase extends DurableObject<Env> {
	readonly #sql: SqlStorage;
	readonly #vectors: PassageVectors;
	/** Set when embedding failed (the model was unreachable): the next search tries again first. */
	#vectorsBehind = false;
	/** Rankings by query, limit, boost and prior (kept-rankings.ts). */
	readonly #rankings = new KeptRankings<Ranked>();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
		this.#vectors = passageVectors(this.#sql, env);
		const seeded = this.#sql.exec("SELECT 1 FROM meta WHERE key = 'seeded'").toArray().length > 0;
		if (!seeded) {
			ctx.storage.transactionSync(() => {
				for (const article of sampleArticles) this.#write({ ...article, tags: [...article.tags] });
				this.#sql.exec("INSERT INTO meta (key, value) VALUES ('seeded', ?)", new Date().toISOString());
				this.#sql.exec("INSERT INTO meta (key, value) VALUES ('passages', '1')");
			});
		}
		// A knowledge base from before passages: index its articles' passages once, and say so in the version.
		if (this.#sql.exec("SELECT 1 FROM meta WHERE key = 'passages'").toArray().length === 0) {
			ctx.storage.transactionSync(() => {
				for (const row of this.#sql.exec<ArticleRow>("SELECT id, title, body, url, tags, updated_at FROM articles").toArray()) {
					this.#writePassages(toArticle(row));
				}
				this.#sql.exec("INSERT INTO meta (key, value) VALUES ('passages', '1')");
				this.#bumpVersion();
			});
		}
		void ctx.blockConcurrencyWhile(() => this.#syncVectors());
	}

	/** Brings the passage vectors up to date with the passages; a failure leaves the lexical search whole and is retried. */
	async #syncVectors(): Promise<void> {
		try {
			await this.#vectors.sync();
			this.#rankings.forget();
			this.#vectorsBehind = false;
		} catch (error) {
			this.#vectorsBehind = true;
			console.error(JSON.stringify({ event: "kb_embedding_failed", model: this.#vectors.model, error: describeError(error) }));
		}
	}

	/** Full-text search, best first. */
	search(query: string, limit: number): SearchHit[] {
		const match = ftsQuery(query);
		if (!match) return [];
		return this.#sql
			.exec<{ id: string; title: string; snippet: string; rank: number }>(
				`SELECT id, title, snippet(articles_fts, 2, '', '', '…', 24) AS snippet, ${RANK} AS rank
				 FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?`,
				match,
				limit,
			)
			.toArray()
			.map((r) => ({ id: r.id, title: r.title, snippet: r.snippet, score: Math.round(-r.rank * 1000) / 1000 }));
	}

	/**
	 * The knowledge base's version: it grows with every edit, so a cache key
	 * that includes it can never serve an answer grounded on an older article.
	 * Read here, from the single writer, it is never stale.
	 */
	version(): number {
		const row = this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'version'").toArray()[0];
		return row ? Number(row.value) : 0;
	}

	/** The articles to ground a reply on, with the version they belong to, in one round trip. */
	async lookup(query: string, limit: number, refine: Refine = {}): Promise<{ version: number; sources: Source[] }> {
		const version = this.version();
		return { version, sources: await this.retrieve(query, limit, refine) };
	}

	/** The best articles for a question, refined by its conversation (kb/refined-retrieval.ts), each with the passages to ground a reply on and its score. */
	async retrieve(query: string, limit: number, refine: Refine = {}): Promise<Source[]> {
		if (this.#vectorsBehind) await this.#syncVectors();
		return refinedRetrieval((q, l, boost, prior) => this.#rank(q, l, boost, prior), query, limit, refine);
	}

	/**
	 * One ranking (kb/refined-retrieval.ts), for an isolate that refines a turn's search itself over the
	 * rankings it holds (turn/kb-search-store.ts); with the version it belongs to, and whether it may be
	 * kept (not while the vectors are behind: it lacks its dense list until they catch up).
	 */
	async rank(query: string, limit: number, boost: readonly string[] = [], prior?: string): Promise<RankedAt> {
		if (this.#vectorsBehind) await this.#syncVectors();
		const version = this.version();
		const ranked = await this.#rank(query, limit, boost, prior);
		return { version, ranked, keepable: !this.#vectorsBehind };
	}

	/** `#rankNow`'s ranking, kept between lookups until an edit (kept-rankings.ts). */
	async #rank(query: string, limit: number, boost: readonly string[], prior?: string): Promise<Ranked> {
		return this.#rankings.get(
			JSON.stringify([query, limit, boost, prior ?? null]),
			() => this.#rankNow(query, limit, boost, prior),
			// Not while the vectors are behind: the ranking lacks its dense list until they catch up.
			() => !this.#vectorsBehind,
		);
	}

	/**
	 * The best articles for `query` and the passages to ground a reply on (kb/hybrid.ts): BM25 over
	 * articles and over passages, and the nearest passages by embedding, fused by reciprocal rank. A
	 * boosted article has its BM25 scores multiplied by BOOST first, where ratios mean something ("a
	 * near tie"), before ranks are fused.
	 */
	async #rankNow(query: string, limit: number, boost: readonly string[], prior?: string): Promise<Ranked> {
		const match = ftsQuery(query);
		if (!match) return { sources: [], unanimous: false };
		const candidates = (Math.max(limit, 2) + boost.length) * HITS_PER_ARTICLE;
		const weight = (articleId: string) => (boost.includes(articleId) ? BOOST : 1);
		const articles = this.#sql
			.exec<{ id: string; rank: number }>(
				`SELECT id, ${RANK} AS rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?`,
				match,
				candidates,
			)
			.toArray()
			.map((r) => ({ id: r.id, score: -r.rank * weight(r.id) }))
			.sort((a, b) => b.score - a.score);
		const lexical = this.#sql
			.exec<PassageRow & { rank: number }>(
				`SELECT p.article_id, p.ord, p.heading, p.anchor, p.body, a.title, a.url, ${PASSAGE_RANK} AS rank
				 FROM passages_fts f JOIN passages p ON p.article_id = f.article_id AND p.ord = f.ord JOIN articles a ON a.id = p.article_id
				 WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?`,
				match,
				candidates,
			)
			.toArray()
			.sort((a, b) => a.rank * weight(a.article_id) - b.rank * weight(b.article_id));
		const denseWeight = this.#vectors.fusionWeight;
		const dense = await this.#nearestPassages(query, candidates);
		// Fusion by rank ignores margins: a word only one article has ("a Zorb refund") must not lose that article
		// the first place to passages merely near the question's other words.
		const leader = clearLead(articles) ? articles[0]?.id : undefined;
		const sources = hybridRank({ articles, lexical, dense, denseWeight, limit, passagesPerArticle: PASSAGES_PER_ARTICLE, leader, prior });
		const top = sources[0]?.id;
		const unanimous = top !== undefined && articles[0]?.id === top && lexical[0]?.article_id === top && dense[0]?.article_id === top;
		return { sources, unanimous };
	}

	/** The passages whose text is nearest `query`'s, nearest first (none while the vectors cannot be read). */
	async #nearestPassages(query: string, topK: number): Promise<PassageRow[]> {
		let matches: { id: string }[];
		try {
			matches = await this.#vectors.nearest(query, topK);
		} catch (error) {
			console.error(JSON.stringify({ event: "kb_dense_search_failed", model: this.#vectors.model, error: describeError(error) }));
			return [];
		}
		// One statement per 100 matches (the bound-parameter limit) instead of one per match.
		const rows: (PassageRow & { text_hash: string })[] = [];
		for (let i = 0; i < matches.length; i += MAX_BOUND) {
			const ids = matches.slice(i, i + MAX_BOUND).map(({ id }) => id);
			rows.push(
				...this.#sql
					.exec<PassageRow & { text_hash: string }>(
						`SELECT p.article_id, p.ord, p.heading, p.anchor, p.body, a.title, a.url, p.text_hash
						 FROM passages p JOIN articles a ON a.id = p.article_id
						 WHERE p.text_hash IN (${ids.map(() => "?").join(", ")}) ORDER BY p.article_id, p.ord`,
						...ids,
					)
					.toArray(),
			);
		}
		// Back in the order of nearness.
		const byText = Map.groupBy(rows, (row) => row.text_hash);
		return matches.flatMap(({ id }) => (byText.get(id) ?? []).map(({ text_hash: _, ...row }) => row));
	}

	get(id: string): Article | null {
		const row = this.#sql.exec<ArticleRow>("SELECT id, title, body, url, tags, updated_at FROM articles WHERE id = ?", id).toArray()[0];
		return row ? toArticle(row) : null;
	}

	/** Creates or replaces an article; says which, once every isolate's version lease from before it has run out. */
	async put(input: ArticleWrite): Promise<{ created: boolean; article: Article }> {
		const article = articleWriteSchema.parse(input);
		let created = false;
		this.ctx.storage.transactionSync(() => {
			created = this.#sql.exec("SELECT 1 FROM articles WHERE id = ?", article.id).toArray().length === 0;
			this.#write(article);
		});
		const stored = this.get(article.id);
		if (!stored) throw new Error("article vanished after write");
		await this.#syncVectors();
		await settled();
		return { created, article: stored };
	}

	/** Deletes an article; returns (once every version lease from before it has run out) whether it existed. */
	async delete(id: string): Promise<boolean> {
		let existed = false;
		this.ctx.storage.transactionSync(() => {
			existed = this.#sql.exec("SELECT 1 FROM articles WHERE id = ?", id).toArray().length > 0;
			this.#sql.exec("DELETE FROM articles WHERE id = ?", id);
			this.#sql.exec("DELETE FROM articles_fts WHERE id = ?", id);
			this.#deletePassages(id);
			if (existed) this.#bumpVersion();
		});
		if (existed) {
			await this.#syncVectors();
			await settled();
		}
		return existed;
	}

	#bumpVersion(): void {
		this.#rankings.forget();
		this.#sql.exec(
			"INSERT INTO meta (key, value) VALUES ('version', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
		);
	}

	/** A cheap query for health checks. */
	count(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM articles").one().n;
	}

	#write(article: ArticleWrite): void {
		const tags = JSON.stringify(article.tags ?? []);
		this.#sql.exec(
			"INSERT INTO articles (id, title, body, url, tags, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, body = excluded.body, url = excluded.url, tags = excluded.tags, updated_at = excluded.updated_at",
			article.id,
			article.title,
			article.body,
			article.url ?? null,
			tags,
			new Date().toISOString(),
		);
		this.#sql.exec("DELETE FROM articles_fts WHERE id = ?", article.id);
		this.#bumpVersion();
		this.#sql.exec(
			"INSERT INTO articles_fts (id, title, body, tags) VALUES (?, ?, ?, ?)",
			article.id,
			article.title,
			article.body,
			(article.tags ?? []).join(" "),
		);
		this.#writePassages(article);
	}

	/** Replaces an article's passages, and their index, with its current ones. */
	#writePassages(article: ArticleWrite): void {
		this.#deletePassages(article.id);
		const tags = (article.tags ?? []).join(" ");
		for (const passage of splitArticle(article.body)) {
			this.#sql.exec(
				"INSERT INTO passages (article_id, ord, heading, anchor, body, text_hash) VALUES (?, ?, ?, ?, ?, ?)",
				article.id,
				passage.order,
				passage.heading,
				passage.anchor,
				passage.text,
				textKey(passage.text),
			);
			this.#sql.exec(
				"INSERT INTO passages_fts (article_id, ord, title, heading, body, tags) VALUES (?, ?, ?, ?, ?, ?)",
				article.id,
				passage.order,
				article.title,
				passage.heading ?? "",
				passage.text,
				tags,
			);
		}
	}

	#deletePassages(articleId: string): void {
		this.#sql.exec("DELETE FROM passages WHERE article_id = ?", articleId);
		this.#sql.exec("DELETE FROM passages_fts WHERE article_id = ?", articleId);
	}
}

/**
 * An FTS5 MATCH expression: the question's keywords, each quoted (so no
 * user text is ever parsed as FTS syntax), joined with OR; BM25 ranks
 * articles matching more and rarer words first.
 */
export function ftsQuery(text: string): string | undefined {
	const words = keywords(text).slice(0, 32);
	return words.length ? words.map((w) => `"${w.replaceAll('"', "")}"`).join(" OR ") : undefined;
}

/** Built once, not per row read. */
const tagsSchema = z.array(z.string()).catch([]);

function toArticle(row: ArticleRow): Article {
	const article: Article = {
		id: row.id,
		title: row.title,
		body: row.body,
		tags: tagsSchema.parse(JSON.parse(row.tags)),
		updatedAt: row.updated_at,
	};
	if (row.url) article.url = row.url;
	return article;
}

/**
 * An edit returns only after KB_EDIT_SETTLE_MS: isolates use a version they read for up to
 * KB_VERSION_LEASE_MS from when they asked (kb-search-store.ts), so by then none still uses one
 * from before the edit, and the next turn anywhere sees it. The object keeps serving meanwhile.
 */
function settled(): Promise<void> {
	return scheduler.wait(KB_EDIT_SETTLE_MS);
}

/**
 * The embedder and vector index this deployment uses: Workers AI's bge-base with the Workers AI
 * provider, GloVe word vectors otherwise (kb/word-vector-embedder.ts); Vectorize when a `VECTORS`
 * binding is configured (docs/deploying.md), the object's own SQLite otherwise.
 */
function passageVectors(sql: SqlStorage, env: Env): PassageVectors {
	// The variable itself, not configOf: a configuration error (say, secrets not set yet) must not break the articles.
	const embedder = env.AI_PROVIDER === "workers-ai" ? workersAiEmbedder(env.AI) : wordVectorEmbedder(bundledWordVectors());
	const vectorize = (env as Env & { VECTORS?: VectorizeBinding }).VECTORS;
	const index = vectorize ? new VectorizeIndex(vectorize) : new SqliteVectorIndex(sql, embedder.model);
	return new PassageVectors(sql, embedder, index, createCache(env));
}

/** A passage text's key: two 32-bit FNV-1a hashes, computed inside the write's transaction (which cannot await SHA-256). */
function textKey(text: string): string {
	return `${fnv1a(text).toString(16).padStart(8, "0")}${fnv1a(text, 0x01000193).toString(16).padStart(8, "0")}`;
}
