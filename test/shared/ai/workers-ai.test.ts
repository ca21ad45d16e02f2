import { describe, expect, it } from "vitest";
import { type AiRunner, workersAiProvider } from "../../../src/shared/ai/workers-ai";
import { PermanentError, TransientError } from "../../../src/shared/errors";

/** A fake `AI` binding that streams like Workers AI: SSE `data: {"response": …}` events, then [DONE]. */
function fakeAi(events: string[], calls: { model: string; inputs: Record<string, unknown> }[] = []): AiRunner {
	return {
		async run(model, inputs) {
			calls.push({ model, inputs });
			const bytes = new TextEncoder().encode(events.join(""));
			// Split mid-event to prove the SSE reader reassembles lines across reads.
			return new ReadableStream<Uint8Array>({
				start(controller) {
					for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
					controller.close();
				},
			});
		},
	};
}

/** `text` as a byte stream in 64 KiB reads. */
function byteStream(text: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	let offset = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			controller.enqueue(bytes.slice(offset, offset + 65_536));
			offset += 65_536;
			if (offset >= bytes.length) controller.close();
		},
	});
}

const request = { messages: [{ role: "user" as const, content: "hi" }], sources: [], maxTokens: 300 };

async function collect(stream: AsyncIterable<string>): Promise<string> {
	let text = "";
	for await (const chunk of stream) text += chunk;
	return text;
}

describe("workers-ai adapter", () => {
	it("streams the response text from Workers AI server-sent events", async () => {
		const ai = fakeAi([
			'data: {"response":"Hello"}\n\n',
			'data: {"response":" there","p":"abc"}\n\n',
			'data: {"response":"","usage":{"prompt_tokens":3}}\n\n',
			"data: [DONE]\n\n",
		]);
		expect(await collect(workersAiProvider(ai, "@cf/meta/llama-3.3-70b-instruct-fp8-fast").stream(request))).toBe("Hello there");
	});

	it("sends the model, streaming flag, max_tokens and the product tuning", async () => {
		const calls: { model: string; inputs: Record<string, unknown> }[] = [];
		await collect(workersAiProvider(fakeAi(["data: [DONE]\n\n"], calls), "@cf/test/model").stream(request));
		expect(calls[0]).toEqual({
			model: "@cf/test/model",
			inputs: {
				messages: request.messages,
				stream: true,
				max_tokens: 300,
				temperature: 0.3,
				top_p: 0.9,
				frequency_penalty: 0.1,
				presence_penalty: 0.1,
			},
		});
	});

	it("runs the model a request names (routing's small model), and its own model otherwise", async () => {
		const calls: { model: string; inputs: Record<string, unknown> }[] = [];
		const provider = workersAiProvider(fakeAi(["data: [DONE]\n\n"], calls), "@cf/test/large", "@cf/test/small");
		expect([provider.model, provider.smallModel]).toEqual(["@cf/test/large", "@cf/test/small"]);
		await collect(provider.stream({ ...request, model: "@cf/test/small" }));
		await collect(provider.stream(request));
		expect(calls.map((c) => c.model)).toEqual(["@cf/test/small", "@cf/test/large"]);
		expect(workersAiProvider(fakeAi([]), "@cf/test/large").smallModel).toBeUndefined();
	});

	it("classifies capacity errors as transient", async () => {
		const ai: AiRunner = {
			run: () => Promise.reject(new Error("3040: Capacity temporarily exceeded, please try again.")),
		};
		await expect(collect(workersAiProvider(ai, "m").stream(request))).rejects.toBeInstanceOf(TransientError);
	});

	it("classifies a refused request as permanent", async () => {
		const ai: AiRunner = { run: () => Promise.reject(new Error("5006: Invalid input: messages too long")) };
		await expect(collect(workersAiProvider(ai, "m").stream(request))).rejects.toBeInstanceOf(PermanentError);
	});

	it("refuses a server that sends a line longer than 1 MiB, as a permanent failure", async () => {
		// Valid JSON, so only the line cap stops it: without the cap the whole 3 MiB would be buffered and yielded.
		const line = `data: {"response":"${"x".repeat(3 * 1024 * 1024)}"}\n\n`;
		const ai: AiRunner = { run: async () => byteStream(line) };
		await expect(collect(workersAiProvider(ai, "m").stream(request))).rejects.toBeInstanceOf(PermanentError);
	});

	it("refuses an unreadable event instead of inventing text", async () => {
		await expect(collect(workersAiProvider(fakeAi(["data: {oops\n\n"]), "m").stream(request))).rejects.toBeInstanceOf(PermanentError);
	});
});
