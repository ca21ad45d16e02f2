/**
 * The production adapter: Workers AI through the `AI` binding, streaming.
 * Workers AI streams SSE events of `{"response": "<text>"}`, ending with
 * `data: [DONE]`.
 */
import { z } from "zod";
import { isTransient, PermanentError, TransientError } from "../errors";
import type { AiProvider, CompletionRequest } from "./provider";
import { TUNING } from "./provider";
import { eventJson, sseData } from "./sse";

/** The slice of the `AI` binding this adapter uses; tests pass a fake with the same shape. */
export interface AiRunner {
	run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

const eventSchema = z.object({ response: z.string().nullish() }).loose();

/**
 * `model` answers by default; `smallModel`, when given, is the one model routing may name per request.
 * @example workersAiProvider(env.AI, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/meta/llama-3.1-8b-instruct-fp8-fast")
 */
export function workersAiProvider(ai: AiRunner, model: string, smallModel?: string): AiProvider {
	return {
		name: "workers-ai",
		model,
		smallModel,
		async *stream(request: CompletionRequest) {
			let result: unknown;
			try {
				result = await ai.run(request.model ?? model, {
					messages: request.messages,
					stream: true,
					max_tokens: request.maxTokens,
					...TUNING,
				});
			} catch (error) {
				throw classify(error);
			}
			if (!(result instanceof ReadableStream)) throw new PermanentError("Workers AI did not return a stream");
			try {
				for await (const data of sseData(result, request.signal)) {
					if (data === "[DONE]") return;
					const event = eventSchema.safeParse(eventJson(data));
					if (!event.success) throw new PermanentError("Workers AI sent an unreadable event");
					if (event.data.response) yield event.data.response;
				}
			} catch (error) {
				throw classify(error);
			}
		},
	};
}

function classify(error: unknown): Error {
	if (error instanceof PermanentError || error instanceof TransientError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return isTransient(error)
		? new TransientError(`Workers AI: ${message}`, { cause: error })
		: new PermanentError(`Workers AI: ${message}`, { cause: error });
}
