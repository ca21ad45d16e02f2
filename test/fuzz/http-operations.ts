/**
 * The operations the HTTP fuzz drives, read from the OpenAPI document
 * rather than kept by hand, so a route added to the document is fuzzed
 * without anyone remembering to. For each operation this gives the path
 * template and what fills its parameters, the credentials its `security`
 * asks for, whether it is a WebSocket upgrade, and the schemas of its
 * query and JSON body. The few operations handled apart are listed below,
 * each with its reason; http-operations.test.ts fails when these lists and
 * the document drift apart.
 */
import { z } from "zod";
import { openApiDocument } from "../../src/ingress/openapi/document";
import type { Components } from "./schema-arbitrary";

/**
 * Documented operations the fuzz does not drive, and why. Everything else
 * in the document is fuzzed.
 */
export const EXCLUDED: Readonly<Record<string, string>> = {
	// wrangler.toml serves public/ as static assets and runs the Worker first only for /api/*. The fuzz calls the
	// Worker's own fetch, where /dashboard is just an unknown path (which the unknown-route cases already fuzz),
	// and the assets answer has none of the API's properties to check (no X-Request-Id, no problem+json).
	"GET /dashboard": "a static asset, never answered by the Worker",
	"GET /agent": "a static asset, never answered by the Worker",
};

/**
 * Operations that erase the session their path names. A pool reference in
 * a request that reaches one of these (whatever method was drawn) names a
 * disposable session instead of one of the pool's (http-request.ts):
 * erasing the pool would turn every later message case into a 404 that
 * tests nothing, and the transcript model would have nothing left to check.
 */
export const ERASING: ReadonlySet<string> = new Set(["DELETE /api/sessions/{id}", "DELETE /api/admin/sessions/{id}"]);

/**
 * Operations fuzzed only with bodies that fail validation, and why. Their
 * path, method, credentials, headers and validation are fuzzed as any
 * other's; what a valid body would do is tested elsewhere.
 */
export const INVALID_BODIES_ONLY: Readonly<Record<string, string>> = {
	// Measured in workerd: 0.5 to 1.2 s per call once a few series exist, and every later 24 h
	// GET /api/admin/metrics/series takes ~0.4 s instead of ~5 ms. Valid bodies: metrics-store.test.ts.
	"POST /api/admin/metrics/synthetic": "a valid body writes 3 to 30 days of rollups into every metrics store",
};

/**
 * The operations whose answers the fuzz's models follow (accepted
 * messages, stored articles, created sessions, started jobs, opened sockets).
 */
export const MODELLED = {
	createSession: "POST /api/sessions",
	postMessage: "POST /api/sessions/{id}/messages",
	openSocket: "GET /api/sessions/{id}/ws",
	putArticle: "PUT /api/admin/kb/articles/{id}",
	startWarm: "POST /api/admin/cache/warm",
} as const;

/** What a path parameter names, from the collection before it (`/sessions/{id}`); "text" when the fuzz knows no better. */
export type ParamKind = "session" | "article" | "job" | "text";
const PARAM_KINDS: Readonly<Record<string, ParamKind>> = {
	sessions: "session",
	conversations: "session",
	articles: "article",
	jobs: "job",
};

export interface PathParam {
	name: string;
	kind: ParamKind;
	/** The parameter's schema (a `pattern` there gives valid-looking values for kinds the fuzz knows nothing about). */
	schema: unknown;
}

export interface QueryParam {
	name: string;
	required: boolean;
	schema: unknown;
}

/** Who may call an operation, from its `security`: the credentials that get a case past authentication. */
export type Audience = "admin" | "agent" | "session" | "public";
const SCHEME_AUDIENCES: Readonly<Record<string, Exclude<Audience, "public">>> = {
	adminToken: "admin",
	agentToken: "agent",
	agentSubprotocol: "agent",
	sessionToken: "session",
	sessionSubprotocol: "session",
	sessionQueryToken: "session",
};

export interface Operation {
	/** `METHOD /path/{param}`, as the document spells the path. */
	key: string;
	method: string;
	template: string;
	audience: Audience;
	/** A WebSocket upgrade: it declares the `Upgrade` header. */
	socket: boolean;
	pathParams: PathParam[];
	/** Query parameters other than credentials (a `?token=` is placed by the credential, not drawn as a value). */
	query: QueryParam[];
	/** The `application/json` request body's schema, when the operation takes one. */
	body: unknown;
}

// ---- Reading the document (standard OpenAPI 3.1, parsed, not cast) ----

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const refSchema = z.object({ $ref: z.string() });
const parameterSchema = z.object({ name: z.string(), in: z.string(), required: z.boolean().optional(), schema: z.unknown().optional() });
const securitySchema = z.array(z.record(z.string(), z.array(z.string())));
const operationSchema = z.object({
	parameters: z.array(z.unknown()).optional(),
	security: securitySchema.optional(),
	requestBody: z.object({ content: z.record(z.string(), z.object({ schema: z.unknown().optional() })) }).optional(),
});
const documentSchema = z.object({
	paths: z.record(z.string(), z.record(z.string(), z.unknown())),
	security: securitySchema.optional(),
	components: z
		.object({
			schemas: z.record(z.string(), z.unknown()).optional(),
			parameters: z.record(z.string(), z.unknown()).optional(),
			securitySchemes: z.record(z.string(), z.object({ in: z.string().optional(), name: z.string().optional() })).optional(),
		})
		.optional(),
});

const document = documentSchema.parse(openApiDocument("fuzz"));

/** `components.schemas`, for the `$ref`s in the operations' schemas. */
export const SCHEMA_COMPONENTS: Components = document.components?.schemas ?? {};

/** Query parameters that carry a credential (an apiKey scheme `in: query`): the credential places them. */
const CREDENTIAL_QUERY_NAMES = new Set(
	Object.values(document.components?.securitySchemes ?? {}).flatMap((scheme) =>
		scheme.in === "query" && scheme.name ? [scheme.name] : [],
	),
);

function parameter(raw: unknown): z.infer<typeof parameterSchema> {
	const ref = refSchema.safeParse(raw);
	const target = ref.success ? document.components?.parameters?.[ref.data.$ref.replace("#/components/parameters/", "")] : raw;
	return parameterSchema.parse(target);
}

function audienceOf(security: z.infer<typeof securitySchema>, key: string): Audience {
	const schemes = security.flatMap((requirement) => Object.keys(requirement));
	const audiences = schemes.map((scheme) => {
		const audience = SCHEME_AUDIENCES[scheme];
		if (!audience) throw new Error(`${key}: security scheme ${scheme} is unknown to the fuzz; say which credentials it takes`);
		return audience;
	});
	// An empty requirement ({}) makes the scheme optional: anyone may call.
	if (schemes.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0)) return "public";
	if (audiences.includes("admin")) return "admin";
	return audiences.includes("agent") ? "agent" : "session";
}

function paramKind(template: string, name: string): ParamKind {
	const segments = template.split("/");
	const at = segments.indexOf(`{${name}}`);
	return PARAM_KINDS[segments[at - 1] ?? ""] ?? "text";
}

function readOperations(): Operation[] {
	return Object.entries(document.paths).flatMap(([template, item]) => {
		const shared = z.array(z.unknown()).optional().parse(item.parameters) ?? [];
		return Object.entries(item)
			.filter(([method]) => METHODS.includes(method))
			.map(([lowerMethod, raw]): Operation => {
				const method = lowerMethod.toUpperCase();
				const key = `${method} ${template}`;
				const operation = operationSchema.parse(raw);
				const parameters = [...shared, ...(operation.parameters ?? [])].map(parameter);
				return {
					key,
					method,
					template,
					audience: audienceOf(operation.security ?? document.security ?? [], key),
					socket: parameters.some((p) => p.in === "header" && p.name.toLowerCase() === "upgrade"),
					pathParams: parameters
						.filter((p) => p.in === "path")
						.map((p) => ({ name: p.name, kind: paramKind(template, p.name), schema: p.schema })),
					query: parameters
						.filter((p) => p.in === "query" && !CREDENTIAL_QUERY_NAMES.has(p.name))
						.map((p) => ({ name: p.name, required: p.required ?? false, schema: p.schema })),
					body: operation.requestBody?.content["application/json"]?.schema,
				};
			});
	});
}

/** Every operation the document lists. */
export const DOCUMENTED_OPERATIONS: readonly Operation[] = readOperations();

/** What the fuzz drives: the document's operations minus `EXCLUDED`. */
export const FUZZED_OPERATIONS: readonly Operation[] = DOCUMENTED_OPERATIONS.filter((op) => !(op.key in EXCLUDED));

const BY_KEY = new Map(FUZZED_OPERATIONS.map((op) => [op.key, op]));

/** The fuzzed operation with this key; undefined for the unknown route. */
export function fuzzedOperation(key: string): Operation | undefined {
	return BY_KEY.get(key);
}

/** Every query parameter name the document uses, credentials included: the keys wild cases mostly draw. */
export const QUERY_NAMES: readonly string[] = [
	...new Set([...DOCUMENTED_OPERATIONS.flatMap((op) => op.query.map((q) => q.name)), ...CREDENTIAL_QUERY_NAMES]),
];

/** The schemas of the operations fuzzed with invalid bodies only, per path: any method drawn on that path is kept to them. */
export function invalidOnlyBodySchemas(template: string): unknown[] {
	return FUZZED_OPERATIONS.filter((op) => op.template === template && op.key in INVALID_BODIES_ONLY).map((op) => op.body);
}
