/**
 * The widget page's Content-Security-Policy (public/_headers, applied by
 * Workers static assets): it is sent, it is strict, the page does a whole
 * chat turn under it without the browser refusing anything, and the browser
 * does enforce it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, waitForReplies } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer(), launch()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** `"a 'x'; b"` → `{ a: ["'x'"], b: [] }`. */
function directives(policy: string): Record<string, string[]> {
	const entries = policy
		.split(";")
		.map((directive) => directive.trim().split(/\s+/))
		.filter(([name]) => name)
		.map(([name = "", ...values]) => [name, values] as const);
	return Object.fromEntries(entries);
}

it("serves the page, and the single-page fallback, with a strict CSP, nosniff and no referrer", async () => {
	for (const path of ["/", "/some/deep/link"]) {
		const response = await fetch(`${server.url}${path}`);
		expect(response.headers.get("content-type")).toMatch(/^text\/html/);
		const policy = response.headers.get("content-security-policy") ?? "";
		expect(directives(policy)).toMatchObject({
			"default-src": ["'none'"],
			"script-src": ["'self'"],
			"style-src": ["'self'"],
			"connect-src": ["'self'"],
			"object-src": ["'none'"],
			"base-uri": ["'none'"],
			"form-action": ["'none'"],
			"frame-ancestors": ["'none'"],
			"require-trusted-types-for": ["'script'"],
		});
		expect(policy).not.toMatch(/unsafe-|\*/);
		expect(response.headers.get("x-content-type-options")).toBe("nosniff");
		expect(response.headers.get("referrer-policy")).toBe("no-referrer");
	}
});

it("answers a question under its CSP without a single violation", async () => {
	const context = await newContext(browser);
	// Installed before any page script; playwright's init scripts are not subject to the page's CSP.
	await context.addInitScript(() => {
		const violations: string[] = [];
		Reflect.set(window, "cspViolations", violations);
		document.addEventListener("securitypolicyviolation", (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
	});
	const page = await context.newPage();
	// Chromium also logs each refusal to the console ("… violates the following Content Security Policy directive …").
	const logged: string[] = [];
	page.on("console", (message) => {
		if (/Content Security Policy/i.test(message.text())) logged.push(message.text());
	});

	await page.goto(server.url);
	await expect.poll(() => page.getByRole("status").textContent()).toBe("Connected");
	await ask(page, "Can I get a refund on my annual plan?");
	await waitForReplies(page, 1);

	expect(await page.evaluate(() => Reflect.get(window, "cspViolations"))).toEqual([]);
	expect(logged).toEqual([]);
	// The stylesheet applied (the layout is a flex column): the styles really came from the allowed file.
	expect(await page.locator("main.chat").evaluate((main) => getComputedStyle(main).display)).toBe("flex");
	await context.close();
});

it("has the browser refuse an HTML string sink (Trusted Types), so markup can never be injected", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	await page.goto(server.url);
	const refused = await page.evaluate(() => {
		try {
			document.body.innerHTML = "<img src=x>";
			return false;
		} catch (error) {
			return error instanceof TypeError;
		}
	});
	expect(refused).toBe(true);
	await context.close();
});
