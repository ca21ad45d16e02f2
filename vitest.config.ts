/**
 * Two test projects:
 * - `workers`: unit and integration tests inside workerd through the
 *   Cloudflare Vitest plugin, with the bindings of wrangler.toml (local
 *   provider, development secrets, no remote calls).
 * - `e2e`: Node tests that spawn `wrangler dev --local` and drive the public
 *   contract over HTTP and real WebSockets.
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		projects: [
			{
				plugins: [
					cloudflareTest(({ inject }) => ({
						wrangler: { configPath: "./wrangler.toml" },
						// The [ai] binding would otherwise open a remote session, which fails offline.
						remoteBindings: false,
						miniflare: {
							bindings: {
								ENVIRONMENT: "development",
								AI_PROVIDER: "local",
								LOCAL_AI_CHUNK_DELAY_MS: "0",
								FAKE_OPENAI_URL: inject<string>("fakeOpenAiUrl"),
							},
						},
					})),
				],
				test: {
					name: "workers",
					include: ["test/**/*.test.ts"],
					exclude: ["test/e2e/**"],
					globalSetup: ["test/support/fake-openai-server.ts"],
				},
			},
			{
				test: {
					name: "e2e",
					include: ["test/e2e/**/*.test.ts"],
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 120_000,
					// Each file starts its own wrangler dev; two at a time fit the 2-core budget.
					maxWorkers: 2,
				},
			},
		],
	},
});
