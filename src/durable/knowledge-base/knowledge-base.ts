/**
 * KnowledgeBase: the help-center articles in SQLite with an FTS5 index
 * (porter stemming, BM25 ranking). One instance serves the whole product;
 * the shipped sample articles are loaded the first time it starts.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Source } from "../../shared/ai/provider";
import { sampleArticles } from "../../shared/kb/sample-articles";
import { KB_EDIT_SETTLE_MS } from "../../shared/kb/version-lease";
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
`;

// Title matches count most, then tags, then the body (bm25 weights per column; id is unindexed).
const RANK = "bm25(articles_fts, 0.0, 8.0, 1.0, 3.0)";

/** How much a boosted article's score counts (KnowledgeBase.retrieve). */
export const BOOST = 1.3;

/** A top article found clearly: a strong BM25 score, or a fair one well ahead of the next. */
const CLEAR_SCORE = 6;
const FAIR_SCORE = 4;
const CLEAR_LEAD = 1.5;

function clearWinner(hits: readonly Source[]): boolean {
	const top = hits[0]?.score ?? 0;
	const next = hits[1]?.score ?? 0;
	return top >= CLEAR_SCORE || (top >= FAIR_SCORE && top >= CLEAR_LEAD * next);
}

type ArticleRow = { id: string; title: string; body: string; url: string | null; tags: string; updated_at: string };

export class KnowledgeBase extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
		const seeded = this.#sql.exec("SELECT 1 FROM meta WHERE key = 'seeded'").toArray().length > 0;
		if (!seeded) {
			ctx.storage.transactionSync(() => {
				for (const article of sampleArticles) this.#write({ ...article, tags: [...article.tags] });
				this.#sql.exec("INSERT INTO meta (key, value) VALUES ('seeded', ?)", new Date().toISOString());
			});
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
	lookup(query: string, limit: number, refine: Refine = {}): { version: number; sources: Source[] } {
		return { version: this.version(), sources: this.retrieve(query, limit, refine) };
	}

	/**
	 * The best articles for a question, whole, to ground a reply on, each with its score (as
	 * `search` gives it). With `ifUnsure`, that query is searched instead when `query` finds no
	 * article clearly (a later turn whose own words name too little: turn/conversational-query.ts).
	 * Articles in `boost` (the ones the previous reply cited) have their score multiplied by BOOST
	 * in a search with the conversation, so they win near-ties but not clear losses.
	 */
	retrieve(query: string, limit: number, { boost = [], ifUnsure }: Refine = {}): Source[] {
		if (ifUnsure === undefined) return this.#rank(query, limit, boost);
		const own = this.#rank(query, limit, []);
		return clearWinner(own) ? own : this.#rank(ifUnsure, limit, boost);
	}

	#rank(query: string, limit: number, boost: readonly string[]): Source[] {
		const match = ftsQuery(query);
		if (!match) return [];
		return this.#sql
			.exec<ArticleRow & { rank: number }>(
				`SELECT a.id, a.title, a.body, a.url, a.tags, a.updated_at, ${RANK} AS rank FROM articles_fts f JOIN articles a ON a.id = f.id
				 WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?`,
				match,
				Math.max(limit, 2) + boost.length,
			)
			.toArray()
			.map((r) => {
				const score = -r.rank * (boost.includes(r.id) ? BOOST : 1);
				const source: Source = { id: r.id, title: r.title, body: r.body, score: Math.round(score * 1000) / 1000 };
				if (r.url) source.url = r.url;
				return source;
			})
			.sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
			.slice(0, limit);
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
			if (existed) this.#bumpVersion();
		});
		if (existed) await settled();
		return existed;
	}

	#bumpVersion(): void {
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
