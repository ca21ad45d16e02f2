/**
 * The strict variant of a shared wire schema, for conformance tests: the very
 * same schema (every type, bound and format), except that every object in it
 * rejects fields the contract does not list. Clients must tolerate unknown
 * fields, so the SDK's own schemas strip them; a test that checks what the
 * server sends must not. Deriving the variant instead of writing it again
 * keeps one definition per shape (src/shared/schemas).
 */
import * as z from "zod/mini";

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/**
 * @example new ChatApi({ baseUrl, schemas: { messagePage: strict(messagePageSchema) } })
 */
export function strict<S extends z.core.$ZodType>(schema: S): S {
	// The variant accepts a subset of what `schema` accepts and outputs the same type.
	return strictVariant(schema) as S;
}

function strictVariant(schema: z.core.$ZodType): z.core.$ZodType {
	const def = schema._zod.def as Def;
	const checks = (def.checks ?? []) as z.core.$ZodCheck<unknown[]>[];
	const inner = (key: string) => strictVariant(def[key] as z.core.$ZodType);
	switch (def.type) {
		case "object": {
			const shape = def.shape as Record<string, z.core.$ZodType>;
			return z.strictObject(Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, strictVariant(field)])));
		}
		case "array":
			return z.array(inner("element")).check(...checks);
		case "optional":
			return z.optional(inner("innerType"));
		case "nullable":
			return z.nullable(inner("innerType"));
		case "readonly":
			return z.readonly(inner("innerType"));
		case "record":
			return z.record(def.keyType as z.core.$ZodRecordKey, inner("valueType"));
		case "union": {
			const options = (def.options as z.core.$ZodType[]).map(strictVariant);
			const discriminator = def.discriminator as string | undefined;
			return discriminator === undefined
				? z.union(options)
				: z.discriminatedUnion(discriminator, options as unknown as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]);
		}
		default:
			return schema;
	}
}
