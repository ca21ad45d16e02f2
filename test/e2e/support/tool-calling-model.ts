/**
 * A fake OpenAI-compatible model that calls tools (CONTRACT §8): a Node HTTP
 * server speaking chat-completions streaming SSE. When a request offers
 * `tools` and the conversation holds no tool result after the user's last
 * message, it streams the tool call the test scripted for that message (a
 * message ending `#<n>` gets call `n`), its arguments split across two
 * `delta.tool_calls` pieces as OpenAI streams them; otherwise it streams a
 * short text answer. The test scripts malformed calls to see what reaches
 * the back office.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A scripted call: `arguments` is sent as this exact text, JSON or not. */
export interface ScriptedCall {
	name: string;
	arguments: string;
}

export interface ToolCallingModel {
	url: string;
	/** Requests that offered tools, and how many carried tool results. */
	stats(): { requests: number; withTools: number; withResults: number };
	close(): Promise<void>;
}

type Body = { tools?: unknown[]; messages?: { role: string; content?: string | null }[] };

export async function startToolCallingModel(calls: readonly ScriptedCall[]): Promise<ToolCallingModel> {
	const counts = { requests: 0, withTools: 0, withResults: 0 };
	const server = createServer(async (request, response) => {
		const body = JSON.parse((await readBody(request)) || "{}") as Body;
		counts.requests++;
		const messages = body.messages ?? [];
		const lastUser = messages.findLastIndex((m) => m.role === "user");
		const answered = messages.slice(lastUser + 1).some((m) => m.role === "tool");
		if (body.tools) counts.withTools++;
		if (answered) counts.withResults++;
		const index = Number(/#(\d+)\s*$/.exec(messages[lastUser]?.content ?? "")?.[1]);
		const call = body.tools && !answered ? calls[index] : undefined;
		response.writeHead(200, { "Content-Type": "text/event-stream" });
		const send = (delta: object, finish: string | null = null) =>
			response.write(
				`data: ${JSON.stringify({ id: "chatcmpl-t", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
			);
		if (call) {
			const half = Math.floor(call.arguments.length / 2);
			send({
				tool_calls: [
					{ index: 0, id: `call_fake_${index}`, type: "function", function: { name: call.name, arguments: call.arguments.slice(0, half) } },
				],
			});
			send({ tool_calls: [{ index: 0, function: { arguments: call.arguments.slice(half) } }] });
			send({}, "tool_calls");
		} else {
			send({ content: "Here is what I found for you. " });
			send({ content: "Anything else I can help with?" });
			send({}, "stop");
		}
		response.end("data: [DONE]\n\n");
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		stats: () => ({ ...counts }),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function readBody(request: IncomingMessage): Promise<string> {
	let body = "";
	for await (const chunk of request) body += chunk;
	return body;
}
