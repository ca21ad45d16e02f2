/**
 * The files vitest.config.ts runs without isolation (test/pure-tests.ts)
 * share their workers with other files, so none may touch what outlives a
 * file: a binding, the Worker, or the isolate's metrics recorder. A file
 * that starts to is caught here, before it makes another file's result
 * depend on the order they ran in.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { PURE_TEST_FILES } from "../pure-tests";

/** What makes a test file share state with the files after it in the same worker. */
const SHARES_STATE = [
	/from "cloudflare:/,
	/\bSELF\b/,
	/\bworkerFetch\b/,
	/support\/api"/,
	/\b(shipMetrics|recordAiUsage|isolateMetrics)\b/,
	/\bvi\.mock\(/,
	/\bvi\.stubGlobal\(/,
];

function sharedState(text: string): string[] {
	return SHARES_STATE.filter((pattern) => pattern.test(text)).map(String);
}

/** The test helpers `file` imports, followed through their own relative imports (src/ is the code under test, not state). */
function testImports(file: string, seen = new Set<string>()): Set<string> {
	for (const [, spec] of readFileSync(file, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
		const path = normalize(join(dirname(file), spec ?? ""));
		const resolved = [`${path}.ts`, path, join(path, "index.ts")].find((p) => existsSync(p) && p.endsWith(".ts"));
		if (!resolved || resolved.startsWith("src/") || seen.has(resolved)) continue;
		seen.add(resolved);
		testImports(resolved, seen);
	}
	return seen;
}

describe("test files run without isolation", () => {
	it.each(PURE_TEST_FILES)("%s exists and touches no shared state, nor do the helpers it imports", (file) => {
		expect(existsSync(file)).toBe(true);
		for (const source of [file, ...testImports(file)]) expect(sharedState(readFileSync(source, "utf8")), source).toEqual([]);
	});

	it("follows a file's helpers: a cache test's support module reaches the bindings", () => {
		expect([...testImports("test/shared/cache/memory-level.test.ts")]).toContain("test/shared/cache/support.ts");
		expect(sharedState(readFileSync("test/shared/cache/support.ts", "utf8"))).not.toEqual([]);
	});

	it("catches a file that reaches a binding, the Worker or the recorder", () => {
		expect(sharedState('import { env } from "cloudflare:workers";')).toHaveLength(1);
		expect(sharedState('import { request } from "../support/api";')).toHaveLength(1);
		expect(sharedState("shipMetrics(env, recorder);")).toHaveLength(1);
		expect(sharedState("expect(parse(text)).toEqual(value);")).toEqual([]);
	});

	it("lists only test files, each once", () => {
		expect(new Set(PURE_TEST_FILES).size).toBe(PURE_TEST_FILES.length);
		for (const file of PURE_TEST_FILES) expect(file).toMatch(/^test\/.+\.test\.ts$/);
	});
});
