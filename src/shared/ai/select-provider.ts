/** Picks the AI adapter from configuration alone; no code edit switches providers. */
import type { Config } from "../config";
import { localProvider } from "./local";
import { openAiProvider } from "./openai";
import type { AiProvider } from "./provider";
import { type AiRunner, workersAiProvider } from "./workers-ai";

/**
 * @example selectProvider(configOf(env).ai, env.AI).name // "local" under `npm run dev`
 */
export function selectProvider(config: Config["ai"], ai: AiRunner): AiProvider {
	switch (config.provider) {
		case "local":
			return localProvider({ firstChunkDelayMs: config.firstChunkDelayMs, chunkDelayMs: config.chunkDelayMs, small: config.small });
		case "workers-ai":
			return workersAiProvider(ai, config.model, config.smallModel);
		case "openai":
			return openAiProvider({ baseUrl: config.baseUrl, model: config.model, smallModel: config.smallModel, apiKey: config.apiKey });
	}
}
