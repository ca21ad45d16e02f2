import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_RETRY_AFTER_SECONDS, openAiProvider } from "../../../src/shared/ai/openai";
import { PermanentError, TransientError } from "../../../src/shared/errors";

// The global setup starts a Node server speaking the OpenAI streaming protocol (test/support/fake-openai-server.ts).
const baseUrl = z.string().url().parse(Reflect.get(env, "FAKE_OPENAI_URL"));
const request = { messages: [{ role: "user" as const, content: "where is my invoice?" }], sources: [], maxTokens: 200 };

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
	const chunks: string[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

/** A `fetch` that answers every request with `response`, for cases the local server does not play. */
function answering(response: () => Response): typeof fetch {
	return async () => response();
}

/** The retry delay the adapter derives from a 429 carrying `Retry-After: value`. */
async function retryAfterFor(value: string): Promise<number | undefined> {
	const fetch = answering(() => new Response(null, { status: 429, headers: { "Retry-After": value } }));
	const error = await collect(openAiProvider({ baseUrl, model: "m", fetch }).stream(request)).catch((e: unknown) => e);
	if (!(error instanceof TransientError)) throw new Error("expected a TransientError", { cause: error });
	return error.retryAfterSeconds;
}

describe("openai adapter against a local OpenAI-compatible server", () => {
	it("streams the chunks of a chat completion", async () => {
		const chunks = await collect(openAiProvider({ baseUrl, model: "echo", apiKey: "test-key" }).stream(request));
		expect(chunks.length).toBeGreaterThan(3);
		expect(chunks.join("")).toBe("You said: where is my invoice?");
	});

	it("sends the model a request names (routing's small model), and its own model otherwise", async () => {
		const sent: unknown[] = [];
		const capture: typeof fetch = async (_url, init) => {
			sent.push(JSON.parse(String(init?.body)));
			return new Response("data: [DONE]\n\n", { headers: { "Content-Type": "text/event-stream" } });
		};
		const provider = openAiProvider({ baseUrl, model: "llama3.3:70b", smallModel: "llama3.1:8b", fetch: capture });
		expect(provider.smallModel).toBe("llama3.1:8b");
		await collect(provider.stream({ ...request, model: "llama3.1:8b" }));
		await collect(provider.stream(request));
		expect(sent.map((body) => z.object({ model: z.string() }).parse(body).model)).toEqual(["llama3.1:8b", "llama3.3:70b"]);
		// The real server plays the model it is asked for.
		const echoed = await collect(
			openAiProvider({ baseUrl, model: "broken", smallModel: "echo", apiKey: "test-key" }).stream({ ...request, model: "echo" }),
		);
		expect(echoed.join("")).toBe("You said: where is my invoice?");
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

	it("caps a long Retry-After at MAX_RETRY_AFTER_SECONDS (15 s)", async () => {
		expect(MAX_RETRY_AFTER_SECONDS).toBe(15);
		expect(await retryAfterFor("3600")).toBe(15);
	});

	it("reads a Retry-After given as an HTTP date a few seconds ahead", async () => {
		const seconds = await retryAfterFor(new Date(Date.now() + 5000).toUTCString());
		// toUTCString drops the milliseconds, so "5 s ahead" reads as 4 to 5 s.
		expect(seconds).toBeGreaterThanOrEqual(4);
		expect(seconds).toBeLessThanOrEqual(5);
	});

	it("ignores a Retry-After it cannot read", async () => {
		expect(await retryAfterFor("soon")).toBeUndefined();
		expect(await retryAfterFor("Wed, 99 Foo 2026 25:00:00 GMT")).toBeUndefined();
		expect(await retryAfterFor("-5")).toBeUndefined();
	});

	it("refuses a server that sends a line longer than 1 MiB, as a permanent failure", async () => {
		// Valid JSON, so only the line cap stops it: without the cap the whole 3 MiB would be buffered and yielded.
		const content = "x".repeat(3 * 1024 * 1024);
		const body = `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;
		const fetch = answering(() => new Response(body, { headers: { "Content-Type": "text/event-stream" } }));
		await expect(collect(openAiProvider({ baseUrl, model: "m", fetch }).stream(request))).rejects.toBeInstanceOf(PermanentError);
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
