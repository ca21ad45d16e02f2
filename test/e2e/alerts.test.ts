/**
 * An alert fires and resolves end to end, through `wrangler dev` with the
 * windows scaled down (ALERT_WINDOW_SCALE 0.002: an hour is 7.2 s, six hours
 * 43.2 s) and 1-second rollups: the fault switch makes every turn fail, the
 * every-minute cron (triggered here at the local scheduled endpoint) pages
 * on `error_rate`, and once turns succeed again and the windows pass, it
 * resolves. The webhook, a local Node server that refuses its first
 * delivery, receives exactly one accepted `firing` and one `resolved`, in
 * Alertmanager's version 4 format.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { alertsSchema as sharedAlertsSchema } from "../../src/shared/schemas/responses";
import { type DevServer, startDevServer, writeRaisedLimitsConfig } from "../support/dev-server";
import { strict } from "../support/strict";
import { createSession, parseJson, postMessage, request, sleep } from "./support/api";
import { clearFaults, setFaults } from "./support/faults";

/** The shared schema, refusing unknown fields at every depth. */
const alertsSchema = strict(sharedAlertsSchema);

const deliveries: { status: number; body: { status: string; version: string; alerts: { labels: { alertname: string } }[] } }[] = [];
let webhook: Server;
let server: DevServer;

beforeAll(async () => {
	webhook = createServer((req, res) => {
		let body = "";
		req.on("data", (chunk: Buffer) => {
			body += chunk.toString();
		});
		req.on("end", () => {
			// The first delivery meets a webhook that is down: it must be retried, not lost.
			const status = deliveries.length === 0 ? 503 : 200;
			deliveries.push({ status, body: JSON.parse(body) });
			res.writeHead(status).end();
		});
	});
	await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
	const { port } = webhook.address() as AddressInfo;
	server = await startDevServer({
		config: writeRaisedLimitsConfig(),
		vars: {
			LOCAL_AI_PROFILE: "instant",
			METRICS_ROLLUP_SECONDS: "1",
			ALERT_WINDOW_SCALE: "0.002",
			ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
		},
	});
}, 120_000);
afterAll(async () => {
	await server?.stop();
	await new Promise((resolve) => webhook?.close(resolve));
});

async function alerts() {
	return parseJson(alertsSchema, await request(`${server.url}/api/alerts`));
}

async function tick(): Promise<void> {
	const response = await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`);
	await response.body?.cancel();
}

/** Sends `n` questions in `n` fresh sessions (one turn each). */
async function turns(n: number): Promise<void> {
	await Promise.all(
		Array.from({ length: n }, async (_, i) => {
			const session = await createSession(server.url);
			await postMessage(server.url, session, { text: `How do I export my data? (${i})` });
		}),
	);
}

/** Triggers the cron every 500 ms, sending `during` meanwhile, until the error_rate alert is in `state`. */
async function until(state: "firing" | "resolved", during: () => Promise<void>, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await during();
		await tick();
		const found = (await alerts()).alerts.find((a) => a.rule === "error_rate");
		if (found?.state === state || Date.now() > deadline) return found;
		await sleep(500);
	}
}

it("pages on a failing provider, resolves after it recovers, and tells the webhook once each", async () => {
	await setFaults(server.url, { aiFailureRate: 1, aiFailureKind: "permanent" });
	const firing = await until("firing", () => turns(8), 60_000);
	expect(firing).toMatchObject({ rule: "error_rate", severity: "page", state: "firing", threshold: 0.05 });
	expect(firing?.value).toBeGreaterThan(0.5);

	await clearFaults(server.url);
	const resolved = await until("resolved", () => turns(2), 120_000);
	expect(resolved).toMatchObject({ rule: "error_rate", state: "resolved" });

	// Delivered in order; the refused first attempt was retried. Other rules may page too while every turn fails
	// (fresh sessions that never resolve), so the wait counts this rule's deliveries, as the assertion does.
	const ofThisRule = () => deliveries.filter((d) => d.status === 200 && d.body.alerts[0]?.labels.alertname === "error_rate");
	const deadline = Date.now() + 30_000;
	while (ofThisRule().length < 2 && Date.now() < deadline) await sleep(250);
	const accepted = ofThisRule();
	const seen = JSON.stringify(deliveries.map((d) => [d.status, d.body.status, d.body.alerts[0]?.labels.alertname]));
	expect(
		accepted.map((d) => d.body.status),
		`every delivery: ${seen}`,
	).toEqual(["firing", "resolved"]);
	expect(accepted.every((d) => d.body.version === "4")).toBe(true);
	expect(deliveries[0]?.status).toBe(503);
}, 240_000);
