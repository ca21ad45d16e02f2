/**
 * The dev server stops and starts again on the same state and port (a
 * redeploy): the widget shows that it is reconnecting, comes back by itself,
 * and its transcript has no gap and no duplicate.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, renderedMessages, screenshot, waitForReplies } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer(), launch()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

it("reconnects by itself after a server restart and resumes without gaps or duplicates", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	await page.goto(server.url);
	await ask(page, "How do I reset my password?");
	await waitForReplies(page, 1);

	await server.stop();
	const stopped = performance.now();
	await expect.poll(() => page.getByRole("status").textContent(), { timeout: 10_000 }).toMatch(/^Reconnecting in \d+ s/);
	await screenshot(page, "restart-reconnecting");

	const restarting = performance.now();
	server = await startDevServer({ port: server.port, persistTo: server.persistTo });
	const ready = performance.now();
	await expect.poll(() => page.getByRole("status").textContent(), { timeout: 40_000, interval: 50 }).toBe("Connected");
	const connected = performance.now();
	// Backoff keeps trying while wrangler boots, so the widget is often back before our health poll says so.
	console.log(
		`restart: server down ${Math.round(restarting - stopped)} ms, boot ${Math.round(ready - restarting)} ms; ` +
			`widget connected ${Math.round(connected - restarting)} ms after the restart began (${Math.round(connected - ready)} ms after health)`,
	);
	expect(await page.evaluate(() => Reflect.get(Reflect.get(window, "chatStats"), "reconnects"))).toBeGreaterThanOrEqual(1);

	await ask(page, "How do I export my data?");
	await waitForReplies(page, 2);
	const messages = await renderedMessages(page);
	expect(messages.map((m) => [m.role, m.seq])).toEqual([
		["user", 1],
		["assistant", 2],
		["user", 3],
		["assistant", 4],
	]);
	await screenshot(page, "restart-resumed");
	await context.close();
});
