/**
 * Any OpenAI-compatible chat completions endpoint (Ollama, vLLM, llama.cpp
 * server, OpenAI, AI Gateway): `POST {baseUrl}/chat/completions` with
 * `stream: true`, read as SSE `chat.completion.chunk` events; with `tools`,
 * calls arrive as `delta.tool_calls` pieces (tool-calls.ts), or whole when
 * a server answers JSON instead of a stream.
 */
import { z } from "zod";
import { PermanentError, TransientError } from "../errors";
import type { AiProvider, CompletionRequest } from "./provider";
import { TUNING } from "./provider";
import { eventJson, sseData } from "./sse";
import { completionParts, ToolCallAssembler, wireMessage } from "./tool-calls";

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
		choices: z.array(
			z.object({ delta: z.object({ content: z.string().nullish(), tool_calls: z.unknown().optional() }).loose().optional() }).loose(),
		),
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
						messages: request.messages.map(wireMessage),
						stream: true,
						max_tokens: request.maxTokens,
						...(request.tools ? { tools: request.tools.specs } : {}),
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
			if (response.headers.get("Content-Type")?.startsWith("application/json")) {
				// A server that ignores `stream` (some do when tools are offered) answers whole.
				const whole = completionParts(await response.json().catch(() => undefined));
				if (whole.calls.length > 0 && request.tools) request.tools.called(whole.calls);
				else if (whole.text) yield whole.text;
				return;
			}
			const calls = new ToolCallAssembler();
			try {
				for await (const data of sseData(response.body, request.signal)) {
					if (data === "[DONE]") break;
					const chunk = chunkSchema.safeParse(eventJson(data));
					if (!chunk.success) throw new PermanentError("OpenAI-compatible endpoint sent an unreadable chunk");
					const delta = chunk.data.choices[0]?.delta;
					if (delta?.content) yield delta.content;
					calls.add(delta?.tool_calls);
				}
			} catch (error) {
				if (error instanceof PermanentError) throw error;
				throw new TransientError("OpenAI-compatible stream broke off", { cause: error });
			}
			if (calls.size > 0 && request.tools) request.tools.called(calls.finish());
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
