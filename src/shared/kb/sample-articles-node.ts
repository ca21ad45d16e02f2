/**
 * The sample knowledge base for Node (the bench and the Node tests), which
 * cannot import .md files: the same files, in the same order, through the same
 * parser as sample-articles.ts, read with node:fs. Node-only: nothing in the
 * Worker imports this module, so it never reaches the bundle. (Not named
 * `.node.ts`: tsx takes `.node` for a native addon's extension and would not
 * find the file.)
 */
import { readFileSync } from "node:fs";
import { SAMPLE_ARTICLE_FILES } from "./article-files";
import { parseArticles, type SampleArticle } from "./front-matter";

export type { SampleArticle } from "./front-matter";

/** The folder holding the article files. */
export const SAMPLE_ARTICLES_DIR = new URL("./articles/", import.meta.url);

export const sampleArticles: readonly SampleArticle[] = parseArticles(
	SAMPLE_ARTICLE_FILES.map((file) => [file, readFileSync(new URL(file, SAMPLE_ARTICLES_DIR), "utf8")]),
);
