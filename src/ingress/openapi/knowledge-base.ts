/** The OpenAPI description of routes/knowledge-base.ts: search (public) and article administration (CONTRACT §5). */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { articleIdSchema, articleInputSchema, kbSearchQuerySchema, popularQuery } from "../../shared/schemas/http";
import { articleSchema, kbSearchSchema, popularQuestionsSchema } from "../../shared/schemas/responses";
import { empty, json, problems, SECURITY } from "./responses";

const articleParams = z.object({ id: articleIdSchema.describe("The article id, chosen by the operator.") });

/** What every article route can refuse: a malformed id or a wrong admin token. */
const ADMIN_PROBLEMS = {
	400: "The article id failed validation.",
	401: "An admin token is required.",
	429: "Too many failed admin attempts from this address; retry after 60 seconds.",
} as const;

export function describeKnowledgeBaseRoutes(registry: OpenAPIRegistry): void {
	registry.registerPath({
		method: "get",
		path: "/api/kb/search",
		operationId: "searchKnowledgeBase",
		tags: ["Knowledge base"],
		summary: "Search the knowledge base",
		description: "Full-text search over the articles, best match first.",
		security: SECURITY.public,
		request: { query: kbSearchQuerySchema },
		responses: {
			200: json(kbSearchSchema, "The matching articles, best first."),
			...problems({ 400: "The query string failed validation.", 429: "Too many searches from this address; retry after 60 seconds." }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/kb/popular",
		operationId: "popularQuestions",
		tags: ["Knowledge base"],
		summary: "Popular first questions",
		description:
			"What many users asked first, most asked first: the widget offers them as buttons in a new chat. A question appears only once several distinct sessions asked it.",
		security: SECURITY.public,
		request: { query: popularQuery },
		responses: {
			200: json(popularQuestionsSchema, "The questions; empty until enough sessions have asked."),
			...problems({ 400: "The query string failed validation." }),
		},
	});

	registry.registerPath({
		method: "put",
		path: "/api/admin/kb/articles/{id}",
		operationId: "putArticle",
		tags: ["Knowledge base"],
		summary: "Create or replace an article",
		security: SECURITY.admin,
		request: { params: articleParams, body: { required: true, content: { "application/json": { schema: articleInputSchema } } } },
		responses: {
			200: json(articleSchema, "Replaced."),
			201: json(articleSchema, "Created."),
			...problems({ ...ADMIN_PROBLEMS, 400: true, 413: true, 415: true }),
		},
	});

	registry.registerPath({
		method: "get",
		path: "/api/admin/kb/articles/{id}",
		operationId: "getArticle",
		tags: ["Knowledge base"],
		summary: "Get an article",
		security: SECURITY.admin,
		request: { params: articleParams },
		responses: {
			200: json(articleSchema, "The article."),
			...problems({ ...ADMIN_PROBLEMS, 404: "No such article." }),
		},
	});

	registry.registerPath({
		method: "delete",
		path: "/api/admin/kb/articles/{id}",
		operationId: "deleteArticle",
		tags: ["Knowledge base"],
		summary: "Delete an article",
		security: SECURITY.admin,
		request: { params: articleParams },
		responses: {
			204: empty("Deleted."),
			...problems({ ...ADMIN_PROBLEMS, 404: "No such article." }),
		},
	});
}
