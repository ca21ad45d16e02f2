/** Knowledge-base search (public) and article administration (admin token) (CONTRACT §5). */
import { Hono } from "hono";
import { HttpProblem, validationProblem } from "../../shared/problem";
import { articleIdSchema, articleInputSchema, kbSearchQuerySchema, popularQuery } from "../../shared/schemas/http";
import type { Article, KbSearch, PopularQuestions } from "../../shared/schemas/responses";
import { knowledgeBase, questionStats } from "../../shared/stubs";
import type { IngressEnv } from "../env";
import { readJson, readQuery } from "../json-body";
import { clientIp, enforceLimit } from "../rate-limit";

function articleId(raw: string): string {
	const parsed = articleIdSchema.safeParse(raw);
	if (!parsed.success) throw validationProblem(parsed.error, "article id");
	return parsed.data;
}

export const kbSearch = new Hono<IngressEnv>();

kbSearch.get("/search", async (c) => {
	const { q, limit } = readQuery(c.req.url, kbSearchQuerySchema);
	await enforceLimit(c.env.KB_SEARCH_LIMITER, clientIp(c.req.raw), "searches from this address");
	return c.json({ results: await knowledgeBase(c.env).search(q, limit) } satisfies KbSearch);
});

/**
 * What many people ask first, for a new chat's suggestions. The statistics keep a question's text
 * only once several distinct sessions asked it (WARM_MIN_SESSIONS), so nobody's private words show.
 */
kbSearch.get("/popular", async (c) => {
	const { limit } = readQuery(c.req.url, popularQuery);
	const top = await c.get("metrics").timeOperation("stats.top", questionStats(c.env).top(limit));
	c.header("Cache-Control", "public, max-age=300");
	return c.json({ questions: top.map((q) => ({ text: asQuestion(q.text) })) } satisfies PopularQuestions);
});

/** A canonical question as people write one: "how do i reset my password" → "How do I reset my password?" */
function asQuestion(canonical: string): string {
	const text = canonical.replace(/\bi\b/g, "I");
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[?.!]$/.test(text) ? "" : "?"}`;
}

export const kbAdmin = new Hono<IngressEnv>();

kbAdmin.put("/:id", async (c) => {
	const id = articleId(c.req.param("id"));
	const input = await readJson(c.req.raw, articleInputSchema);
	const { created, article } = await knowledgeBase(c.env).put({ ...input, id });
	return c.json(article satisfies Article, created ? 201 : 200);
});

kbAdmin.get("/:id", async (c) => {
	const article = await knowledgeBase(c.env).get(articleId(c.req.param("id")));
	if (!article) throw new HttpProblem(404, "No such article.");
	return c.json(article satisfies Article);
});

kbAdmin.delete("/:id", async (c) => {
	const deleted = await knowledgeBase(c.env).delete(articleId(c.req.param("id")));
	if (!deleted) throw new HttpProblem(404, "No such article.");
	return c.body(null, 204);
});
