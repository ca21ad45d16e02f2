import { describe, expect, it } from "vitest";
import { ConfigError, DEV_DEFAULTS, parseConfig } from "../../src/shared/config";

const STRONG = "a-production-secret-of-at-least-32-characters";

describe("parseConfig", () => {
	it("applies the documented development defaults in development", () => {
		const config = parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "local" });
		expect(config.adminToken).toBe("dev-admin-token");
		expect(config.sessionSecret).toBe(DEV_DEFAULTS.sessionSecret);
		expect(config.ai).toEqual({ provider: "local", firstChunkDelayMs: 15, chunkDelayMs: 15 });
	});

	it("refuses to run in production without secrets", () => {
		expect(() => parseConfig({ ENVIRONMENT: "production" })).toThrow(ConfigError);
	});

	it("refuses the development secrets in production", () => {
		expect(() => parseConfig({ ENVIRONMENT: "production", SESSION_SECRET: DEV_DEFAULTS.sessionSecret, ADMIN_TOKEN: "x" })).toThrow(
			/refuses/,
		);
		expect(() => parseConfig({ ENVIRONMENT: "production", SESSION_SECRET: STRONG, ADMIN_TOKEN: DEV_DEFAULTS.adminToken })).toThrow(
			/refuses/,
		);
	});

	it("refuses a short production session secret", () => {
		expect(() => parseConfig({ ENVIRONMENT: "production", SESSION_SECRET: "short", ADMIN_TOKEN: "admin" })).toThrow(ConfigError);
	});

	it("paces the local provider by profile, with LOCAL_AI_CHUNK_DELAY_MS overriding the pause between chunks", () => {
		const local = (vars: Record<string, string>) => parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "local", ...vars }).ai;
		expect(local({ LOCAL_AI_PROFILE: "instant" })).toEqual({ provider: "local", firstChunkDelayMs: 0, chunkDelayMs: 0 });
		expect(local({ LOCAL_AI_PROFILE: "realistic" })).toEqual({ provider: "local", firstChunkDelayMs: 400, chunkDelayMs: 100 });
		expect(local({ LOCAL_AI_PROFILE: "realistic", LOCAL_AI_CHUNK_DELAY_MS: "50" })).toMatchObject({
			firstChunkDelayMs: 400,
			chunkDelayMs: 50,
		});
		expect(local({ LOCAL_AI_CHUNK_DELAY_MS: "150" })).toEqual({ provider: "local", firstChunkDelayMs: 150, chunkDelayMs: 150 });
		expect(() => local({ LOCAL_AI_PROFILE: "glacial" })).toThrow(ConfigError);
	});

	it("refuses a short production admin token", () => {
		expect(() => parseConfig({ ENVIRONMENT: "production", SESSION_SECRET: STRONG, ADMIN_TOKEN: "admin" })).toThrow(/ADMIN_TOKEN/);
	});

	it("selects Workers AI with the configured model in production", () => {
		const config = parseConfig({
			ENVIRONMENT: "production",
			SESSION_SECRET: STRONG,
			ADMIN_TOKEN: `${STRONG}-admin`,
			AI_PROVIDER: "workers-ai",
			AI_MODEL: "@cf/x/y",
		});
		expect(config.ai).toEqual({ provider: "workers-ai", model: "@cf/x/y" });
	});

	it("requires a base URL and model for the OpenAI-compatible provider", () => {
		expect(() => parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "openai" })).toThrow(/OPENAI_BASE_URL/);
		const config = parseConfig({
			ENVIRONMENT: "development",
			AI_PROVIDER: "openai",
			OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
			OPENAI_MODEL: "llama3",
		});
		expect(config.ai).toEqual({ provider: "openai", baseUrl: "http://127.0.0.1:11434/v1", model: "llama3", apiKey: undefined });
	});

	it("rejects an unknown provider name", () => {
		expect(() => parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "gpt" })).toThrow(ConfigError);
	});
});
