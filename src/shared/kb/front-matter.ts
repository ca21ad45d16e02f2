/**
 * The format of the sample knowledge base's articles (src/shared/kb/articles):
 * one Markdown file per article, named after its id, with front matter in a
 * strict subset of YAML, so that every file reads the same in a YAML tool:
 *
 *     ---
 *     id: reset-password
 *     title: Reset your password
 *     url: https://help.brightdesk.example/articles/reset-password
 *     tags: [accounts, login, password]
 *     ---
 *     The body, in Markdown, up to the file's final newline.
 *
 * Nothing is trimmed or defaulted: what the file says is what gets seeded, and
 * a file that does not follow the format fails the load with its name.
 */
import { z } from "zod";
import { idSchema } from "../schemas/inputs";

export interface SampleArticle {
	readonly id: string;
	readonly title: string;
	readonly url: string;
	readonly tags: readonly string[];
	readonly body: string;
}

/** Stored exactly as written, so there is nothing to trim; the limits are those of `PUT /api/kb/articles/:id`. */
const exactText = (max: number) =>
	z
		.string()
		.min(1)
		.max(max)
		.refine((text) => text.trim() === text, "must not start or end with blank space")
		.refine((text) => text.isWellFormed(), "must be well-formed Unicode");

export const frontMatterSchema = z.strictObject({
	id: idSchema,
	title: exactText(200),
	url: z.url({ protocol: /^https$/ }).max(2048),
	tags: z
		.array(
			z
				.string()
				.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens")
				.max(40),
		)
		.min(1)
		.max(20),
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

const bodySchema = z.object({ body: exactText(20_000) });

const OPEN = "---\n";
const CLOSE = "\n---\n";

/**
 * Parses one article file; throws an Error that starts with `fileName` when the
 * file does not follow the format.
 * @example parseArticle("refund-policy.md", "---\nid: refund-policy\ntitle: Refund policy\n…\n---\nBody.\n")
 */
export function parseArticle(fileName: string, text: string): SampleArticle {
	try {
		return parse(text);
	} catch (error) {
		const reason = error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
		throw new Error(`${fileName}: ${reason}`, { cause: error });
	}
}

/**
 * Parses the article files in the given order, and checks that each is named
 * after its id, `<id>.md`, so two files can never seed the same article.
 * @example parseArticles([["refund-policy.md", text]]) // [{ id: "refund-policy", … }]
 */
export function parseArticles(files: readonly (readonly [fileName: string, text: string])[]): readonly SampleArticle[] {
	const seen = new Set<string>();
	return files.map(([fileName, text]) => {
		const article = parseArticle(fileName, text);
		if (fileName !== `${article.id}.md`) throw new Error(`${fileName}: must be named after its id, ${article.id}.md`);
		if (seen.has(fileName)) throw new Error(`${fileName}: listed twice`);
		seen.add(fileName);
		return article;
	});
}

function parse(text: string): SampleArticle {
	// Windows checkouts with core.autocrlf turn "\n" into "\r\n"; refusing beats seeding bodies full of "\r".
	if (text.includes("\r")) throw new Error("has CR (\\r) characters: save it with LF line endings");
	if (!text.startsWith(OPEN)) throw new Error('must start with a "---" line');
	const close = text.indexOf(CLOSE, OPEN.length - 1);
	if (close === -1) throw new Error('has no "---" line closing the front matter');
	const rest = text.slice(close + CLOSE.length);
	if (!rest.endsWith("\n")) throw new Error("must end with a newline");

	const fields: Record<string, string | string[]> = {};
	const head = close < OPEN.length ? [] : text.slice(OPEN.length, close).split("\n");
	for (const [index, line] of head.entries()) {
		const where = `front matter line ${index + 2}`;
		const [, key = "", value = ""] = /^([a-z]+): (.*)$/.exec(line) ?? [];
		if (!key) throw new Error(`${where}: ${JSON.stringify(line)} is not "key: value"`);
		if (Object.hasOwn(fields, key)) throw new Error(`${where}: ${key} appears twice`);
		fields[key] = value.startsWith("[") ? flowList(value, where) : plainScalar(value, where);
	}
	const frontMatter = frontMatterSchema.parse(fields);
	const { body } = bodySchema.parse({ body: rest.slice(0, -1) });
	return { ...frontMatter, body };
}

/** `[a, b, c]`: YAML's flow sequence of plain scalars. */
function flowList(value: string, where: string): string[] {
	if (!value.endsWith("]")) throw new Error(`${where}: ${JSON.stringify(value)} opens a list that it does not close`);
	const inner = value.slice(1, -1);
	if (inner.trim() === "") return [];
	return inner.split(",").map((item) => {
		const scalar = plainScalar(item.trim(), where);
		if (/[[\]{}]/.test(scalar)) throw new Error(`${where}: ${JSON.stringify(scalar)} cannot hold brackets or braces in a list`);
		return scalar;
	});
}

/**
 * A value that YAML reads as the very same string: no quotes, no leading
 * indicator character, no ": " or " #" inside, no blank space at either end.
 */
function plainScalar(value: string, where: string): string {
	const yamlWouldDiffer = value === "" || value.trim() !== value || /^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: | #|:$/.test(value);
	if (yamlWouldDiffer) {
		throw new Error(`${where}: ${JSON.stringify(value)} is not a plain YAML value (no quotes, no leading indicator, no ": " or " #")`);
	}
	return value;
}
