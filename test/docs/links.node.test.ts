/**
 * The docs' links and paths resolve inside the repository (STYLE rule 16: a
 * docs test for links). Every Markdown link in README.md, docs/ and
 * load/README.md must point at a file or folder of this repository, not
 * outside it, and every backticked `src/…`, `test/…`, `bench/…`, `load/…`,
 * `scripts/…` or `docs/…` path must exist (a glob must match something). A
 * renamed file then fails here instead of leaving a dead reference behind.
 */
import { existsSync, globSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(".");
const DOCS = ["README.md", "load/README.md", ...globSync("docs/**/*.md", { cwd: ROOT }).sort()];
/** Backticked paths under these folders are checked; they are written relative to the repository root. */
const CHECKED_PREFIXES = ["src/", "test/", "bench/", "load/", "scripts/", "docs/"];
/** Links that leave for the web are not this test's business. */
const EXTERNAL = /^(https?:|mailto:)/i;

/** The text outside fenced code blocks: a diagram or a shell example holds no links or path claims. */
function prose(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** Every link target: inline `[text](target "title")`, images, and reference definitions `[id]: target`. */
function linkTargets(markdown: string): string[] {
	const text = prose(markdown).replace(/`[^`\n]*`/g, "");
	const inline = [...text.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? "");
	const references = [...text.matchAll(/^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s.*)?$/gm)].map((m) => m[1] ?? "");
	return [...inline, ...references];
}

/** What is wrong with one link of `file`, or null when it resolves inside the repository. */
function linkProblem(file: string, target: string): string | null {
	if (EXTERNAL.test(target) || target.startsWith("#")) return null;
	if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return `${target}: a scheme this repository cannot resolve`;
	if (target.startsWith("/")) return `${target}: an absolute path, which resolves differently on every host`;
	const path = decodeURIComponent(target.replace(/[#?].*$/, ""));
	if (path === "") return null;
	const absolute = resolve(ROOT, dirname(file), path);
	const inside = relative(ROOT, absolute);
	if (inside === ".." || inside.startsWith(`..${sep}`)) return `${target}: leaves the repository`;
	if (!existsSync(absolute)) return `${target}: no such file (${inside})`;
	return null;
}

/** Every backticked path that starts with a checked folder, with trailing punctuation and a `:line` suffix removed. */
function codePaths(markdown: string): string[] {
	const paths: string[] = [];
	for (const [, span = ""] of prose(markdown).matchAll(/`([^`\n]+)`/g)) {
		const first = span.trim().split(/\s+/)[0] ?? "";
		if (!CHECKED_PREFIXES.some((prefix) => first.startsWith(prefix))) continue;
		// A placeholder (`load/results/<scenario>-latest.json`, `src/…`) names no one file.
		if (first.includes("<") || first.includes("…")) continue;
		paths.push(first.replace(/[.,;:!?)\]'"]+$/, "").replace(/:\d+(?::\d+)?$/, ""));
	}
	return paths;
}

/**
 * The outputs `.gitignore` names outright (`bench/results/latest.json`, `public/vendor/`): the docs
 * say where a run writes them, and a fresh clone has none. Only exact lines count, no patterns.
 */
const OUTPUTS = readFileSync(join(ROOT, ".gitignore"), "utf8")
	.split("\n")
	.map((line) => line.trim().replace(/^\//, ""))
	.filter((line) => line !== "" && !line.startsWith("#") && !/[*?[!]/.test(line));

function isOutput(path: string): boolean {
	return OUTPUTS.some((output) => path === output || (output.endsWith("/") && path.startsWith(output)));
}

/** What is wrong with one backticked path, or null when it exists (or is an output a run writes). */
function pathProblem(path: string): string | null {
	if (isOutput(path)) return null;
	if (path.includes("*")) return globSync(path, { cwd: ROOT }).length > 0 ? null : `${path}: the glob matches nothing`;
	const absolute = join(ROOT, path);
	if (path.endsWith("/")) return existsSync(absolute) && statSync(absolute).isDirectory() ? null : `${path}: no such folder`;
	return existsSync(absolute) ? null : `${path}: no such file`;
}

/** Every problem in one document, as `kind target: reason` lines. */
function problemsIn(file: string, markdown: string): string[] {
	const links = linkTargets(markdown).map((target) => linkProblem(file, target));
	const paths = codePaths(markdown).map(pathProblem);
	return [...links.map((p) => p && `link ${p}`), ...paths.map((p) => p && `path ${p}`)].filter((p): p is string => p !== null);
}

describe("the docs' links and paths", () => {
	it.each(DOCS)("%s: every link stays in the repository and every backticked path exists", (file) => {
		expect(problemsIn(file, readFileSync(join(ROOT, file), "utf8"))).toEqual([]);
	});

	it("reads the documents it means to (the checks above are not vacuous)", () => {
		expect(DOCS).toEqual(expect.arrayContaining(["README.md", "docs/architecture.md", "docs/protocol.md", "docs/testing.md"]));
		const all = DOCS.map((file) => readFileSync(join(ROOT, file), "utf8"));
		expect(all.flatMap(linkTargets).length).toBeGreaterThan(20);
		expect(all.flatMap(codePaths).length).toBeGreaterThan(100);
	});

	it("flags a link out of the repository, a missing file, a missing path and an empty glob, and spares a run's output", () => {
		const markdown = [
			"The [contract](../shared/CONTRACT.md) and [notes](docs/nowhere.md#intro), [web](https://example.com), [top](#top).",
			"[ref]: ../../outside.md",
			"See `src/nowhere.ts`, `test/**/*.nowhere.ts`, `bench/missing/` and `src/index.ts`, `src/<layer>/x.ts`, `bench/results/latest.json`.",
			"```sh",
			"cat src/inside-a-fence-is-not-checked.ts [x](../fenced.md)",
			"```",
		].join("\n");
		expect(problemsIn("README.md", markdown)).toEqual([
			"link ../shared/CONTRACT.md: leaves the repository",
			"link docs/nowhere.md#intro: no such file (docs/nowhere.md)",
			"link ../../outside.md: leaves the repository",
			"path src/nowhere.ts: no such file",
			"path test/**/*.nowhere.ts: the glob matches nothing",
			"path bench/missing/: no such folder",
		]);
	});

	it("resolves a link from the folder of the document that holds it", () => {
		expect(problemsIn("docs/x.md", "[readme](../README.md), [arch](architecture.md), [up](../../x.md)")).toEqual([
			"link ../../x.md: leaves the repository",
		]);
	});
});
