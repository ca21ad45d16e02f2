import { describe, expect, it } from "vitest";
import { ConfigError, DEV_DEFAULTS, parseConfig } from "../../src/shared/config";

const STRONG = "a-production-secret-of-at-least-32-characters";

describe("parseConfig", () => {
	it("applies the documented development defaults in development", () => {
		const config = parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "local" });
		expect(config.adminToken).toBe("dev-admin-token");
		expect(config.sessionSecret).toBe(DEV_DEFAULTS.sessionSecret);
		expect(config.ai).toEqual({
			provider: "local",
			firstChunkDelayMs: 15,
			chunkDelayMs: 15,
			small: { firstChunkDelayMs: 6, chunkDelayMs: 6 },
		});
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
		const local = (vars: Record<string, string>) =>
			parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "local", AI_ROUTING: "off", ...vars }).ai;
		expect(local({ LOCAL_AI_PROFILE: "instant" })).toEqual({ provider: "local", firstChunkDelayMs: 0, chunkDelayMs: 0, small: undefined });
		expect(local({ LOCAL_AI_PROFILE: "realistic" })).toEqual({
			provider: "local",
			firstChunkDelayMs: 400,
			chunkDelayMs: 100,
			small: undefined,
		});
		expect(local({ LOCAL_AI_PROFILE: "realistic", LOCAL_AI_CHUNK_DELAY_MS: "50" })).toMatchObject({
			firstChunkDelayMs: 400,
			chunkDelayMs: 50,
		});
		expect(local({ LOCAL_AI_CHUNK_DELAY_MS: "150" })).toEqual({
			provider: "local",
			firstChunkDelayMs: 150,
			chunkDelayMs: 150,
			small: undefined,
		});
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
		expect(config.ai).toEqual({ provider: "workers-ai", model: "@cf/x/y", smallModel: "@cf/meta/llama-3.1-8b-instruct-fp8-fast" });
	});

	it("requires a base URL and model for the OpenAI-compatible provider", () => {
		expect(() => parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "openai" })).toThrow(/OPENAI_BASE_URL/);
		const config = parseConfig({
			ENVIRONMENT: "development",
			AI_PROVIDER: "openai",
			OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
			OPENAI_MODEL: "llama3",
		});
		expect(config.ai).toEqual({
			provider: "openai",
			baseUrl: "http://127.0.0.1:11434/v1",
			model: "llama3",
			smallModel: undefined,
			apiKey: undefined,
		});
	});

	it("routes by default (AI_ROUTING=auto) to each provider's small model, and to none with routing off", () => {
		const production = { ENVIRONMENT: "production", SESSION_SECRET: STRONG, ADMIN_TOKEN: `${STRONG}-admin` };
		const ai = (vars: Record<string, string>) => parseConfig({ ...production, ...vars }).ai;
		expect(ai({})).toMatchObject({ provider: "workers-ai", smallModel: "@cf/meta/llama-3.1-8b-instruct-fp8-fast" });
		expect(ai({ AI_SMALL_MODEL: "@cf/x/small" })).toMatchObject({ smallModel: "@cf/x/small" });
		expect(ai({ AI_ROUTING: "off" })).toMatchObject({ provider: "workers-ai", smallModel: undefined });
		// A "small" model that is the large one is no routing at all.
		expect(ai({ AI_SMALL_MODEL: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" })).toMatchObject({ smallModel: undefined });
		const openai = { AI_PROVIDER: "openai", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "llama3.3:70b" };
		// An OpenAI-compatible endpoint routes only when it names a small model.
		expect(ai(openai)).toMatchObject({ provider: "openai", smallModel: undefined });
		expect(ai({ ...openai, OPENAI_SMALL_MODEL: "llama3.1:8b" })).toMatchObject({ smallModel: "llama3.1:8b" });
		expect(ai({ AI_PROVIDER: "local" })).toMatchObject({ provider: "local", small: { firstChunkDelayMs: 6, chunkDelayMs: 6 } });
		expect(() => ai({ AI_ROUTING: "sometimes" })).toThrow(ConfigError);
	});

	it("prices the two models per million tokens, Workers AI's prices unless configured, and refuses a malformed price", () => {
		const vars = { ENVIRONMENT: "development" };
		expect(parseConfig(vars).aiPrices).toEqual({
			large: { inputPerMillion: 0.293, outputPerMillion: 2.253 },
			small: { inputPerMillion: 0.045, outputPerMillion: 0.384 },
		});
		expect(parseConfig({ ...vars, AI_MODEL_PRICES: "1.5, 6", AI_SMALL_MODEL_PRICES: "0,0" }).aiPrices).toEqual({
			large: { inputPerMillion: 1.5, outputPerMillion: 6 },
			small: { inputPerMillion: 0, outputPerMillion: 0 },
		});
		for (const bad of ["0.293", "$0.29,2.25", "-1,2", "a,b"])
			expect(() => parseConfig({ ...vars, AI_MODEL_PRICES: bad })).toThrow(/AI_MODEL_PRICES/);
	});

	it("rejects an unknown provider name", () => {
		expect(() => parseConfig({ ENVIRONMENT: "development", AI_PROVIDER: "gpt" })).toThrow(ConfigError);
	});
});
