/**
 * Request bodies for the HTTP fuzz suite: valid shapes per operation
 * (CONTRACT §2, §3, §5, §6; derived from the document's schema for an
 * operation no shape here knows), the same with one thing wrong, random
 * JSON, garbage, and sizes and depths at the limits (32 KiB bodies, 2 KiB
 * metadata). Operations listed in INVALID_BODIES_ONLY never get a body that
 * passes validation.
 */
import fc from "fast-check";
import dictionary from "./dictionary.json";
import { invalidOnlyBodySchemas, type Operation, SCHEMA_COMPONENTS } from "./http-operations";
import { arbitraryFor, conforms, resolveSchema } from "./schema-arbitrary";
import { anyCodeUnit, messageText, parseJsonBody, validId } from "./support";

export type Body = { kind: "text"; text: string; stream: boolean } | { kind: "bytes"; bytes: Uint8Array };

/**
 * The right shape for the operation, with values drawn around their limits
 * (lengths just under and over, numbers just out of range), so a share of
 * these is rejected field by field and the rest is accepted. Operations
 * without a shape here get one derived from their body's schema.
 */
const KNOWN_SHAPES: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
	"POST /api/sessions": fc.record(
		{
			userId: fc.string({ minLength: 1, maxLength: 130 }),
			locale: fc.string({ minLength: 1, maxLength: 36 }),
			metadata: fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
		},
		{ requiredKeys: [] },
	),
	"POST /api/sessions/{id}/messages": fc.record({ id: validId, text: messageText }, { requiredKeys: ["text"] }),
	"PUT /api/admin/kb/articles/{id}": fc.record(
		{
			title: fc.string({ minLength: 1, maxLength: 210 }),
			body: fc.oneof(
				fc.string({ minLength: 1, maxLength: 500 }),
				fc.integer({ min: 19_990, max: 20_010 }).map((n) => "b".repeat(n)),
			),
			url: fc.oneof(fc.webUrl(), fc.constantFrom("javascript:alert(1)", "ftp://x.example", "https://", "not a url")),
			tags: fc.array(fc.string({ maxLength: 45 }), { maxLength: 22 }),
		},
		{ requiredKeys: ["title", "body"] },
	),
	"POST /api/admin/faults": fc.record(
		{
			aiDelayMs: fc.oneof(fc.integer({ min: -10, max: 60_010 }), fc.double()),
			aiFailureRate: fc.double({ min: -0.1, max: 1.1 }),
			aiFailureKind: fc.constantFrom("transient", "permanent", "other", ""),
		},
		{ requiredKeys: [] },
	),
};

const anyObject = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

function asObject(value: unknown): Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : { value };
}

export const validShape = (op: Operation | undefined): fc.Arbitrary<Record<string, unknown>> => {
	const known = op && KNOWN_SHAPES[op.key];
	if (known) return known;
	if (op?.body !== undefined) return arbitraryFor(op.body, SCHEMA_COMPONENTS).map(asObject);
	return anyObject;
};

/** The body's field names from the schema, for mutations that hit a real field. */
function fieldNames(op: Operation | undefined): string[] {
	return op?.body === undefined ? [] : Object.keys(resolveSchema(op.body, SCHEMA_COMPONENTS).properties ?? {});
}

/** One thing wrong: a field of the wrong type, an unknown field (prototype names included), or the wrong container. */
const mutated = (op: Operation | undefined): fc.Arbitrary<string> =>
	fc.oneof(
		fc
			.tuple(
				validShape(op),
				fc.constantFrom(...new Set(["id", "text", "title", "body", "url", "tags", "userId", "metadata", "aiDelayMs", ...fieldNames(op)])),
				fc.jsonValue(),
			)
			.map(([shape, key, value]) => JSON.stringify(Object.fromEntries([...Object.entries(shape), [key, value]]))),
		fc
			.tuple(
				validShape(op),
				fc.oneof(fc.constantFrom("__proto__", "constructor", "extra", "sessionId", "seq", "role"), fc.string()),
				fc.jsonValue(),
			)
			// Object.fromEntries defines "__proto__" as an own field, as JSON.parse does on the server.
			.map(([shape, key, value]) => JSON.stringify(Object.fromEntries([...Object.entries(shape), [key, value]]))),
		validShape(op).map((shape) => JSON.stringify([shape])),
	);

const garbage = (op: Operation | undefined): fc.Arbitrary<string> =>
	fc.oneof(
		fc.constantFrom(...dictionary.garbageBodies),
		fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789abcdeflnrstu\\ \n-.+eE'), maxLength: 60 }),
		validShape(op)
			.map((shape) => JSON.stringify(shape))
			.chain((text) => fc.nat(text.length).map((n) => text.slice(0, n))),
		fc.string({ unit: anyCodeUnit, maxLength: 100 }),
	);

/** Bodies around the 32 KiB limit (in bytes, so multi-byte padding counts double), and metadata around its 2 KiB. */
const sized: fc.Arbitrary<string> = fc.oneof(
	fc.integer({ min: 32 * 1024 - 64, max: 32 * 1024 + 64 }).map((n) => `{"text":"${"x".repeat(n - 11)}"}`),
	fc.integer({ min: 16 * 1024 - 16, max: 16 * 1024 + 16 }).map((n) => `{"text":"${"é".repeat(n - 6)}"}`),
	fc.integer({ min: 33 * 1024, max: 64 * 1024 }).map((n) => `{"title":"t","body":"${"y".repeat(n)}"}`),
	fc.integer({ min: 2000, max: 2100 }).map((n) => `{"metadata":{"k":"${"m".repeat(n)}"}}`),
);

/** Deep nesting, within and beyond the body limit. */
const deep: fc.Arbitrary<string> = fc
	.tuple(fc.integer({ min: 50, max: 16_000 }), fc.constantFrom("array", "object", "metadata", "text"))
	.map(([depth, shape]) => {
		switch (shape) {
			case "array":
				return `${"[".repeat(depth)}${"]".repeat(depth)}`;
			case "object":
				return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
			case "metadata":
				return `{"metadata":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
			default:
				return `{"text":${"[".repeat(depth)}${"]".repeat(depth)}}`;
		}
	});

const bodyText = (op: Operation | undefined): fc.Arbitrary<string> =>
	fc.oneof(
		{ weight: 6, arbitrary: validShape(op).map((shape) => JSON.stringify(shape)) },
		{ weight: 3, arbitrary: mutated(op) },
		{ weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
		{ weight: 2, arbitrary: garbage(op) },
		{ weight: 1, arbitrary: sized },
		{ weight: 1, arbitrary: deep },
	);

/** Any body, wild or near-valid, for a case drawn on `op` (undefined: the unknown route). */
export const body = (op: Operation | undefined): fc.Arbitrary<Body | undefined> =>
	keptInvalid(
		op,
		fc.oneof(
			{ weight: 8, arbitrary: fc.record({ kind: fc.constant<"text">("text"), text: bodyText(op), stream: fc.boolean() }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant<"bytes">("bytes"), bytes: fc.uint8Array({ maxLength: 512 }) }) },
			{
				weight: 1,
				// Valid JSON with one byte that is not UTF-8 in it.
				arbitrary: fc.tuple(validShape(op), fc.nat(), fc.constantFrom(0xff, 0xc0, 0x80, 0xed)).map(([shape, at, byte]): Body => {
					const bytes = new TextEncoder().encode(JSON.stringify(shape));
					bytes[at % bytes.length] = byte;
					return { kind: "bytes", bytes };
				}),
			},
			{ weight: 2, arbitrary: fc.constant(undefined) },
		),
	);

/** The body a well-behaved client sends: the operation's shape as JSON. */
export const nearValidBody = (op: Operation | undefined): fc.Arbitrary<Body | undefined> =>
	keptInvalid(
		op,
		fc.record({ kind: fc.constant<"text">("text"), text: validShape(op).map((shape) => JSON.stringify(shape)), stream: fc.boolean() }),
	);

/**
 * Drops bodies that an operation in INVALID_BODIES_ONLY would accept. Any
 * method drawn on that path is held to it: a wild method can turn a case
 * drawn for another operation into a request to this one.
 */
function keptInvalid(op: Operation | undefined, bodies: fc.Arbitrary<Body | undefined>): fc.Arbitrary<Body | undefined> {
	const schemas = op ? invalidOnlyBodySchemas(op.template) : [];
	if (schemas.length === 0) return bodies;
	return bodies.filter(
		(b) => b === undefined || !schemas.some((schema) => conforms(schema, parseJsonBody(bodyAsText(b)), SCHEMA_COMPONENTS)),
	);
}

/** The text the server reads from a body (bytes that are not UTF-8 decode to U+FFFD, as a lenient reader would). */
export function bodyAsText(b: Body): string {
	return b.kind === "text" ? b.text : new TextDecoder().decode(b.bytes);
}
