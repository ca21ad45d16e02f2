/**
 * The widget in a real browser: a question gets a streamed, cited answer;
 * hostile text is shown as text; the page works at phone size; "New chat"
 * asks before it erases the conversation on the server (issue 17), and keeps
 * it when the user cancels or the server cannot erase it.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ChatApi, type SessionRef } from "../../src/sdk";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, renderedMessages, screenshot, storedSession, waitForReplies } from "./support/browser";

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

/** A page whose user has asked one question and got the answer; with the session the widget stored. */
async function chatted(page: Page): Promise<SessionRef> {
	await page.goto(server.url);
	await ask(page, "How do I reset my password?");
	await waitForReplies(page, 1);
	return storedSession(page);
}

/** Opens the "New chat" confirmation and checks it tells the user what confirming does. */
async function openNewChat(page: Page) {
	await page.getByRole("button", { name: "New chat" }).click();
	const dialog = page.getByRole("alertdialog", { name: "Start a new chat?" });
	await dialog.waitFor();
	expect(await dialog.textContent()).toContain("This conversation will be deleted from our server.");
	return dialog;
}

it("New chat, once confirmed, erases the old conversation on the server and shows an empty new one", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const old = await chatted(page);
	const dialog = await openNewChat(page);
	await screenshot(page, "widget-new-chat-confirm");

	const reloaded = page.waitForEvent("load");
	await dialog.getByRole("button", { name: "Delete and start new chat" }).click();
	await reloaded;
	await expect.poll(() => page.getByRole("status").textContent()).toBe("Connected");

	await expect(new ChatApi({ baseUrl: server.url }).getSession(old)).rejects.toMatchObject({ name: "ProblemError", status: 404 });
	expect((await storedSession(page)).sessionId).not.toBe(old.sessionId);
	expect(await page.locator('[role="log"] li').count()).toBe(0);
	expect(await page.evaluate((key) => localStorage.getItem(key), `support-chat.outbox.${old.sessionId}`)).toBeNull();
	await context.close();
});

it("cancelling New chat keeps the conversation, in the page and on the server", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const old = await chatted(page);
	const dialog = await openNewChat(page);

	await dialog.getByRole("button", { name: "Keep this chat" }).click();
	await dialog.waitFor({ state: "hidden" });
	expect((await renderedMessages(page)).map((m) => m.role)).toEqual(["user", "assistant"]);
	expect(await storedSession(page)).toEqual(old);
	expect((await new ChatApi({ baseUrl: server.url }).getSession(old)).sessionId).toBe(old.sessionId);
	await context.close();
});

it("New chat says so and keeps the conversation when the server cannot erase it, and a retry then erases it", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const old = await chatted(page);
	// The erase request alone fails as an overloaded server would answer it; everything else goes through.
	await page.route("**/api/sessions/*", (route) =>
		route.request().method() === "DELETE"
			? route.fulfill({
					status: 503,
					contentType: "application/problem+json",
					body: JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "Try again later." }),
				})
			: route.continue(),
	);
	const dialog = await openNewChat(page);
	const confirm = dialog.getByRole("button", { name: "Delete and start new chat" });
	await confirm.click();

	await expect.poll(() => dialog.textContent()).toMatch(/Could not delete this conversation \(HTTP 503\)\. It is still here/);
	await screenshot(page, "widget-new-chat-failed");
	expect(await dialog.isVisible()).toBe(true);
	expect(await storedSession(page)).toEqual(old);
	expect((await renderedMessages(page)).map((m) => m.role)).toEqual(["user", "assistant"]);
	expect((await new ChatApi({ baseUrl: server.url }).getSession(old)).sessionId).toBe(old.sessionId);

	await page.unroute("**/api/sessions/*");
	const reloaded = page.waitForEvent("load");
	await confirm.click();
	await reloaded;
	await expect(new ChatApi({ baseUrl: server.url }).getSession(old)).rejects.toMatchObject({ status: 404 });
	await context.close();
});
