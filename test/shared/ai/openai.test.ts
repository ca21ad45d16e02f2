import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openAiProvider } from "../../../src/shared/ai/openai";
import { PermanentError, TransientError } from "../../../src/shared/errors";

// The global setup starts a Node server speaking the OpenAI streaming protocol (test/support/fake-openai-server.ts).
const baseUrl = z.string().url().parse(Reflect.get(env, "FAKE_OPENAI_URL"));
const request = { messages: [{ role: "user" as const, content: "where is my invoice?" }], sources: [], maxTokens: 200 };

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
	const chunks: string[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

describe("openai adapter against a local OpenAI-compatible server", () => {
	it("streams the chunks of a chat completion", async () => {
		const chunks = await collect(openAiProvider({ baseUrl, model: "echo", apiKey: "test-key" }).stream(request));
		expect(chunks.length).toBeGreaterThan(3);
		expect(chunks.join("")).toBe("You said: where is my invoice?");
	});

	it("tolerates a trailing slash in the base URL", async () => {
		const chunks = await collect(openAiProvider({ baseUrl: `${baseUrl}/`, model: "echo", apiKey: "test-key" }).stream(request));
		expect(chunks.join("")).toBe("You said: where is my invoice?");
	});

	it("treats 429 as transient and keeps the server's Retry-After", async () => {
		const error = await collect(openAiProvider({ baseUrl, model: "rate-limited", apiKey: "test-key" }).stream(request)).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(TransientError);
		expect(error instanceof TransientError && error.retryAfterSeconds).toBe(7);
	});

	it("treats 5xx as transient", async () => {
		await expect(collect(openAiProvider({ baseUrl, model: "broken", apiKey: "test-key" }).stream(request))).rejects.toBeInstanceOf(
			TransientError,
		);
	});

	it("treats 400 and a wrong key as permanent", async () => {
		await expect(collect(openAiProvider({ baseUrl, model: "bad-request", apiKey: "test-key" }).stream(request))).rejects.toBeInstanceOf(
			PermanentError,
		);
		await expect(collect(openAiProvider({ baseUrl, model: "echo", apiKey: "wrong" }).stream(request))).rejects.toBeInstanceOf(
			PermanentError,
		);
	});

	it("refuses a stream it cannot read", async () => {
		await expect(collect(openAiProvider({ baseUrl, model: "garbage", apiKey: "test-key" }).stream(request))).rejects.toBeInstanceOf(
			PermanentError,
		);
	});

	it("treats an unreachable endpoint as transient", async () => {
		await expect(collect(openAiProvider({ baseUrl: "http://127.0.0.1:9/v1", model: "echo" }).stream(request))).rejects.toBeInstanceOf(
			TransientError,
		);
	});
});
