/**
 * An OpenAI-compatible provider the end-to-end tests can watch: a Node HTTP
 * server speaking chat-completions streaming SSE (the format of
 * test/support/fake-openai-server.ts) at a pace the test sets, which records
 * every call: when it started, what it was asked, how many chunks it sent,
 * and whether the client hung up before the stream finished. A `wrangler dev`
 * started with `providerVars(url)` sends every model call here.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export const PACED_API_KEY = "paced-test-key";

/** How each new call streams: `chunks` chunks, one every `chunkMs`. */
export interface Pace {
	chunkMs: number;
	chunks: number;
}

export interface ProviderCall {
	startedAt: number;
	/** Every message's content, joined: tests find a call by a word of their question. */
	prompt: string;
	chunksSent: number;
	/** When the response finished or its connection closed; undefined while it streams. */
	endedAt?: number;
	/** True when the client closed the connection before the stream's end. */
	abortedByClient: boolean;
}

export interface PacedOpenAi {
	/** The base URL, `http://127.0.0.1:<port>/v1`. */
	url: string;
	readonly calls: ProviderCall[];
	/** The pace of calls that start from now on. */
	pace: Pace;
	stop(): Promise<void>;
}

/** The vars that point a `wrangler dev` at this provider. */
export function providerVars(url: string): Record<string, string> {
	return { AI_PROVIDER: "openai", OPENAI_BASE_URL: url, OPENAI_MODEL: "paced", OPENAI_API_KEY: PACED_API_KEY };
}

/** Words of a grounded answer with a citation, so the reply sanitizer keeps them and the answer is shareable. */
const WORDS = "You can ask for a refund of an annual plan within 30 days from the Billing page [1]. ".split(/(?<= )/);

async function readBody(request: IncomingMessage): Promise<string> {
	let body = "";
	for await (const chunk of request) body += chunk;
	return body;
}

function promptOf(body: string): string {
	try {
		const parsed: unknown = JSON.parse(body);
		if (typeof parsed !== "object" || parsed === null || !("messages" in parsed) || !Array.isArray(parsed.messages)) return body;
		return parsed.messages.map((m: unknown) => (typeof m === "object" && m !== null && "content" in m ? String(m.content) : "")).join("\n");
	} catch {
		return body;
	}
}

/** One `chat.completion.chunk` event: a piece of content, or the end of the reply. */
function chunkEvent(delta: { content?: string }, finishReason: "stop" | null): string {
	const chunk = { id: "chatcmpl-paced", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finishReason }] };
	return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * @example
 * const provider = await startPacedOpenAi({ chunkMs: 200, chunks: 50 });
 * const server = await startDevServer({ vars: providerVars(provider.url) });
 */
export async function startPacedOpenAi(pace: Pace): Promise<PacedOpenAi> {
	const calls: ProviderCall[] = [];
	const state: PacedOpenAi = { url: "", calls, pace, stop: async () => undefined };
	const server = createServer(async (request, response) => {
		if (request.url !== "/v1/chat/completions" || request.method !== "POST") {
			response.writeHead(404).end();
			return;
		}
		if (request.headers.authorization !== `Bearer ${PACED_API_KEY}`) {
			response.writeHead(401, { "Content-Type": "application/json" }).end('{"error":{"message":"bad key"}}');
			return;
		}
		const call: ProviderCall = { startedAt: Date.now(), prompt: promptOf(await readBody(request)), chunksSent: 0, abortedByClient: false };
		calls.push(call);
		const { chunkMs, chunks } = state.pace;
		response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });
		response.write(": keep-alive comment\n\n");
		const timer = setInterval(() => {
			if (call.chunksSent < chunks) {
				const content = WORDS[call.chunksSent % WORDS.length];
				response.write(chunkEvent({ content }, null));
				call.chunksSent++;
				return;
			}
			clearInterval(timer);
			response.write(chunkEvent({}, "stop"));
			response.end("data: [DONE]\n\n");
		}, chunkMs);
		response.on("close", () => {
			clearInterval(timer);
			call.endedAt = Date.now();
			// "close" also follows a normal end; only an unfinished response was hung up on.
			call.abortedByClient = !response.writableFinished;
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	state.url = `http://127.0.0.1:${port}/v1`;
	state.stop = () =>
		new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return state;
}
