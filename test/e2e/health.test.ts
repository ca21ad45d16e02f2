/**
 * `GET /api/health` through `wrangler dev` (issue 17, item 5): health checks
 * that are answered cost the metrics pipeline nothing (no message on the
 * `metrics` queue, no series changed in `/api/metrics`), and one address
 * past 60 checks a minute gets 429 with Retry-After, which only moves
 * `chat_errors_total{category="rate_limited"}`.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { sleep } from "./support/api";

let server: DevServer;
beforeAll(async () => {
	// "log" keeps wrangler's per-delivery queue lines (`QUEUE metrics 3/3`) in the output.
	server = await startDevServer({ logLevel: "log" });
}, 120_000);
afterAll(async () => {
	await server?.stop();
});

/** Time for a shipment to be flushed (1 s), delivered (batch timeout 1 s) and folded in. */
const SETTLE_MS = 4000;
const IP = "10.77.0.1";

/** Messages the `metrics` queue has delivered to its consumer so far, from wrangler's log. */
function metricsMessagesDelivered(): number {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler colours its log lines with ANSI escapes.
	const plain = server.output().replace(/\x1b\[[0-9;]*m/g, "");
	return [...plain.matchAll(/QUEUE metrics (\d+)\/(\d+)/g)].reduce((sum, match) => sum + Number(match[2]), 0);
}

/** Every series line of `/api/metrics`, by series. */
async function scrape(): Promise<Map<string, number>> {
	const response = await fetch(`${server.url}/api/metrics`);
	expect(response.status).toBe(200);
	const lines = (await response.text()).split("\n").filter((line) => line !== "" && !line.startsWith("#"));
	return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]));
}

/** The series whose value differs between two scrapes, with the difference. */
function changed(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
	const keys = new Set([...before.keys(), ...after.keys()]);
	return Object.fromEntries(
		[...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)]),
	);
}

async function checkHealth(): Promise<Response> {
	return fetch(`${server.url}/api/health`, { headers: { "CF-Connecting-IP": IP } });
}

it("costs the metrics store nothing for answered checks, and answers 429 to one IP past 60 a minute", async () => {
	await sleep(SETTLE_MS);
	const deliveredBefore = metricsMessagesDelivered();
	const scrapeBefore = await scrape();

	// Under the limit: every check answered, and nothing reaches the metrics pipeline.
	const started = Date.now();
	for (let i = 0; i < 50; i++) {
		const response = await checkHealth();
		expect(response.status).toBe(200);
		await response.body?.cancel();
	}
	await sleep(SETTLE_MS);
	expect(metricsMessagesDelivered() - deliveredBefore).toBe(0);
	expect(changed(scrapeBefore, await scrape())).toEqual({});

	// 150 more within the minute: the limit turns them away.
	const statuses: number[] = [];
	for (let i = 0; i < 150; i++) {
		const response = await checkHealth();
		statuses.push(response.status);
		if (response.status === 429) {
			expect(response.headers.get("Retry-After")).toBe("60");
			expect(response.headers.get("Content-Type")).toBe("application/problem+json");
		}
		await response.body?.cancel();
	}
	expect(Date.now() - started).toBeLessThan(60_000);
	const limited = statuses.filter((s) => s === 429).length;
	// Limiter windows follow the wall clock: a minute that turns mid-test lets up to one more window through.
	expect(limited).toBeGreaterThanOrEqual(80);
	expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);

	// The refusals are counted, as every refusal is, and that is all the metrics store learns.
	await sleep(SETTLE_MS);
	expect(changed(scrapeBefore, await scrape())).toEqual({ 'chat_errors_total{category="rate_limited"}': limited });
	const shipments = metricsMessagesDelivered() - deliveredBefore;
	// One message per isolate flush (1 s), not one per check.
	expect(shipments).toBeGreaterThan(0);
	expect(shipments).toBeLessThan(10);
	console.log(`${limited} of 150 checks limited; ${shipments} metrics message(s) for them; ${Date.now() - started} ms in all`);
});
