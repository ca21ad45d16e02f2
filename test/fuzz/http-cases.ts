/**
 * What one HTTP fuzz case is, the generators that make them, and how a case
 * becomes a request: operations (every one the OpenAPI document lists, see
 * http-operations.ts, plus unknown paths) and methods, path parameters, query
 * strings, credentials, headers and bodies (http-bodies.ts). Wild cases vary
 * everything; near-valid cases are what a well-behaved client sends.
 */
import fc from "fast-check";
import dictionary from "./dictionary.json";
import { type Body, body, nearValidBody } from "./http-bodies";
import {
	FUZZED_OPERATIONS,
	fuzzedOperation,
	MODELLED,
	type Operation,
	type PathParam,
	QUERY_NAMES,
	SCHEMA_COMPONENTS,
} from "./http-operations";
import { arbitraryFor } from "./schema-arbitrary";
import { anyCodeUnit, fuzzIp, ORIGIN, validId } from "./support";

/** The case's operation when it is none of the document's: a path no route serves. */
export const UNKNOWN_ROUTE = "unknown";
const UNKNOWN_METHODS = ["GET", "POST"];

/** Methods a client can send (fetch refuses CONNECT and TRACK outright); lower case is normalized for the standard ones only. */
const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "get", "patch", "Delete"];

/**
 * A path parameter: one of the pool's live sessions (a disposable one when
 * the request erases it, see http-request.ts), a warming job the fuzz
 * started, or any text at all, percent-encoded or sent as it is.
 */
export type ParamRef = { kind: "pool"; index: number } | { kind: "job"; index: number } | { kind: "text"; value: string; encode: boolean };

export type Credential =
	| { kind: "none" }
	| { kind: "own" }
	| { kind: "other"; index: number }
	| { kind: "expired" }
	| { kind: "neverCreated" }
	| { kind: "tampered"; at: number; char: string }
	| { kind: "truncated"; keep: number }
	| { kind: "swapped"; index: number }
	| { kind: "admin" }
	/** The fuzz's own agent (CONTRACT §7), created before the run. */
	| { kind: "agent" }
	| { kind: "raw"; value: string };

export interface Auth {
	credential: Credential;
	scheme: string;
	/** Where the token goes; only the socket route reads `?token=` and `bearer.<token>` subprotocols. */
	placement: "header" | "query" | "subprotocol";
}

export interface HeaderCase {
	contentType: string | undefined;
	requestId: string | undefined;
	origin: string | undefined;
	upgrade: string | undefined;
	accept: string | undefined;
	extra: [string, string][];
	/** One header of this many bytes. */
	huge: number | undefined;
}

export interface HttpCase {
	/** The documented operation the case was drawn for (`GET /api/sessions/{id}`), or UNKNOWN_ROUTE. */
	operation: string;
	method: string;
	/** One value per path parameter of the operation. */
	params: Record<string, ParamRef>;
	/** The pool session whose transcript is checked (and whose token is "own") when the path names none of the pool's. */
	owner: number;
	unknownPath: string;
	query: { params: [string, string][]; encode: boolean; raw: string };
	auth: Auth;
	headers: HeaderCase;
	body: Body | undefined;
	ip: string;
}

// ---- Generators ----

/**
 * Header values: ASCII without NUL, CR and LF, which no HTTP client can send.
 * Not Latin-1: workerd's fetch would send bytes above 0x7F as UTF-8 anyway
 * (warning once per header), so they would test nothing that ASCII does not.
 */
const headerChar = fc
	.integer({ min: 1, max: 127 })
	.filter((code) => code !== 10 && code !== 13)
	.map((code) => String.fromCharCode(code));
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });

/** Percent-encodes a path segment; a lone surrogate has no UTF-8 form, so it goes as U+FFFD, as a URL parser would send it. */
export function encodeSegment(text: string): string {
	return encodeURIComponent(text.toWellFormed());
}

const oddId = fc.oneof(
	fc.constantFrom(...dictionary.oddIds),
	fc.string({ unit: anyCodeUnit, maxLength: 40 }),
	fc.string({ unit: "grapheme", maxLength: 20 }),
	validId,
	fc.integer({ min: 65, max: 8000 }).map((n) => "a".repeat(n)),
);

const poolRef = fc.record({ kind: fc.constant<"pool">("pool"), index: fc.nat(10_000) });
const jobRef = fc.record({ kind: fc.constant<"job">("job"), index: fc.nat(10_000) });
const textRef = (value: fc.Arbitrary<string>, encode: fc.Arbitrary<boolean> = fc.boolean()): fc.Arbitrary<ParamRef> =>
	fc.record({ kind: fc.constant<"text">("text"), value, encode });

const articleId = fc.oneof(
	{ weight: 3, arbitrary: validId },
	{ weight: 1, arbitrary: fc.constantFrom("reset-password", "create-account", "fuzz-article") },
	{ weight: 2, arbitrary: oddId.map(encodeSegment) },
	{ weight: 1, arbitrary: oddId },
);

/** Values the parameter's own schema allows (its `pattern`), for kinds the fuzz has no generator of its own for. */
const schemaValue = (param: PathParam): fc.Arbitrary<string> =>
	arbitraryFor(param.schema, SCHEMA_COMPONENTS).map((value) => (typeof value === "string" ? value : JSON.stringify(value)));

/** Anything goes: live references mostly, odd text too. */
function paramRef(param: PathParam): fc.Arbitrary<ParamRef> {
	switch (param.kind) {
		case "session":
			return fc.oneof({ weight: 6, arbitrary: poolRef }, { weight: 2, arbitrary: textRef(oddId) });
		case "article":
			// Some of these are encoded already, some hold what no encoder would send.
			return textRef(articleId, fc.constant(false));
		case "job":
			return fc.oneof(
				{ weight: 3, arbitrary: jobRef },
				{ weight: 1, arbitrary: textRef(schemaValue(param)) },
				{ weight: 1, arbitrary: textRef(oddId) },
			);
		case "text":
			return fc.oneof({ weight: 2, arbitrary: textRef(schemaValue(param)) }, { weight: 1, arbitrary: textRef(oddId) });
	}
}

/** What a client that read the document sends. */
function validParamRef(param: PathParam): fc.Arbitrary<ParamRef> {
	switch (param.kind) {
		case "session":
			return poolRef;
		case "article":
			return textRef(fc.oneof(validId, fc.constantFrom("reset-password", "fuzz-article")), fc.constant(true));
		case "job":
			return jobRef;
		case "text":
			return textRef(schemaValue(param), fc.constant(true));
	}
}

const paramsOf = (op: Operation | undefined, ref: (param: PathParam) => fc.Arbitrary<ParamRef>): fc.Arbitrary<Record<string, ParamRef>> =>
	fc.record(Object.fromEntries((op?.pathParams ?? []).map((param) => [param.name, ref(param)])));

const unknownPath = fc.oneof(
	fc.constantFrom(...dictionary.unknownPaths),
	fc.array(fc.string({ unit: anyCodeUnit, maxLength: 12 }), { minLength: 1, maxLength: 6 }).map((parts) => `/api/${parts.join("/")}`),
	fc.string({ unit: "grapheme", maxLength: 40 }).map((tail) => `/api/${encodeURIComponent(tail)}`),
);

const queryValue = fc.oneof(
	fc.integer({ min: -5, max: 200 }).map(String),
	fc.constantFrom(...dictionary.queryValues),
	// Search text, FTS5 syntax included: the knowledge base must never parse it as a query language.
	fc.constantFrom(...dictionary.searchTexts),
	fc.string({ unit: anyCodeUnit, maxLength: 30 }),
	fc.string({ unit: "grapheme", maxLength: 600 }),
);
const queryKey = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom(...QUERY_NAMES) },
	{ weight: 1, arbitrary: fc.constantFrom("After", "limit[]", "", "q ", "__proto__") },
	{ weight: 1, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 10 }) },
);
const query = fc.record({
	params: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
	encode: fc.boolean(),
	raw: fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 20 }) }),
});

const credential: fc.Arbitrary<Credential> = fc.oneof(
	{ weight: 10, arbitrary: fc.constant<Credential>({ kind: "own" }) },
	{ weight: 2, arbitrary: fc.constant<Credential>({ kind: "none" }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant<"other">("other"), index: fc.nat(10_000) }) },
	{ weight: 1, arbitrary: fc.constant<Credential>({ kind: "expired" }) },
	{ weight: 1, arbitrary: fc.constant<Credential>({ kind: "neverCreated" }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant<"tampered">("tampered"), at: fc.nat(), char: headerChar }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant<"truncated">("truncated"), keep: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant<"swapped">("swapped"), index: fc.nat(10_000) }) },
	{ weight: 2, arbitrary: fc.constant<Credential>({ kind: "admin" }) },
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant<"raw">("raw"),
			value: fc.oneof(
				fc.constantFrom(
					"",
					"v1",
					"v1...",
					"v1.a.b.c",
					"v1.ses_x.9999999999.AAAAA",
					"DEV-ADMIN-TOKEN",
					"dev-admin-toke",
					"dev-admin-tokenx",
				),
				headerText(600),
			),
		}),
	},
);
/** For agent routes the agent's token is the one that gets a case past authentication. */
const agentCredential: fc.Arbitrary<Credential> = fc.oneof(
	{ weight: 4, arbitrary: fc.constant<Credential>({ kind: "agent" }) },
	{ weight: 2, arbitrary: credential },
);
/** For admin routes the admin token is the credential that gets a case past authentication. */
const adminCredential: fc.Arbitrary<Credential> = fc.oneof(
	{ weight: 4, arbitrary: fc.constant<Credential>({ kind: "admin" }) },
	{ weight: 2, arbitrary: credential },
);

const auth = (op: Operation | undefined): fc.Arbitrary<Auth> =>
	fc.record({
		credential: op?.audience === "admin" ? adminCredential : op?.audience === "agent" ? agentCredential : credential,
		scheme: fc.oneof(
			{ weight: 10, arbitrary: fc.constant("Bearer ") },
			{ weight: 1, arbitrary: fc.constantFrom("bearer ", "BEARER   ", "Bearer", "Bearer\t", "Basic ", "Token ", "") },
		),
		placement: op?.socket
			? fc.constantFrom<Auth["placement"]>("subprotocol", "query", "header")
			: fc.oneof(
					{ weight: 9, arbitrary: fc.constant<Auth["placement"]>("header") },
					{ weight: 1, arbitrary: fc.constant<Auth["placement"]>("query") },
				),
	});

const headers = (op: Operation | undefined): fc.Arbitrary<HeaderCase> =>
	fc.record({
		contentType: fc.oneof(
			{ weight: 8, arbitrary: fc.constant("application/json") },
			{ weight: 3, arbitrary: fc.constantFrom(...dictionary.contentTypes) },
			{ weight: 1, arbitrary: headerText(80) },
			{ weight: 2, arbitrary: fc.constant(undefined) },
		),
		requestId: fc.oneof(
			{ weight: 3, arbitrary: fc.constant(undefined) },
			{ weight: 2, arbitrary: validId },
			{ weight: 1, arbitrary: fc.uuid() },
			{ weight: 1, arbitrary: headerText(200) },
			{ weight: 1, arbitrary: fc.integer({ min: 120, max: 4000 }).map((n) => "r".repeat(n)) },
		),
		origin: fc.oneof(
			{ weight: 4, arbitrary: fc.constant(undefined) },
			{ weight: 1, arbitrary: fc.constantFrom(ORIGIN, "https://evil.example", "null", "http://localhost:8787", "http://LOCALHOST") },
			{ weight: 1, arbitrary: headerText(60) },
		),
		upgrade: op?.socket
			? fc.oneof(
					{ weight: 6, arbitrary: fc.constant("websocket") },
					{ weight: 1, arbitrary: fc.constantFrom("WebSocket", "websocket, h2c", "h2c", "", "websocket2") },
					{ weight: 2, arbitrary: fc.constant(undefined) },
				)
			: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant("websocket") }),
		accept: fc.option(fc.constantFrom("*/*", "application/json", "text/html", "application/problem+json"), { nil: undefined }),
		extra: fc.array(
			fc.tuple(
				fc.oneof(
					fc.stringMatching(/^[A-Za-z0-9-]{1,30}$/),
					fc.constantFrom(
						"X-Forwarded-For",
						"Cookie",
						"Sec-WebSocket-Protocol",
						"Sec-WebSocket-Version",
						"Sec-WebSocket-Key",
						"Content-Length",
						"Authorization",
						"X-Request-Id",
					),
				),
				headerText(100),
			),
			{ maxLength: 4 },
		),
		huge: fc.option(fc.integer({ min: 8 * 1024, max: 64 * 1024 }), { nil: undefined, freq: 20 }),
	});

const OPERATION_KEYS = FUZZED_OPERATIONS.map((op) => op.key);

/** Anything goes: each part drawn from its own generator. */
const wildCase: fc.Arbitrary<HttpCase> = fc.constantFrom(...OPERATION_KEYS, UNKNOWN_ROUTE).chain((key) => {
	const op = fuzzedOperation(key);
	return fc.record({
		operation: fc.constant(key),
		method: fc.oneof(
			{ weight: 5, arbitrary: fc.constantFrom(...(op ? [op.method] : UNKNOWN_METHODS)) },
			{ weight: 1, arbitrary: fc.constantFrom(...ALL_METHODS) },
		),
		params: paramsOf(op, paramRef),
		owner: fc.nat(10_000),
		unknownPath,
		query,
		auth: auth(op),
		headers: headers(op),
		body: body(op),
		// A few shared addresses too, so that some cases run into the per-address limits (429).
		ip: fc.oneof({ weight: 3, arbitrary: fuzzIp }, { weight: 1, arbitrary: fc.constantFrom("10.254.0.1", "10.254.0.2") }),
	});
});

/** Query values as the document describes them: required parameters always, optional ones now and then. */
const validQuery = (op: Operation): fc.Arbitrary<HttpCase["query"]> => {
	const params = fc
		.tuple(
			...op.query.map((param) => {
				const value = arbitraryFor(param.schema, SCHEMA_COMPONENTS).map((v): [string, string] => [
					param.name,
					typeof v === "string" ? v : JSON.stringify(v),
				]);
				return param.required ? value : fc.option(value, { nil: undefined, freq: 3 });
			}),
		)
		.map((pairs) => pairs.filter((pair) => pair !== undefined));
	return fc.record({ params, encode: fc.constant(true), raw: fc.constant("") });
};

/** The credential a well-behaved client sends: the admin token to admin operations, its own token to its session, none otherwise. */
function validCredential(op: Operation): Credential {
	if (op.audience === "admin") return { kind: "admin" };
	if (op.audience === "agent") return { kind: "agent" };
	return op.audience === "session" ? { kind: "own" } : { kind: "none" };
}

/**
 * A request a well-behaved client would send (the credential the
 * operation's security asks for, JSON, a body of the right shape, a sensible
 * query), so that cases reach validation, the hubs and the knowledge base
 * instead of stopping at 401. The shapes still come from the generators
 * above, so many of these are rejected too, just further in. Messages get a
 * third of them: they are what the transcript property is about.
 */
const nearValidCase: fc.Arbitrary<HttpCase> = (
	OPERATION_KEYS.includes(MODELLED.postMessage)
		? fc.oneof(
				{ weight: 1, arbitrary: fc.constant(MODELLED.postMessage) },
				{ weight: 2, arbitrary: fc.constantFrom(...OPERATION_KEYS.filter((key) => key !== MODELLED.postMessage)) },
			)
		: fc.constantFrom(...OPERATION_KEYS)
).chain((key) => {
	const op = fuzzedOperation(key);
	if (!op) throw new Error(`no fuzzed operation ${key}`);
	return fc.record({
		operation: fc.constant(key),
		method: fc.constant(op.method),
		params: paramsOf(op, validParamRef),
		owner: fc.nat(10_000),
		unknownPath,
		query: validQuery(op),
		auth: fc.record({
			credential: fc.constant(validCredential(op)),
			scheme: fc.constant("Bearer "),
			placement: fc.constant<Auth["placement"]>(op.socket ? "subprotocol" : "header"),
		}),
		headers: fc.record({
			contentType: fc.constant("application/json"),
			requestId: fc.option(validId, { nil: undefined }),
			origin: fc.constant(undefined),
			upgrade: fc.constant(op.socket ? "websocket" : undefined),
			accept: fc.constant(undefined),
			extra: fc.constant([]),
			huge: fc.constant(undefined),
		}),
		body: nearValidBody(op),
		ip: fuzzIp,
	});
});

export const httpCase: fc.Arbitrary<HttpCase> = fc.oneof({ weight: 2, arbitrary: wildCase }, { weight: 1, arbitrary: nearValidCase });
