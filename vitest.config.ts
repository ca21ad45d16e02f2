/**
 * The test projects:
 * - `workers`: unit and integration tests inside workerd through the
 *   Cloudflare Vitest plugin, with the bindings of wrangler.toml (local
 *   provider, development secrets, no remote calls), a fresh workerd per file.
 * - `pure`: the files of test/pure-tests.ts, in the same runtime but sharing
 *   workers between files (they touch no binding and no module state).
 * - `e2e`: Node tests that spawn `wrangler dev --local` and drive the public
 *   contract over HTTP and real WebSockets.
 * - `node`: `*.node.test.ts` files beside the workers tests, for checks whose
 *   tools cannot run inside workerd (the OpenAPI validator compiles code).
 * - `browser`: the widget in Debian's Chromium through playwright-core,
 *   against `wrangler dev`, when Chromium is installed.
 */
import { existsSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { PURE_TEST_FILES } from "./test/pure-tests";

/** Browser tests need Debian's Chromium; without it they are left out, and said so loudly. */
const CHROMIUM = "/usr/bin/chromium";
const browserProject: TestProjectInlineConfiguration[] = existsSync(CHROMIUM)
	? [
			{
				test: {
					name: "browser",
					include: ["test/browser/**/*.test.ts"],
					// After the e2e project: both start wrangler dev, and 2 cores do not fit more at once.
					sequence: { groupOrder: 2 },
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 120_000,
					maxWorkers: 1,
				},
			},
		]
	: [];
if (browserProject.length === 0) {
	console.warn(`\n*** Browser tests NOT run: ${CHROMIUM} is missing. Install it with: sudo apt-get install -y chromium ***\n`);
}

/** The workerd test runtime with wrangler.toml's bindings (local provider, development secrets, no remote calls). */
function workerdTests() {
	return cloudflareTest(({ inject }) => ({
		wrangler: { configPath: "./wrangler.toml" },
		// The [ai] binding would otherwise open a remote session, which fails offline.
		remoteBindings: false,
		miniflare: {
			bindings: {
				ENVIRONMENT: "development",
				AI_PROVIDER: "local",
				// Tests that count model calls or time a stream expect one model; routing's own tests turn it on.
				AI_ROUTING: "off",
				LOCAL_AI_CHUNK_DELAY_MS: "0",
				FAKE_OPENAI_URL: inject<string>("fakeOpenAiUrl"),
				// A stand-in for the sample back office (CONTRACT §8): identified sessions' tools reach it.
				BACKOFFICE_URL: inject<string>("fakeBackOfficeUrl"),
				BACKOFFICE_TIMEOUT_MS: "2000",
				// Fuzz case count and seed (test/fuzz): workerd cannot see the host's environment, only bindings.
				FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
				FUZZ_SEED: process.env.FUZZ_SEED ?? "",
			},
		},
	}));
}

export default defineConfig({
	test: {
		// The JSON report lets CI print a plain "N passed, N failed" line.
		reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
		projects: [
			{
				plugins: [workerdTests()],
				test: {
					name: "workers",
					sequence: { groupOrder: 0 },
					include: ["test/**/*.test.ts"],
					exclude: ["test/e2e/**", "test/browser/**", "test/**/*.node.test.ts", ...PURE_TEST_FILES],
					globalSetup: ["test/support/fake-openai-server.ts", "test/support/fake-back-office.ts"],
					// Each file gets a fresh workerd (its storage and module state start empty). Two at a time: with the
					// pure and node projects beside them that can be four processes on 2 cores, but files mostly wait on I/O.
					maxWorkers: 2,
					// The first test of a file to reach a Durable Object loads the product's whole module graph: 3.5 s measured
					// on an idle machine, and past vitest's default 5 s under CI's parallel load (local.test.ts's first test,
					// 2026-12-04). A timeout here catches hangs; how fast things are is the bench's to say.
					testTimeout: 20_000,
				},
			},
			{
				plugins: [workerdTests()],
				test: {
					name: "pure",
					sequence: { groupOrder: 0 },
					include: [...PURE_TEST_FILES],
					// Unused by these files, but the runtime's bindings are built from what these servers provide (inject).
					globalSetup: ["test/support/fake-openai-server.ts", "test/support/fake-back-office.ts"],
					// No bindings and no module state: these files share their workers instead of starting one each (~1.7 s a
					// file). Mocks and stubbed globals are undone after every test, so a failing file cannot leave one behind.
					isolate: false,
					restoreMocks: true,
					unstubGlobals: true,
					maxWorkers: 2,
				},
			},
			{
				test: {
					name: "node",
					include: ["test/**/*.node.test.ts"],
					sequence: { groupOrder: 0 },
					environment: "node",
				},
			},
			{
				test: {
					name: "e2e",
					include: ["test/e2e/**/*.test.ts"],
					sequence: { groupOrder: 1 },
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 120_000,
					// Each file starts its own wrangler dev; two at a time fit the 2-core budget.
					maxWorkers: 2,
				},
			},
			...browserProject,
		],
	},
});
