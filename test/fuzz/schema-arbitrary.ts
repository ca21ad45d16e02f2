/**
 * fast-check generators derived from the JSON Schemas in the OpenAPI
 * document, for the query values and request bodies the hand-written
 * generators (http-bodies.ts) do not know. Values are mostly inside the
 * schema's bounds and some just outside (one past a length or a number, a
 * word not in an enum), so a share of them is refused field by field, as
 * with the hand-written ones. Arrays stay short: a warming request draws a
 * few questions, not a thousand, so the jobs it starts are cheap.
 * `conforms` is the matching check, for operations that must never be sent
 * a valid body (http-operations.ts).
 */
import fc from "fast-check";
import { z } from "zod";

/** `components.schemas` of the document, for `$ref`. */
export type Components = Record<string, unknown>;

/** The keywords the document uses; anything else is ignored (a schema is then wider than it says, never narrower). */
const nodeSchema = z.object({
	$ref: z.string().optional(),
	type: z.union([z.string(), z.array(z.string())]).optional(),
	properties: z.record(z.string(), z.unknown()).optional(),
	required: z.array(z.string()).optional(),
	additionalProperties: z.unknown().optional(),
	items: z.unknown().optional(),
	minItems: z.number().optional(),
	maxItems: z.number().optional(),
	minLength: z.number().optional(),
	maxLength: z.number().optional(),
	minimum: z.number().optional(),
	maximum: z.number().optional(),
	exclusiveMinimum: z.number().optional(),
	exclusiveMaximum: z.number().optional(),
	pattern: z.string().optional(),
	format: z.string().optional(),
	enum: z.array(z.unknown()).optional(),
	const: z.unknown().optional(),
	anyOf: z.array(z.unknown()).optional(),
	oneOf: z.array(z.unknown()).optional(),
	examples: z.array(z.unknown()).optional(),
});
type SchemaNode = z.infer<typeof nodeSchema>;

const REF_PREFIX = "#/components/schemas/";
/** Past this depth a derived value is any small JSON: the document's bodies are two levels deep. */
const MAX_DEPTH = 6;
/** Arrays hold at most this many items more than their minimum. */
const EXTRA_ITEMS = 3;

/** The schema as a node, its `$ref` followed; `true`, `{}` and unknown shapes are an empty node (anything). */
export function resolveSchema(schema: unknown, components: Components): SchemaNode {
	for (let hops = 0; hops < 10; hops++) {
		const node = nodeSchema.safeParse(schema);
		if (!node.success) return {};
		const ref = node.data.$ref;
		if (ref === undefined || !ref.startsWith(REF_PREFIX)) return node.data;
		schema = components[ref.slice(REF_PREFIX.length)];
	}
	return {};
}

function typesOf(node: SchemaNode): string[] {
	if (node.type === undefined) return node.properties ? ["object"] : [];
	return Array.isArray(node.type) ? node.type : [node.type];
}

/** A regular expression from the document, or undefined when JavaScript cannot compile it. */
function patternOf(node: SchemaNode): RegExp | undefined {
	if (node.pattern === undefined) return undefined;
	try {
		return new RegExp(node.pattern);
	} catch {
		return undefined;
	}
}

/**
 * Values for `schema`: mostly valid, some one step outside a bound.
 * @example fc.sample(arbitraryFor({ type: "integer", minimum: 3, maximum: 30 }, {}), 3) // e.g. [3, 31, 12]
 */
export function arbitraryFor(schema: unknown, components: Components, depth = 0): fc.Arbitrary<unknown> {
	if (depth > MAX_DEPTH) return fc.jsonValue({ maxDepth: 1 });
	const node = resolveSchema(schema, components);
	if (node.const !== undefined) return fc.constant(node.const);
	if (node.enum !== undefined && node.enum.length > 0) {
		return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...node.enum) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
	}
	const alternatives = node.anyOf ?? node.oneOf;
	if (alternatives !== undefined && alternatives.length > 0) {
		return fc.oneof(...alternatives.map((alternative) => arbitraryFor(alternative, components, depth + 1)));
	}
	const types = typesOf(node);
	if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
	return fc.oneof(...types.map((type) => arbitraryOfType(type, node, components, depth)));
}

function arbitraryOfType(type: string, node: SchemaNode, components: Components, depth: number): fc.Arbitrary<unknown> {
	switch (type) {
		case "object":
			return objectArbitrary(node, components, depth);
		case "array":
			return arrayArbitrary(node, components, depth);
		case "string":
			return stringArbitrary(node);
		case "integer":
			return numberArbitrary(node, true);
		case "number":
			return numberArbitrary(node, false);
		case "boolean":
			return fc.boolean();
		case "null":
			return fc.constant(null);
		default:
			return fc.jsonValue({ maxDepth: 2 });
	}
}

function objectArbitrary(node: SchemaNode, components: Components, depth: number): fc.Arbitrary<unknown> {
	const properties = Object.entries(node.properties ?? {});
	if (properties.length === 0) {
		// A free-form object (metadata): a few keys of any JSON.
		return fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
	}
	const model = Object.fromEntries(properties.map(([key, value]) => [key, arbitraryFor(value, components, depth + 1)]));
	const required = (node.required ?? []).filter((key) => key in model);
	return fc.record(model, { requiredKeys: required });
}

function arrayArbitrary(node: SchemaNode, components: Components, depth: number): fc.Arbitrary<unknown> {
	const item = arbitraryFor(node.items, components, depth + 1);
	const min = node.minItems ?? 0;
	const max = Math.min(node.maxItems ?? Number.POSITIVE_INFINITY, min + EXTRA_ITEMS);
	const within = fc.array(item, { minLength: min, maxLength: max });
	const outside: fc.Arbitrary<unknown>[] = [];
	if (min > 0) outside.push(fc.array(item, { maxLength: min - 1 }));
	// One past the maximum: refused by validation, so its size costs nothing past the parse.
	if (node.maxItems !== undefined) outside.push(fc.constant(Array.from({ length: node.maxItems + 1 }, (_, i) => `item ${i}`)));
	return outside.length === 0 ? within : fc.oneof({ weight: 6, arbitrary: within }, { weight: 1, arbitrary: fc.oneof(...outside) });
}

function stringArbitrary(node: SchemaNode): fc.Arbitrary<unknown> {
	const pattern = patternOf(node);
	if (pattern)
		return fc.oneof({ weight: 4, arbitrary: fc.stringMatching(pattern) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });
	const min = node.minLength ?? 0;
	const max = node.maxLength ?? min + 100;
	const within =
		node.format === "uri"
			? fc.oneof(fc.webUrl(), fc.string({ minLength: min, maxLength: 40 }))
			: fc.string({ minLength: min, maxLength: Math.min(max, min + 100) });
	const lengths = [max, max + 1, ...(min > 0 ? [min - 1] : [])];
	return fc.oneof({ weight: 6, arbitrary: within }, { weight: 1, arbitrary: fc.constantFrom(...lengths).map((n) => "s".repeat(n)) });
}

function numberArbitrary(node: SchemaNode, integer: boolean): fc.Arbitrary<unknown> {
	const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : -1000);
	const max = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : min + 1000);
	const step = integer ? 1 : 0.001;
	const edges = fc.constantFrom(min - step, min, max, max + step);
	if (!integer) return fc.oneof({ weight: 4, arbitrary: fc.double({ min, max, noNaN: true }) }, { weight: 1, arbitrary: edges });
	return fc.oneof(
		// Small values first: an `after` or a `limit` near the start of a transcript is what clients send.
		{ weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 60) }) },
		{ weight: 2, arbitrary: edges },
		{ weight: 1, arbitrary: fc.integer({ min, max }) },
	);
}

/**
 * Whether `value` satisfies `schema` as far as the keywords above go.
 * Where it cannot tell (a `format`), it says yes: a filter that must never
 * let a valid value through may drop an invalid one, never the reverse.
 * @example conforms({ type: "integer", minimum: 3 }, 2, {}) // false
 */
export function conforms(schema: unknown, value: unknown, components: Components): boolean {
	const node = resolveSchema(schema, components);
	if (node.const !== undefined) return JSON.stringify(node.const) === JSON.stringify(value);
	if (node.enum !== undefined) return node.enum.some((option) => JSON.stringify(option) === JSON.stringify(value));
	const alternatives = node.anyOf ?? node.oneOf;
	if (alternatives !== undefined) return alternatives.some((alternative) => conforms(alternative, value, components));
	const types = typesOf(node);
	return types.length === 0 || types.some((type) => conformsToType(type, node, value, components));
}

function conformsToType(type: string, node: SchemaNode, value: unknown, components: Components): boolean {
	switch (type) {
		case "object": {
			if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
			const entries = Object.entries(value);
			const properties = node.properties ?? {};
			if ((node.required ?? []).some((key) => !Object.hasOwn(value, key))) return false;
			return entries.every(([key, item]) =>
				Object.hasOwn(properties, key)
					? conforms(properties[key], item, components)
					: node.additionalProperties !== false && conforms(node.additionalProperties, item, components),
			);
		}
		case "array":
			return (
				Array.isArray(value) &&
				value.length >= (node.minItems ?? 0) &&
				value.length <= (node.maxItems ?? Number.POSITIVE_INFINITY) &&
				value.every((item) => conforms(node.items, item, components))
			);
		case "string":
			return (
				typeof value === "string" &&
				value.length >= (node.minLength ?? 0) &&
				value.length <= (node.maxLength ?? Number.POSITIVE_INFINITY) &&
				(patternOf(node)?.test(value) ?? true)
			);
		case "integer":
		case "number":
			return (
				typeof value === "number" &&
				Number.isFinite(value) &&
				(type === "number" || Number.isInteger(value)) &&
				value >= (node.minimum ?? Number.NEGATIVE_INFINITY) &&
				value <= (node.maximum ?? Number.POSITIVE_INFINITY) &&
				value > (node.exclusiveMinimum ?? Number.NEGATIVE_INFINITY) &&
				value < (node.exclusiveMaximum ?? Number.POSITIVE_INFINITY)
			);
		case "boolean":
			return typeof value === "boolean";
		case "null":
			return value === null;
		default:
			return true;
	}
}
