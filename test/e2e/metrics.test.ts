/**
 * `GET /api/metrics` through `wrangler dev`: after a real turn the families
 * of CONTRACT §6 carry its events (shipped through the metrics queue and
 * folded by MetricsStore), no series appears twice, and the live scrape
 * passes `promtool check metrics` with no warnings. CI installs Debian's
 * `prometheus` package for promtool; without it (locally) that check says
 * so, and fails under CI.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { createSession, postMessage, REFUND_QUESTION, repliesTo, sleep, waitForTranscript } from "./support/api";

let server: DevServer;
beforeAll(async () => {
	server = await startDevServer();
}, 120_000);
afterAll(async () => {
	await server?.stop();
});

async function scrape(): Promise<{ text: string; contentType: string | null }> {
	const response = await fetch(`${server.url}/api/metrics`);
	expect(response.status).toBe(200);
	return { text: await response.text(), contentType: response.headers.get("Content-Type") };
}

/** The value of one exact series line (`name{labels}`), or undefined. */
function sample(text: string, series: string): number | undefined {
	const line = text.split("\n").find((l) => l.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function hasPromtool(): boolean {
	return spawnSync("promtool", ["--version"], { stdio: "ignore" }).status === 0;
}

it("exposes a real turn's events in the Prometheus format, each series once, and passes promtool", async () => {
	const session = await createSession(server.url);
	const { messageId } = await postMessage(server.url, session, { text: REFUND_QUESTION });
	await waitForTranscript(server.url, session, (page) => repliesTo(page.messages, messageId).length === 1);

	let text = "";
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		text = (await scrape()).text;
		if ((sample(text, 'chat_turns_total{outcome="answered",source="model"}') ?? 0) >= 1) break;
		await sleep(500);
	}
	const { contentType } = await scrape();
	expect(contentType).toContain("text/plain; version=0.0.4");
	expect(sample(text, "chat_messages_accepted_total")).toBeGreaterThanOrEqual(1);
	expect(sample(text, 'chat_turns_total{outcome="answered",source="model"}')).toBeGreaterThanOrEqual(1);
	expect(sample(text, 'chat_ai_response_seconds_count{source="model"}')).toBeGreaterThanOrEqual(1);
	expect(sample(text, "chat_ai_first_token_seconds_count")).toBeGreaterThanOrEqual(1);
	expect(sample(text, 'chat_queue_wait_seconds_count{queue="chat-turns"}')).toBeGreaterThanOrEqual(1);
	expect(sample(text, 'chat_do_operation_seconds_count{op="hub.accept"}')).toBeGreaterThanOrEqual(1);
	expect(
		sample(text, 'chat_do_operation_seconds_count{op="kb.lookup"}') ?? sample(text, 'chat_do_operation_seconds_count{op="kb.version"}'),
	).toBeGreaterThanOrEqual(1);
	expect(text).toMatch(/^cache_requests_total\{kind="answer",level="memory",result="miss"\} [1-9]/m);

	const series = text
		.split("\n")
		.filter((l) => l && !l.startsWith("#"))
		.map((l) => l.slice(0, l.lastIndexOf(" ")));
	expect(new Set(series).size).toBe(series.length);

	if (!hasPromtool()) {
		if (process.env.CI) throw new Error("promtool is missing: CI installs Debian's prometheus package for it");
		console.warn("promtool check NOT run: install it with `apt-get install -y prometheus` (CI does)");
		return;
	}
	const output = execFileSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
	expect(output.trim()).toBe("");
}, 90_000);
