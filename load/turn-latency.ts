/**
 * Measures chat-turn latency through the public contract: for each turn,
 * POST → 202 (accept), POST → first `delta` on the socket, and POST → final
 * assistant `message`. Starts its own `wrangler dev --local` (loopback only,
 * the product's own rate limits), runs `--turns` turns spread over sessions
 * of 10 turns with `--concurrency` sessions at a time, and prints
 * percentiles from HDR histograms.
 *
 *   npm run measure:turns -- --turns 100 --concurrency 4 --chunk-delay 15
 */
import { parseArgs } from "node:util";
import { startDevServer } from "../test/support/dev-server";
import { QUICK_QUESTIONS as QUESTIONS } from "./behaviours/questions";
import { ChatSocket, createSession } from "./lib/chat-client";
import { Latency } from "./lib/histogram";

const { values } = parseArgs({
	options: {
		turns: { type: "string", default: "100" },
		concurrency: { type: "string", default: "4" },
		"chunk-delay": { type: "string", default: "15" },
	},
});
const turns = Number(values.turns);
const concurrency = Number(values.concurrency);
// Well under the 30 messages per minute and session that the product allows.
const turnsPerSession = 10;

const latency = { acceptMs: new Latency(), firstDeltaMs: new Latency(), finalMs: new Latency() };
const server = await startDevServer({ vars: { LOCAL_AI_CHUNK_DELAY_MS: values["chunk-delay"] ?? "15" } });
try {
	let next = 0;
	const worker = async () => {
		while (next * turnsPerSession < turns) {
			const index = next++;
			await runSession(Math.min(turnsPerSession, turns - index * turnsPerSession));
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	console.log(`${turns} turns, concurrency ${concurrency}, local provider chunk delay ${values["chunk-delay"]} ms`);
	console.log("metric        p50     p95     p99    n");
	for (const [name, h] of Object.entries(latency)) {
		const { p50, p95, p99, n } = h.summary();
		console.log(`${name.padEnd(12)}${[p50, p95, p99].map((v) => String(v).padStart(7)).join(" ")} ${String(n).padStart(5)}`);
	}
} finally {
	await server.stop();
}

async function runSession(count: number): Promise<void> {
	const socket = await ChatSocket.connect(server.url, await createSession(server.url));
	try {
		for (let i = 0; i < count; i++) {
			const timing = await socket.send(`turn-${i}`, QUESTIONS[i % QUESTIONS.length] ?? "", 15_000);
			if (timing.firstDeltaMs === undefined || timing.finalMs === undefined) throw new Error("no reply within 15 s");
			latency.acceptMs.record(timing.acceptMs);
			latency.firstDeltaMs.record(timing.firstDeltaMs);
			latency.finalMs.record(timing.finalMs);
		}
	} finally {
		socket.close();
	}
}
