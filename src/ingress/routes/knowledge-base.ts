/** Knowledge-base search (public) and article administration (admin token) (CONTRACT §5). */
import { Hono } from "hono";
import { HttpProblem, validationProblem } from "../../shared/problem";
import { articleIdSchema, articleInputSchema, kbSearchQuerySchema } from "../../shared/schemas/http";
import type { Article, KbSearch } from "../../shared/schemas/responses";
import { knowledgeBase } from "../../shared/stubs";
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
