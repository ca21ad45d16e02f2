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
	/** A cheaper model on the same endpoint for easy turns (OPENAI_SMALL_MODEL); without one, routing is off. */
	smallModel?: string | undefined;
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
		model: options.model,
		smallModel: options.smallModel,
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
						model: request.model ?? options.model,
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
				for await (const data of sseData(response.body, request.signal)) {
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
		const retryAfterSeconds = retryAfter(response.headers.get("Retry-After"));
		return new TransientError(message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
	}
	return new PermanentError(message);
}

/**
 * The longest wait a `Retry-After` hint can buy. The session hub's watchdog
 * (WATCHDOG_MS in durable/watchdog.ts) re-drives a delivered-but-idle message
 * after 20 s, so a queue retry delayed longer than that only wastes an attempt.
 */
export const MAX_RETRY_AFTER_SECONDS = 15;

/** All three HTTP-date forms (RFC 9110 §5.6.7) carry a time of day; other text is not a date. */
const HTTP_DATE = /^[A-Za-z]{3,9},? .*\b\d{2}:\d{2}:\d{2}\b/;

/**
 * `Retry-After` as whole seconds from now, capped; undefined when absent,
 * unreadable or not in the future.
 * @example retryAfter("3600") // 15
 */
function retryAfter(header: string | null): number | undefined {
	if (header === null) return undefined;
	const value = header.trim();
	let seconds: number;
	if (/^\d+$/.test(value)) seconds = Number(value);
	else if (HTTP_DATE.test(value)) seconds = Math.ceil((Date.parse(value) - Date.now()) / 1000);
	else return undefined;
	// NaN (a date-shaped string that is no date) fails this test too.
	if (!(seconds > 0)) return undefined;
	return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}
