/**
 * The files vitest.config.ts runs without isolation (test/pure-tests.ts)
 * share their workers with other files, so none may touch what outlives a
 * file: a binding, the Worker, or the isolate's metrics recorder. A file
 * that starts to is caught here, before it makes another file's result
 * depend on the order they ran in.
 */
import { existsSync, readFileSync } from "node:fs";
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

describe("test files run without isolation", () => {
	it.each(PURE_TEST_FILES)("%s exists and touches no shared state", (file) => {
		expect(existsSync(file)).toBe(true);
		expect(sharedState(readFileSync(file, "utf8"))).toEqual([]);
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
