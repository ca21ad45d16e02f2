/**
 * Names a schema for the OpenAPI document (GET /api/openapi.json) and gives it
 * a description and examples. The metadata goes through zod's own `.meta()`,
 * so the schema parses exactly as before, and the examples are type-checked
 * against what the schema accepts: a field renamed in the schema breaks the
 * build instead of leaving a stale example in the document.
 */
import type { z } from "zod";

export interface Documentation<S extends z.ZodType> {
	/** The component name in the document (`#/components/schemas/<id>`). */
	id: string;
	description: string;
	examples?: z.input<S>[];
}

/**
 * @example export const citationSchema = documented(z.object({ id: z.string() }), { id: "Citation", description: "…", examples: [{ id: "kb_1" }] });
 */
export function documented<S extends z.ZodType>(schema: S, { id, description, examples }: Documentation<S>): S {
	return schema.meta({ id, description, ...(examples ? { examples } : {}) });
}
