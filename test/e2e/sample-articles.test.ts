/**
 * The sample articles' folder against their index, in Node because it needs
 * the file system: the Worker sees only the files the index imports, so a
 * Markdown file left out of it would silently never be seeded.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SAMPLE_ARTICLE_FILES } from "../../src/shared/kb/article-files";
import { SAMPLE_ARTICLES_DIR, sampleArticles } from "../../src/shared/kb/sample-articles-node";

describe("sample articles", () => {
	it("lists every file of the articles folder in the index, and nothing else", () => {
		const files = readdirSync(SAMPLE_ARTICLES_DIR).sort();
		expect(files.length).toBeGreaterThan(0);
		expect([...SAMPLE_ARTICLE_FILES].sort()).toEqual(files);
	});

	it("loads every listed file in Node, in the index's order", () => {
		expect(sampleArticles.map((article) => `${article.id}.md`)).toEqual([...SAMPLE_ARTICLE_FILES]);
	});
});
