/** Knowledge-base shapes shared by the ingress routes and the KnowledgeBase object (CONTRACT §5). */
import type { z } from "zod";
import { articleInputSchema } from "./http";
import { idSchema } from "./inputs";

/** An article as written through RPC: the HTTP input plus its id. */
export const articleWriteSchema = articleInputSchema.extend({ id: idSchema });
export type ArticleWrite = z.infer<typeof articleWriteSchema>;

/** An article as stored and returned, and a search result: the response schemas' types. */
export type { Article, SearchHit } from "./responses";
