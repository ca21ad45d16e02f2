/**
 * Request bodies and query strings of the public HTTP API (CONTRACT §2, §3,
 * §5, §6), in classic zod: only the Worker parses them (see documented.ts).
 */

import { z } from "zod";
import { MAX_USER_TOKEN_CHARS } from "../identity/user-token";
import { DASHBOARD_RANGE_NAMES } from "./dashboard";
import { documentedRequest } from "./documented";
import { idSchema, messageTextSchema } from "./inputs";

const METADATA_MAX_BYTES = 2048;

export const createSessionSchema = documentedRequest(
	z
		.object({
			userId: z.string().min(1).max(128).optional(),
			locale: z.string().min(2).max(35).optional(),
			userToken: z.string().min(1).max(MAX_USER_TOKEN_CHARS).optional(),
			metadata: z
				.record(z.string(), z.unknown())
				.refine((value) => new TextEncoder().encode(JSON.stringify(value)).byteLength <= METADATA_MAX_BYTES, {
					message: `must serialize to at most ${METADATA_MAX_BYTES} bytes`,
				})
				.optional(),
		})
		.strict(),
	{
		id: "CreateSessionRequest",
		description:
			"Optional. `metadata` must serialize to at most 2 KiB. `userToken` identifies the user (CONTRACT §2): an HS256 JWT your backend signs with `IDENTITY_SECRET`, with `sub` (the user id) and an `exp` at most 24 h ahead; a bad one gets 401. A `userId` alone is only a label and unlocks nothing.",
		examples: [{ userId: "customer-4211", locale: "en-GB", metadata: { plan: "team" } }],
	},
);
export type CreateSession = z.infer<typeof createSessionSchema>;

export const postMessageSchema = documentedRequest(
	z
		.object({
			id: idSchema.optional(),
			text: messageTextSchema,
		})
		.strict(),
	{
		id: "PostMessageRequest",
		description:
			"`id` is the client's idempotency key (the server makes one when absent): sending the same id again returns the same message. `text` is trimmed, then must be 1 to 2000 characters.",
		examples: [{ id: "m-1", text: "How do I reset my password?" }],
	},
);
export type PostMessage = z.infer<typeof postMessageSchema>;

/**
 * Query numbers arrive as strings; reject "1.5", "abc" and "" instead of
 * guessing. A missing one takes `fallback`, parsed like a sent value. The
 * document describes the parameter as what it means, an integer, so a client
 * generated from it sends `after: 0`, not `after: "0"`.
 */
/** Nine digits, as the pattern allows: far beyond any session's seq. */
const MAX_QUERY_INT = 999_999_999;

export const queryInt = (min: number, max: number, fallback: number) =>
	z
		.string()
		.regex(/^\d{1,9}$/, "must be a non-negative integer")
		.transform(Number)
		.pipe(z.number().int().min(min).max(max))
		.prefault(String(fallback))
		.meta({ type: "integer", pattern: undefined, minimum: min, maximum: max, default: fallback });

export const listMessagesQuerySchema = z.object({
	after: queryInt(0, MAX_QUERY_INT, 0).describe("Only messages with a greater seq."),
	limit: queryInt(1, 100, 50).describe("At most this many messages (1 to 100)."),
});

export const wsQuerySchema = z.object({
	after: queryInt(0, MAX_QUERY_INT, 0).describe("Replay every committed message with a greater seq (0: the whole transcript)."),
	token: z
		.string()
		.min(1)
		.max(512)
		.optional()
		.describe("The session token, for clients that cannot set WebSocket subprotocols; prefer the `bearer.<token>` subprotocol."),
});

export const kbSearchQuerySchema = z.object({
	q: z.string().trim().min(1, "must not be empty").max(500).describe("What to search for."),
	limit: queryInt(1, 20, 5).describe("At most this many results (1 to 20)."),
});

export const articleIdSchema = idSchema;

export const articleInputSchema = documentedRequest(
	z
		.object({
			// Lone surrogates would be stored as U+FFFD: refuse them instead of changing what was sent.
			title: z
				.string()
				.trim()
				.min(1)
				.max(200)
				.refine((text) => text.isWellFormed(), "must be well-formed Unicode"),
			body: z
				.string()
				.trim()
				.min(1)
				.max(20_000)
				.refine((text) => text.isWellFormed(), "must be well-formed Unicode"),
			url: z
				.url({ protocol: /^https?$/ })
				.max(2048)
				.optional(),
			tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
		})
		.strict(),
	{
		id: "ArticleInput",
		description: "A knowledge-base article as written by an operator; `body` is Markdown.",
		examples: [
			{
				title: "Resetting your password",
				body: "Open **Settings → Security** and choose *Reset password*. The link we email is valid for 30 minutes.",
				url: "https://help.example.com/reset-password",
				tags: ["account", "security"],
			},
		],
	},
);
export type ArticleInput = z.infer<typeof articleInputSchema>;

export const faultsInputSchema = documentedRequest(
	z
		.object({
			aiDelayMs: z.number().int().min(0).max(60_000).optional(),
			aiFailureRate: z.number().min(0).max(1).optional(),
			aiFailureKind: z.enum(["transient", "permanent"]).optional(),
		})
		.strict(),
	{
		id: "FaultsInput",
		description: "Faults to inject into the AI provider until they are cleared; a field left out is reset to no fault.",
		examples: [{ aiDelayMs: 3000, aiFailureRate: 0.5, aiFailureKind: "transient" }],
	},
);
export type FaultsInput = z.infer<typeof faultsInputSchema>;

export const dashboardQuerySchema = z
	.object({ range: z.enum(DASHBOARD_RANGE_NAMES).default("1h").describe("How far back the series go.") })
	.strict();

/** POST /api/admin/metrics/synthetic (development only): history to synthesize for the bench's scrape measurement. */
export const syntheticHistoryInputSchema = documentedRequest(
	z.object({ days: z.number().int().min(3).max(30).describe("Days of history: minutes for the last 48 h, hours before.") }).strict(),
	{ id: "SyntheticHistoryInput", description: "How much metrics history to synthesize.", examples: [{ days: 30 }] },
);

export const popularQuery = z.object({
	limit: queryInt(1, 10, 5).describe("At most this many (1 to 10)."),
});
