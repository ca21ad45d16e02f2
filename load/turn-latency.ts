/**
 * Measures chat-turn latency through the public contract: for each turn,
 * POST → 202 (accept), POST → first `delta` on the socket, and POST → final
 * assistant `message`. Starts its own `wrangler dev --local` (loopback only),
 * runs `--turns` turns spread over sessions with `--concurrency` at a time,
 * and prints p50/p95/p99 from HDR histograms.
 *
 *   npm run measure:turns -- --turns 100 --concurrency 4 --chunk-delay 15
 */
import { parseArgs } from "node:util";
import * as hdr from "hdr-histogram-js";
import WebSocket from "ws";
import { startDevServer } from "../test/support/dev-server";

const { values } = parseArgs({
	options: {
		turns: { type: "string", default: "100" },
		concurrency: { type: "string", default: "4" },
		"chunk-delay": { type: "string", default: "15" },
	},
});
const turns = Number(values.turns);
const concurrency = Number(values.concurrency);
const turnsPerSession = 10; // well under the 30 messages/minute/session limit
const QUESTIONS = [
	"How do I reset my password?",
	"Can I get a refund on my annual plan?",
	"How much does the Team plan cost?",
	"How do I connect Slack?",
	"My payment failed, what now?",
	"How do I export my data?",
];

const histograms = {
	acceptMs: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000, numberOfSignificantValueDigits: 3 }),
	firstDeltaMs: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000, numberOfSignificantValueDigits: 3 }),
	finalMs: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000, numberOfSignificantValueDigits: 3 }),
};

const server = await startDevServer({ vars: { LOCAL_AI_CHUNK_DELAY_MS: values["chunk-delay"] ?? "15" } });
try {
	const sessions = Math.ceil(turns / turnsPerSession);
	let next = 0;
	const worker = async () => {
		while (next < sessions) {
			const index = next++;
			await runSession(Math.min(turnsPerSession, turns - index * turnsPerSession));
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	console.log(`${turns} turns, concurrency ${concurrency}, local provider chunk delay ${values["chunk-delay"]} ms`);
	console.log("metric        p50     p95     p99     max    n");
	for (const [name, h] of Object.entries(histograms)) {
		const row = [h.getValueAtPercentile(50), h.getValueAtPercentile(95), h.getValueAtPercentile(99), h.maxValue].map((v) =>
			String(Math.round(v)).padStart(7),
		);
		console.log(`${name.padEnd(12)}${row.join(" ")} ${String(h.totalCount).padStart(5)}`);
	}
} finally {
	await server.stop();
}

async function runSession(count: number): Promise<void> {
	const created = await fetch(`${server.url}/api/sessions`, { method: "POST" });
	const { sessionId, token } = (await created.json()) as { sessionId: string; token: string };
	const ws = new WebSocket(`${server.url.replace("http", "ws")}/api/sessions/${sessionId}/ws`, ["chat.v1", `bearer.${token}`]);
	await new Promise((resolve, reject) => {
		ws.once("open", resolve);
		ws.once("error", reject);
	});
	let waiting: { id: string; sent: number; firstDelta?: number; resolve: () => void } | undefined;
	ws.on("message", (data) => {
		const frame = JSON.parse(String(data)) as { type: string; role?: string; replyTo?: string[] };
		if (!waiting) return;
		if (frame.type === "delta" && waiting.firstDelta === undefined) waiting.firstDelta = performance.now();
		if (frame.type === "message" && frame.role === "assistant" && frame.replyTo?.includes(waiting.id)) {
			const done = waiting;
			histograms.firstDeltaMs.recordValue(Math.max(1, (done.firstDelta ?? performance.now()) - done.sent));
			histograms.finalMs.recordValue(Math.max(1, performance.now() - done.sent));
			waiting = undefined;
			done.resolve();
		}
	});
	for (let i = 0; i < count; i++) {
		const id = `turn-${i}`;
		const replied = new Promise<void>((resolve) => {
			waiting = { id, sent: performance.now(), resolve };
		});
		const sent = waiting?.sent ?? performance.now();
		const response = await fetch(`${server.url}/api/sessions/${sessionId}/messages`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
			body: JSON.stringify({ id, text: QUESTIONS[i % QUESTIONS.length] }),
		});
		histograms.acceptMs.recordValue(Math.max(1, performance.now() - sent));
		if (response.status !== 202) throw new Error(`POST failed: ${response.status} ${await response.text()}`);
		await Promise.race([replied, new Promise((_, reject) => setTimeout(() => reject(new Error("no reply within 15 s")), 15_000))]);
	}
	ws.close();
}
