/**
 * Hybrid ranking (kb/hybrid.ts): the pure fusion of article BM25, passage
 * BM25 and nearest passages, and a paraphrase found only through the dense
 * path: with a fixture embedder that maps a few words to shared concepts, as
 * a real model would place them, over the real sample articles' passages in a
 * real object's SQLite; and with the local word-vector embedder, through the
 * knowledge base's own search.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ftsQuery } from "../../../src/durable/knowledge-base/knowledge-base";
import type { Embedder } from "../../../src/shared/kb/embedder";
import { unit } from "../../../src/shared/kb/embedder";
import { ARTICLE_LIST_WEIGHT, hybridRank, type PassageRow } from "../../../src/shared/kb/hybrid";
import { PassageVectors } from "../../../src/shared/kb/passage-vectors";
import { SqliteVectorIndex } from "../../../src/shared/kb/vector-index";
import { knowledgeBase } from "../../../src/shared/stubs";

const row = (article: string, ord: number, heading: string | null = null): PassageRow => ({
	article_id: article,
	ord,
	heading,
	anchor: heading ? heading.toLowerCase().replaceAll(" ", "-") : null,
	body: `${article} passage ${ord}`,
	title: article.toUpperCase(),
	url: `https://help.example/${article}`,
});

describe("hybridRank", () => {
	it("orders articles by the fused ranks and grounds each on its best passages, in article order", () => {
		const sources = hybridRank({
			articles: [
				{ id: "a", score: 9 },
				{ id: "b", score: 8 },
			],
			lexical: [row("b", 2, "Steps"), row("a", 0), row("b", 0), row("b", 1)],
			dense: [],
			denseWeight: 1,
			limit: 2,
			passagesPerArticle: 2,
		});
		// a: article rank 1 + passage rank 2; b: article rank 2 + passage rank 1. The passage list counts
		// more (ARTICLE_LIST_WEIGHT), so b leads; each keeps its own BM25 score.
		expect(ARTICLE_LIST_WEIGHT).toBeLessThan(1);
		expect(sources.map((s) => [s.id, s.score, s.url])).toEqual([
			["b", 8, "https://help.example/b#steps"],
			["a", 9, "https://help.example/a"],
		]);
		// b's two best passages (2, then 0), put back in article order under their headings.
		expect(sources[0]?.body).toBe("b passage 0\n\n## Steps\n\nb passage 2");
	});

	it("admits an article found only by the dense path, without a BM25 score, and weighs that path as told", () => {
		const input = {
			articles: [{ id: "a", score: 3 }],
			lexical: [row("a", 0)],
			dense: [row("c", 1), row("a", 0)],
			limit: 3,
			passagesPerArticle: 1,
		};
		expect(hybridRank({ ...input, denseWeight: 1 }).map((s) => [s.id, s.score])).toEqual([
			["a", 3],
			["c", undefined],
		]);
		expect(hybridRank({ ...input, denseWeight: 0 }).map((s) => s.id)).toEqual(["a", "c"]);
	});
});

/**
 * Words a real model would place together, as concepts, counted; every other word adds a little to
 * a last dimension, so a passage mostly about a concept is nearer it than one that mentions it once.
 */
const CONCEPTS: Record<string, number> = { refund: 0, refunds: 0, refunded: 0, refundable: 0, reimburse: 0, password: 1, slack: 2 };
const fixtureEmbedder: Embedder = {
	model: "fixture/concepts-v1",
	dimensions: 4,
	fusionWeight: 1,
	minSimilarity: 0.5,
	cacheable: false,
	embed: async (texts) =>
		texts.map((text) => {
			const vector = [0, 0, 0, 0];
			for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
				const concept = CONCEPTS[word] ?? 3;
				vector[concept] = (vector[concept] ?? 0) + (concept === 3 ? 0.05 : 1);
			}
			return unit(vector);
		}),
};

it("finds through the dense path a paraphrase that shares no word with its article", async () => {
	const question = "will you reimburse us";
	const stub = env.KNOWLEDGE_BASE.get(env.KNOWLEDGE_BASE.idFromName("hybrid-paraphrase-test"));
	await runInDurableObject(stub, async (_kb, state) => {
		const sql = state.storage.sql;
		const vectors = new PassageVectors(sql, fixtureEmbedder, new SqliteVectorIndex(sql, fixtureEmbedder.model), {
			get: async () => undefined,
			set: async () => undefined,
		});
		expect(await vectors.sync()).toBeGreaterThan(50);
		// Lexically nothing: "reimburse" is in no article.
		const match = ftsQuery(question) ?? "";
		expect(sql.exec("SELECT 1 FROM passages_fts WHERE passages_fts MATCH ?", match).toArray()).toEqual([]);
		const dense = (await vectors.nearest(question, 8)).flatMap(({ id }) =>
			sql
				.exec<PassageRow>(
					"SELECT p.article_id, p.ord, p.heading, p.anchor, p.body, a.title, a.url FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.text_hash = ?",
					id,
				)
				.toArray(),
		);
		const sources = hybridRank({ articles: [], lexical: [], dense, denseWeight: 1, limit: 3, passagesPerArticle: 2 });
		// Every article offered is grounded on passages about refunds, and the help center's refund articles are among them.
		expect(sources.length).toBeGreaterThan(0);
		expect(sources.every((s) => /refund/i.test(s.body))).toBe(true);
		expect(sources.map((s) => s.id).some((id) => ["refund-policy", "request-refund"].includes(id))).toBe(true);
		// A second sync embeds nothing: every passage text already has its vector.
		expect(await vectors.sync()).toBe(0);
	});
});

it("finds a paraphrase through the dense path with the local word-vector embedder too", async () => {
	const kb = knowledgeBase(env);
	const question = "my money back please";
	// BM25 alone: none of the refund articles.
	const lexical = (await kb.search(question, 3)).map((hit) => hit.id);
	expect(lexical).not.toContain("refund-policy");
	expect(lexical).not.toContain("request-refund");
	// Fused with the nearest passages by meaning: the refund policy first.
	expect((await kb.retrieve(question, 3))[0]?.id).toBe("refund-policy");
});

it("reads a large candidate list's nearest passages within SQL's limit of 100 bound parameters", async () => {
	// 20 articles, 8 candidates each: 160 nearest passages to read back.
	const sources = await knowledgeBase(env).retrieve("how do I change my billing and plan settings", 20);
	expect(sources.length).toBeGreaterThan(10);
});

it("keeps a clear BM25 leader first, whatever the dense list says", () => {
	const input = {
		articles: [
			{ id: "zorb", score: 9 },
			{ id: "refunds", score: 2 },
		],
		lexical: [row("zorb", 0), row("refunds", 0)],
		dense: [row("refunds", 0), row("refunds", 1), row("other", 0)],
		denseWeight: 1,
		limit: 3,
		passagesPerArticle: 1,
	};
	// Fused by rank alone, the dense list's agreement lifts the refund article over the clear leader.
	expect(hybridRank(input).map((s) => s.id)[0]).toBe("refunds");
	expect(hybridRank({ ...input, leader: "zorb" }).map((s) => s.id)).toEqual(["zorb", "refunds", "other"]);
});

it("ranks the conversation's article as a list of its own, when the question's words find it", () => {
	const input = {
		articles: [
			{ id: "members", score: 5 },
			{ id: "audit", score: 4.8 },
		],
		lexical: [row("members", 0), row("audit", 0)],
		dense: [row("members", 0), row("audit", 0)],
		denseWeight: 0.5,
		limit: 2,
		passagesPerArticle: 1,
	};
	expect(hybridRank(input).map((s) => s.id)).toEqual(["members", "audit"]);
	expect(hybridRank({ ...input, prior: "audit" }).map((s) => s.id)).toEqual(["audit", "members"]);
	// Found by no list of words, it is not brought in.
	expect(hybridRank({ ...input, prior: "taxes" }).map((s) => s.id)).toEqual(["members", "audit"]);
});
