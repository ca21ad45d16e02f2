/**
 * The operators' page in Chromium: a warming job submitted from the page
 * shows its progress bar filling to done, under the strict CSP, with no
 * console errors; a screenshot is kept.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { type DevServer, startDevServer } from "../support/dev-server";
import { launch, newContext, screenshot } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer(), launch()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

it("warms questions submitted from the page and shows the job's progress to done", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const problems: string[] = [];
	page.on("console", (message) => {
		if (message.type() === "error") problems.push(message.text());
	});
	page.on("pageerror", (error) => problems.push(error.message));
	await page.goto(`${server.url}/ops.html`);
	await page.getByLabel("Admin token").fill(DEV_DEFAULTS.adminToken);
	await page.getByLabel(/Questions/).fill("How do I reset my password?\nHow do I export my data?\nHow do I cancel my subscription?");
	await page.getByRole("button", { name: "Warm" }).click();
	await page
		.getByRole("status")
		.filter({ hasText: /done, 3 of 3/ })
		.waitFor({ timeout: 20_000 });
	expect(await page.locator("#bar").evaluate((bar) => (bar instanceof HTMLProgressElement ? [bar.value, bar.max] : []))).toEqual([3, 3]);
	await screenshot(page, "ops-warm-done");
	expect(problems).toEqual([]);
	await context.close();
});
