/**
 * Building blocks for the route descriptions: JSON answers, the problem+json
 * answers each route can give (CONTRACT §1), the headers that come with
 * them, and which credential a route takes (src/ingress/auth.ts). The
 * problem examples are rendered by `HttpProblem` itself, so they show
 * exactly what a client gets.
 */
import type { ResponseConfig } from "@asteasolutions/zod-to-openapi";
import type { ZodMiniType } from "zod/mini";
import { HttpProblem } from "../../shared/problem";
import { problemSchema } from "../../shared/schemas/responses";
import { MAX_BODY_BYTES } from "../json-body";
import { RATE_LIMIT_PERIOD_SECONDS } from "../rate-limit";
import { schemaRef } from "./wire-schemas";

/** Security requirements by credential; the schemes themselves are registered in document.ts. */
export const SECURITY: Record<"session" | "admin" | "agent" | "public", { [scheme: string]: string[] }[]> = {
	session: [{ sessionToken: [] }],
	admin: [{ adminToken: [] }],
	agent: [{ agentToken: [] }],
	// Explicitly none, rather than unsaid.
	public: [],
};

/** `#/components/headers/...`, registered in document.ts. */
export const HEADERS = {
	requestId: { $ref: "#/components/headers/X-Request-Id" },
	retryAfter: { $ref: "#/components/headers/Retry-After" },
	wwwAuthenticate: { $ref: "#/components/headers/WWW-Authenticate" },
	upgrade: { $ref: "#/components/headers/Upgrade" },
} as const;

/** The problems a route can answer with: when each happens, and the detail of its example. */
const PROBLEMS = {
	400: { when: "Malformed JSON, or validation failed: `errors` lists each field.", detail: "The request body failed validation." },
	401: { when: "The token is missing, malformed, forged or expired.", detail: "A session token is required." },
	403: { when: "The session token is valid but for another session.", detail: "The session token is for another session." },
	404: { when: "No such resource.", detail: "No such resource." },
	409: { when: "The resource is held by someone else.", detail: "Another agent holds this conversation." },
	413: { when: `The body is over ${MAX_BODY_BYTES / 1024} KiB.`, detail: `The request body must be at most ${MAX_BODY_BYTES} bytes.` },
	415: { when: "The body is not JSON.", detail: "Send the body as JSON with Content-Type: application/json." },
	426: { when: "Not a WebSocket upgrade.", detail: "This endpoint only speaks WebSocket; send an Upgrade: websocket request." },
	429: {
		when: "Rate limited; `Retry-After` says when to try again.",
		detail: `Too many requests; retry after ${RATE_LIMIT_PERIOD_SECONDS} seconds.`,
	},
	503: {
		when: "A dependency is down or the service is misconfigured; retry later (`Retry-After`).",
		detail: "The service is temporarily unavailable; try again shortly.",
	},
} as const satisfies Record<number, { when: string; detail: string }>;

export type ProblemStatus = keyof typeof PROBLEMS;

const PROBLEM_HEADERS: Partial<Record<ProblemStatus, Record<string, { $ref: string }>>> = {
	401: { "WWW-Authenticate": HEADERS.wwwAuthenticate },
	426: { Upgrade: HEADERS.upgrade },
	429: { "Retry-After": HEADERS.retryAfter },
	503: { "Retry-After": HEADERS.retryAfter },
};

/**
 * A JSON answer described by its (documented) schema; every answer carries `X-Request-Id`.
 * @example responses: { 201: json(sessionCreatedSchema, "The session and its token.") }
 */
export function json(schema: ZodMiniType, description: string): ResponseConfig {
	return { description, headers: { "X-Request-Id": HEADERS.requestId }, content: { "application/json": { schema: schemaRef(schema) } } };
}

/** An answer with no body (204). */
export function empty(description: string): ResponseConfig {
	return { description, headers: { "X-Request-Id": HEADERS.requestId } };
}

/**
 * The problem+json answers of a route: `true` for the contract's meaning of
 * the status, or the detail this route sends with it. 503 is added to all,
 * because any route can meet a dependency that is down.
 * @example responses: { 200: json(...), ...problems({ 401: true, 404: "No such session." }) }
 */
export function problems(spec: Partial<Record<Exclude<ProblemStatus, 503>, string | true>>): Record<string, ResponseConfig> {
	const entries = [...Object.entries(spec), ["503", true] as const].map(([code, text]) => {
		const status = Number(code) as ProblemStatus;
		return [code, text === true ? contractProblem(status) : routeProblem(status, text)] as const;
	});
	return Object.fromEntries(entries);
}

function contractProblem(status: ProblemStatus): ResponseConfig {
	const { when, detail } = PROBLEMS[status];
	const errors = status === 400 ? [{ path: "text", message: "must not be empty" }] : undefined;
	return problemResponse(status, when, new HttpProblem(status, detail, errors ? { errors } : {}));
}

function routeProblem(status: ProblemStatus, detail: string): ResponseConfig {
	return problemResponse(status, detail, new HttpProblem(status, detail));
}

function problemResponse(status: ProblemStatus, description: string, example: HttpProblem): ResponseConfig {
	return {
		description,
		headers: { "X-Request-Id": HEADERS.requestId, ...PROBLEM_HEADERS[status] },
		content: { "application/problem+json": { schema: schemaRef(problemSchema), example: example.toBody() } },
	};
}
