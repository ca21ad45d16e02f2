/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * with the flags this sandbox needs, plus helpers to read the widget the way
 * a user sees it. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = "test-results/screenshots";

export async function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--no-first-run",
			"--disable-quic",
		],
		// playwright gives every launch a fresh, throwaway profile (its own --user-data-dir).
	});
}

export async function screenshot(page: Page, name: string): Promise<void> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The committed transcript as rendered: role, seq and text of each `[data-seq]` item in the log. */
export async function renderedMessages(page: Page): Promise<{ role: string; seq: number; text: string }[]> {
	return page.locator('[role="log"] [data-seq]').evaluateAll((items) =>
		items.map((item) => ({
			role: item.getAttribute("data-role") ?? "",
			seq: Number(item.getAttribute("data-seq")),
			text: item.querySelector(".text")?.textContent ?? "",
		})),
	);
}

export async function ask(page: Page, text: string): Promise<void> {
	await page.getByRole("textbox", { name: "Message" }).fill(text);
	await page.getByRole("button", { name: "Send" }).click();
}

/** Waits until the log holds `count` committed assistant or system replies. */
export async function waitForReplies(page: Page, count: number, timeout = 15_000): Promise<void> {
	await page.waitForFunction(
		(n) =>
			document.querySelectorAll('[role="log"] [data-seq][data-role="assistant"], [role="log"] [data-seq][data-role="system"]').length >= n,
		count,
		{ timeout },
	);
}

export async function newContext(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
	const context = await browser.newContext(options);
	context.setDefaultTimeout(15_000);
	return context;
}

/** Session id and token the widget keeps in localStorage, for checking the server's transcript. */
export async function storedSession(page: Page): Promise<{ sessionId: string; token: string }> {
	const raw = await page.evaluate(() => localStorage.getItem("support-chat.session"));
	const parsed: unknown = JSON.parse(raw ?? "null");
	if (typeof parsed !== "object" || parsed === null || !("sessionId" in parsed) || !("token" in parsed))
		throw new Error("no stored session");
	return { sessionId: String(parsed.sessionId), token: String(parsed.token) };
}
