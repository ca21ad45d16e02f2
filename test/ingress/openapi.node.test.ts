/**
 * The OpenAPI document against the OpenAPI 3.1 specification's own JSON
 * schema, with a real validator. It runs in Node (the `node` test project):
 * the validator compiles its checks into functions at run time, which workerd
 * refuses. openapi.test.ts proves the served document is this same text.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect, it } from "vitest";
import { z } from "zod";
import { openApiDocument, openApiJson } from "../../src/ingress/openapi/document";

const VERSION = "0.0.0-test";
const document = openApiDocument(VERSION);

it("is a valid OpenAPI 3.1 document", async () => {
	const validator = new Validator();
	// The validator takes any JSON object; a copy typed as one.
	const spec: Record<string, unknown> = { ...document };
	const result = await validator.validate(spec);
	expect(result.errors ?? []).toEqual([]);
	expect(result.valid).toBe(true);
	expect(validator.version).toBe("3.1");
});

it("is checked for real: the same validator refuses it with a parameter in a place OpenAPI 3.1 does not have", async () => {
	const text = openApiJson(VERSION);
	expect(text).toContain('"in":"path"');
	const broken = z.record(z.string(), z.unknown()).parse(JSON.parse(text.replace('"in":"path"', '"in":"body"')));
	const result = await new Validator().validate(broken);
	expect(result.valid).toBe(false);
});

it("has no reference to a component that does not exist", () => {
	const refs = new Set<string>();
	const walk = (value: unknown): void => {
		if (Array.isArray(value)) value.forEach(walk);
		else if (value && typeof value === "object") {
			for (const [key, child] of Object.entries(value)) {
				if (key === "$ref" && typeof child === "string") refs.add(child);
				else walk(child);
			}
		}
	};
	walk(document);
	expect(refs.size).toBeGreaterThan(10);
	const unresolved = [...refs].filter((ref) => {
		const [, ...segments] = ref.split("/");
		let at: unknown = document;
		for (const segment of segments) at = at && typeof at === "object" ? Reflect.get(at, segment) : undefined;
		return at === undefined;
	});
	expect(unresolved).toEqual([]);
});
