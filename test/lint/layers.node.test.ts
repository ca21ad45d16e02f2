/**
 * The layer rule and the no-cycles rule are checked by Biome, not only
 * written in STYLE.md: this runs the repository's own biome.json over small
 * fixtures in a scratch folder and expects a cross-layer import and an import
 * cycle to fail the lint, and clean code to pass it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const BIOME = resolve("node_modules/.bin/biome");
const folders: string[] = [];

/** A scratch project with the repository's lint rules and these files; the lint's diagnostics, or "" when it passes. */
function lint(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), "lint-fixture-"));
	folders.push(root);
	const config = JSON.parse(readFileSync("biome.json", "utf8"));
	config.$schema = undefined;
	config.files = undefined;
	writeFileSync(join(root, "biome.json"), JSON.stringify(config));
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	try {
		execFileSync(BIOME, ["lint", "src"], { cwd: root, encoding: "utf8", stdio: "pipe" });
		return "";
	} catch (error) {
		const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
		return `${stdout}${stderr}`;
	}
}

afterEach(() => {
	for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("npm run lint", () => {
	it("passes code that keeps to its layer", () => {
		expect(
			lint({
				"src/shared/util.ts": "export const one = 1;\n",
				"src/ingress/route.ts": 'import { one } from "../shared/util";\nexport const two = one + 1;\n',
			}),
		).toBe("");
	});

	it.each([
		["src/ingress", "src/durable/hub.ts", "../durable/hub"],
		["src/consumers", "src/ingress/app.ts", "../ingress/app"],
		["src/durable", "src/consumers/queue.ts", "../consumers/queue"],
		["src/shared", "src/durable/hub.ts", "../durable/hub"],
	])("fails when %s imports from another layer (%s)", (folder, target, specifier) => {
		const output = lint({
			[target]: "export const x = 1;\n",
			[`${folder}/bad.ts`]: `import { x } from "${specifier}";\nexport const y = x;\n`,
		});
		expect(output).toContain("noRestrictedImports");
	});

	it("fails on an import cycle, type-only imports included", () => {
		const output = lint({
			"src/shared/a.ts": 'import type { B } from "./b";\nexport interface A { b?: B }\n',
			"src/shared/b.ts": 'import type { A } from "./a";\nexport interface B { a?: A }\n',
		});
		expect(output).toContain("noImportCycles");
	});
});
