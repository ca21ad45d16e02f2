/**
 * The API reference page (GET /api/docs) in Chromium: it renders the OpenAPI
 * document (operation titles are visible), loads everything from this origin
 * (no CDN, no web fonts: CI has no internet), fails no request and logs no
 * console error. A screenshot is kept.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
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

/**
 * Console errors, page errors, failed requests, error statuses and requests
 * that leave this origin; and the requests still in flight.
 */
function watch(page: Page, origin: string): { problems: string[]; pending: Set<string> } {
	const problems: string[] = [];
	const pending = new Set<string>();
	page.on("console", (message) => {
		if (message.type() === "error") problems.push(`console: ${message.text()}`);
	});
	page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
	page.on("request", (request) => {
		pending.add(request.url());
		const url = new URL(request.url());
		if (url.protocol.startsWith("http") && url.origin !== origin) problems.push(`left the origin: ${request.url()}`);
	});
	page.on("requestfinished", (request) => pending.delete(request.url()));
	page.on("requestfailed", (request) => {
		pending.delete(request.url());
		problems.push(`failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`);
	});
	page.on("response", (response) => {
		if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
	});
	return { problems, pending };
}

it("renders the operations of the document, from this origin only, with no console errors or failed requests", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const { problems, pending } = watch(page, server.url);
	await page.goto(`${server.url}/api/docs`);
	const visible = (text: string) => page.getByText(text, { exact: true }).first().waitFor({ state: "visible", timeout: 30_000 });
	await visible("Support chat API");
	// The first tag's operations are listed; the other tags open on a click.
	await visible("Create a session");
	for (const [tag, operation] of [
		["Messages", "Send a message"],
		["Knowledge base", "Search the knowledge base"],
		["Operations", "Health"],
		["WebSocket", "Open the chat socket"],
	] as const) {
		await page.getByText(tag, { exact: true }).first().click();
		await visible(operation);
	}
	// The socket's protocol, generated from the frame schemas, is rendered as Markdown.
	await page.getByText("Open the chat socket", { exact: true }).first().click();
	await visible("Server → client frames");
	// Every request the page made has settled (playwright's "networkidle" does not settle after hash navigation).
	await expect.poll(() => [...pending], { timeout: 10_000 }).toEqual([]);
	await screenshot(page, "api-docs");
	expect(problems).toEqual([]);
	await context.close();
});
