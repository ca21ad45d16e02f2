/**
 * Documentation for the OpenAPI document (GET /api/openapi.json): a schema's
 * component name, description, examples and field descriptions, type-checked
 * against what the schema accepts, so a renamed field breaks the build
 * instead of leaving a stale example in the document.
 *
 * Two flavours, because the schemas come in two. What the server sends (the
 * response bodies and server frames) is written once in zod/mini, and the
 * Worker, the SDK and the browser widget all parse with those very schemas.
 * Their documentation is kept beside them as plain data (`Documented`),
 * which the browser bundle drops because nothing there reads it; the
 * Worker's document collects it (src/ingress/openapi/wire-schemas.ts). What
 * the server accepts (request bodies, client frames) is parsed by the Worker
 * alone, in classic zod with its richer refinements, and `documentedRequest`
 * describes it through `.meta()` for the OpenAPI generator.
 */
import type { z as classic } from "zod";
import type * as z from "zod/mini";

export interface Documentation<T> {
	/** The component name in the document (`#/components/schemas/<id>`). */
	id: string;
	description: string;
	examples?: T[];
	/** Descriptions of the object's own fields, by name. */
	fields?: Partial<Record<keyof T & string, string>>;
}

/**
 * A wire schema's documentation: plain data, so that a bundle that never
 * reads it (the widget) drops it whole, which a function call would prevent.
 * @example export const citationDocs = { schema: citationSchema, id: "Citation", description: "…" } satisfies Documented<typeof citationSchema>;
 */
export interface Documented<S extends z.ZodMiniType = z.ZodMiniType> extends Documentation<z.input<S>> {
	schema: S;
}

export function isDocumented(value: unknown): value is Documented {
	if (typeof value !== "object" || value === null) return false;
	const { schema, id } = value as Partial<Documented>;
	return typeof id === "string" && typeof schema === "object" && schema !== null && "_zod" in schema;
}

/**
 * @example export const postMessageSchema = documentedRequest(z.object({ text: z.string() }).strict(), { id: "PostMessageRequest", description: "…" });
 */
export function documentedRequest<S extends classic.ZodType>(
	schema: S,
	{ id, description, examples }: Omit<Documentation<classic.input<S>>, "fields">,
): S {
	return schema.meta({ id, description, ...(examples ? { examples } : {}) });
}
