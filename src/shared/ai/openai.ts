/**
 * Any OpenAI-compatible chat completions endpoint (Ollama, vLLM, llama.cpp
 * server, OpenAI, AI Gateway): `POST {baseUrl}/chat/completions` with
 * `stream: true`, read as SSE `chat.completion.chunk` events.
 */
import { z } from "zod";
import { PermanentError, TransientError } from "../errors";
import type { AiProvider, CompletionRequest } from "./provider";
import { TUNING } from "./provider";
import { eventJson, sseData } from "./sse";

export interface OpenAiOptions {
	baseUrl: string;
	model: string;
	apiKey?: string | undefined;
	fetch?: typeof fetch;
}

const chunkSchema = z
	.object({
		choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).loose().optional() }).loose()),
	})
	.loose();

export function openAiProvider(options: OpenAiOptions): AiProvider {
	const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
	const doFetch = options.fetch ?? fetch;
	return {
		name: "openai",
		async *stream(request: CompletionRequest) {
			let response: Response;
			try {
				response = await doFetch(url, {
					method: "POST",
					headers: {
						"Content-Type": "application/json",
						Accept: "text/event-stream",
						...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
					},
					body: JSON.stringify({
						model: options.model,
						messages: request.messages,
						stream: true,
						max_tokens: request.maxTokens,
						...TUNING,
					}),
					signal: request.signal ?? null,
				});
			} catch (error) {
				throw new TransientError("OpenAI-compatible endpoint unreachable", { cause: error });
			}
			if (!response.ok || !response.body) {
				await response.body?.cancel();
				throw statusError(response);
			}
			try {
				for await (const data of sseData(response.body)) {
					if (data === "[DONE]") return;
					const chunk = chunkSchema.safeParse(eventJson(data));
					if (!chunk.success) throw new PermanentError("OpenAI-compatible endpoint sent an unreadable chunk");
					const content = chunk.data.choices[0]?.delta?.content;
					if (content) yield content;
				}
			} catch (error) {
				if (error instanceof PermanentError) throw error;
				throw new TransientError("OpenAI-compatible stream broke off", { cause: error });
			}
		},
	};
}

function statusError(response: Response): Error {
	const message = `OpenAI-compatible endpoint answered ${response.status}`;
	if (response.status === 429 || response.status === 408 || response.status >= 500) {
		const retryAfter = Number(response.headers.get("Retry-After"));
		return new TransientError(message, Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {});
	}
	return new PermanentError(message);
}
