/**
 * The dashboard in Chromium: after a few real turns (routing on) and a warming
 * job, the page (given the admin token) draws every chart with a text
 * alternative, the spend chart per model,
 * shows the job's progress, refuses a wrong token, fits a phone's viewport,
 * and logs no console error under the strict CSP; screenshots are kept.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { sessionCreatedSchema } from "../../src/shared/schemas/responses";
import { type DevServer, startDevServer } from "../support/dev-server";
import { launch, newContext, screenshot } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	// Routing on, so the spend chart has both models to draw.
	[server, browser] = await Promise.all([startDevServer({ vars: { AI_ROUTING: "auto" } }), launch()]);
	// Some traffic and a warming job for the charts to show.
	const created = await fetch(`${server.url}/api/sessions`, { method: "POST" });
	const { sessionId, token } = sessionCreatedSchema.parse(await created.json());
	for (const text of ["How do I reset my password?", "How do I export my data?", "How do I cancel my subscription?"]) {
		const posted = await fetch(`${server.url}/api/sessions/${sessionId}/messages`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ text }),
		});
		await posted.body?.cancel();
	}
	const warm = await fetch(`${server.url}/api/admin/cache/warm`, {
		method: "POST",
		headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" },
		body: JSON.stringify({ questions: ["How do I invite a teammate?"] }),
	});
	await warm.body?.cancel();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

function watchProblems(page: Page): string[] {
	const problems: string[] = [];
	page.on("console", (message) => {
		if (message.type() === "error") problems.push(message.text());
	});
	page.on("pageerror", (error) => problems.push(error.message));
	return problems;
}

it("draws every chart with a text alternative, and the warming job, with no console errors", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const problems = watchProblems(page);
	await page.goto(`${server.url}/dashboard`);
	await page.getByLabel("Admin token").fill(DEV_DEFAULTS.adminToken);
	await page.getByRole("button", { name: "Show" }).click();
	await page
		.getByRole("status")
		.filter({ hasText: /Updated/ })
		.waitFor({ timeout: 20_000 });
	// Metrics arrive through the queue: wait until the AI response chart has a latest value.
	await page
		.locator("#summary-chat_ai_response_seconds")
		.filter({ hasText: /p95 latest/ })
		.waitFor({ timeout: 30_000 });
	expect(await page.locator("figure.chart canvas").count()).toBe(9);
	for (const id of ["chat_ai_response_seconds", "chat_ws_push_seconds", "throughput", "errors", "cache", "spend"]) {
		await expect(page.locator(`#summary-${id}`).textContent()).resolves.toMatch(/\w/);
	}
	await expect(page.locator("#summary-throughput").textContent()).resolves.toMatch(/messages accepted latest \d/);
	// The first question went to the small model; what spent, by how much an hour.
	await expect(page.locator("#summary-spend").textContent()).resolves.toMatch(/local-8b\/grounded-extractive-v2 latest \$[\d.]+\/h/);
	await page.locator("#jobs li progress").first().waitFor({ timeout: 20_000 });
	await screenshot(page, "dashboard-desktop");
	expect(problems).toEqual([]);
	await context.close();
});

it("fits a phone's viewport and refuses a wrong token", async () => {
	const context = await newContext(browser, { viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	const problems = watchProblems(page);
	await page.goto(`${server.url}/dashboard`);
	await page.getByLabel("Admin token").fill("not-the-token");
	await page.getByRole("button", { name: "Show" }).click();
	await page
		.getByRole("status")
		.filter({ hasText: /refused/ })
		.waitFor({ timeout: 10_000 });
	await page.getByLabel("Admin token").fill(DEV_DEFAULTS.adminToken);
	await page.getByRole("button", { name: "Show" }).click();
	await page.locator("figure.chart canvas").first().waitFor({ timeout: 20_000 });
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await screenshot(page, "dashboard-phone");
	// The refused request's 401 is the only console error a browser logs for it.
	expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
	await context.close();
});
