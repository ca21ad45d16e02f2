/**
 * Vitest global setup (runs in Node): a local HTTP server speaking the
 * OpenAI chat-completions streaming protocol, for the `openai` adapter's
 * tests. Its behaviour is chosen by the request's `model`:
 * - "echo": streams "You said: <last user message>" in SSE chunks, then [DONE];
 * - "rate-limited": 429 with Retry-After: 7;
 * - "broken": 500;
 * - "bad-request": 400;
 * - "garbage": a 200 stream whose event is not JSON.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
	export interface ProvidedContext {
		fakeOpenAiUrl: string;
	}
}

async function readBody(request: IncomingMessage): Promise<string> {
	let body = "";
	for await (const chunk of request) body += chunk;
	return body;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const server = createServer(async (request, response) => {
		const body = JSON.parse((await readBody(request)) || "{}") as { model?: string; messages?: { role: string; content: string }[] };
		if (request.url !== "/v1/chat/completions" || request.method !== "POST") {
			response.writeHead(404).end();
			return;
		}
		if (request.headers.authorization !== "Bearer test-key") {
			response.writeHead(401, { "Content-Type": "application/json" }).end('{"error":{"message":"bad key"}}');
			return;
		}
		switch (body.model) {
			case "rate-limited":
				response.writeHead(429, { "Retry-After": "7" }).end();
				return;
			case "broken":
				response.writeHead(500).end();
				return;
			case "bad-request":
				response.writeHead(400).end();
				return;
			case "garbage":
				response.writeHead(200, { "Content-Type": "text/event-stream" }).end("data: {not json\n\n");
				return;
		}
		const last = body.messages?.at(-1)?.content ?? "";
		const words = `You said: ${last}`.split(/(?<= )/);
		response.writeHead(200, { "Content-Type": "text/event-stream" });
		response.write(": keep-alive comment\n\n");
		for (const word of words) {
			const chunk = {
				id: "chatcmpl-1",
				object: "chat.completion.chunk",
				choices: [{ index: 0, delta: { content: word }, finish_reason: null }],
			};
			response.write(`data: ${JSON.stringify(chunk)}\n\n`);
		}
		response.write(
			`data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
		);
		response.end("data: [DONE]\n\n");
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	project.provide("fakeOpenAiUrl", `http://127.0.0.1:${port}/v1`);
	return () => new Promise((resolve) => server.close(() => resolve()));
}
