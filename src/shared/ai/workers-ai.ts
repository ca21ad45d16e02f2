/**
 * The production adapter: Workers AI through the `AI` binding, streaming.
 * Workers AI streams SSE events of `{"response": "<text>"}`, ending with
 * `data: [DONE]`; with `tools`, calls arrive in its native `tool_calls` or
 * in OpenAI's `choices[0].delta.tool_calls` (tool-calls.ts reads both), or,
 * for some models, in one whole JSON answer instead of a stream.
 */
import { z } from "zod";
import { isTransient, PermanentError, TransientError } from "../errors";
import type { AiProvider, CompletionRequest } from "./provider";
import { TUNING } from "./provider";
import { eventJson, sseData } from "./sse";
import { completionParts, ToolCallAssembler, wireMessage } from "./tool-calls";

/** The slice of the `AI` binding this adapter uses; tests pass a fake with the same shape. */
export interface AiRunner {
	run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

const eventSchema = z
	.object({
		response: z.string().nullish(),
		tool_calls: z.unknown().optional(),
		choices: z
			.array(
				z.object({ delta: z.object({ content: z.string().nullish(), tool_calls: z.unknown().optional() }).loose().optional() }).loose(),
			)
			.optional(),
	})
	.loose();

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
					messages: request.messages.map(wireMessage),
					stream: true,
					max_tokens: request.maxTokens,
					...(request.tools ? { tools: request.tools.specs } : {}),
					...TUNING,
				});
			} catch (error) {
				throw classify(error);
			}
			if (!(result instanceof ReadableStream)) {
				// Some models answer a request with tools whole, not streamed.
				if (typeof result !== "object" || result === null) throw new PermanentError("Workers AI did not return a stream");
				const whole = completionParts(result);
				if (whole.calls.length > 0 && request.tools) request.tools.called(whole.calls);
				else if (whole.text) yield whole.text;
				return;
			}
			const calls = new ToolCallAssembler();
			try {
				for await (const data of sseData(result, request.signal)) {
					if (data === "[DONE]") break;
					const event = eventSchema.safeParse(eventJson(data));
					if (!event.success) throw new PermanentError("Workers AI sent an unreadable event");
					// Both streamed shapes: the native one (`response`, `tool_calls`) and the OpenAI one (`choices[0].delta`).
					const delta = event.data.choices?.[0]?.delta;
					const text = event.data.response || delta?.content;
					if (text) yield text;
					calls.add(event.data.tool_calls);
					calls.add(delta?.tool_calls);
				}
			} catch (error) {
				throw classify(error);
			}
			if (calls.size > 0 && request.tools) request.tools.called(calls.finish());
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
