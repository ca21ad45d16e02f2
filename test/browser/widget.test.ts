/**
 * The widget in a real browser: a question gets a streamed, cited answer;
 * hostile text is shown as text; the page works at phone size.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, renderedMessages, screenshot, waitForReplies } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer({ vars: { LOCAL_AI_CHUNK_DELAY_MS: "30" } }), launch()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

it("streams a grounded answer with its citation as a link", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	await page.goto(server.url);
	await expect.poll(() => page.getByRole("status").textContent()).toBe("Connected");
	await ask(page, "Can I get a refund on my annual plan?");

	// The reply is visible while it streams, before it is committed.
	const streaming = page.locator('[role="log"] [data-state="streaming"]');
	await streaming.waitFor();
	const partial = (await streaming.textContent()) ?? "";
	await screenshot(page, "widget-streaming");
	await waitForReplies(page, 1);

	const messages = await renderedMessages(page);
	expect(messages.map((m) => [m.role, m.seq])).toEqual([
		["user", 1],
		["assistant", 2],
	]);
	expect(messages[1]?.text.startsWith(partial)).toBe(true);
	expect(messages[1]?.text).toMatch(/30 days/);
	const link = page.locator('[role="log"] [data-role="assistant"] .citations a').first();
	expect(await link.getAttribute("href")).toMatch(/^https:\/\/help\.brightdesk\.example\/articles\//);
	await screenshot(page, "widget-answered");
	await context.close();
});

it("shows HTML in a message as text and runs none of it", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const dialogs: string[] = [];
	page.on("dialog", async (dialog) => {
		dialogs.push(dialog.message());
		await dialog.dismiss();
	});
	await page.goto(server.url);
	const hostile = "<img src=x onerror=alert(1)>";
	await ask(page, hostile);
	await waitForReplies(page, 1);
	expect((await renderedMessages(page))[0]?.text).toBe(hostile);
	expect(await page.locator('[role="log"] img').count()).toBe(0);
	expect(dialogs).toEqual([]);
	await screenshot(page, "widget-xss-literal");
	await context.close();
});

it("works on a phone-sized screen", async () => {
	const context = await newContext(browser, {
		viewport: { width: 375, height: 667 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2,
	});
	const page = await context.newPage();
	await page.goto(server.url);
	const input = page.getByRole("textbox", { name: "Message" });
	const send = page.getByRole("button", { name: "Send" });
	for (const box of [await input.boundingBox(), await send.boundingBox()]) {
		expect(box).not.toBeNull();
		expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
		expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(667);
	}
	// Touch targets of at least 44 CSS pixels high.
	expect((await send.boundingBox())?.height).toBeGreaterThanOrEqual(44);
	await input.fill("How do I reset my password?");
	await send.tap();
	await waitForReplies(page, 1);
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
	await screenshot(page, "widget-phone");
	await context.close();
});
