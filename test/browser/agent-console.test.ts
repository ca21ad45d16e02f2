/**
 * The agents' console (GET /agent, CONTRACT §7) in Chromium against `wrangler dev`: a handed-off
 * conversation shows up in the queue by polling, opens live, is claimed, answered and resolved
 * from the keyboard, and the user's transcript has the agent's message under their name; a
 * conversation another agent holds says who holds it (409); a wrong or revoked token is refused
 * in words; every control is labelled and reachable with a visible focus; nothing breaks the CSP.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AgentApi, ChatApi, type SessionRef } from "../../src/sdk";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { agentCreatedSchema } from "../../src/shared/schemas/people";
import { type DevServer, startDevServer } from "../support/dev-server";
import { launch, newContext, screenshot } from "./support/browser";

let server: DevServer;
let browser: Browser;
let chat: ChatApi;

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer(), launch()]);
	chat = new ChatApi({ baseUrl: server.url });
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function newAgent(name: string) {
	const response = await fetch(`${server.url}/api/admin/agents`, {
		method: "POST",
		headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" },
		body: JSON.stringify({ name }),
	});
	expect(response.status).toBe(201);
	return agentCreatedSchema.parse(await response.json());
}

/** A user session handed to people, as the widget's "Talk to a person" control does. */
async function escalatedSession(firstMessage?: string): Promise<SessionRef> {
	const session = await chat.createSession();
	if (firstMessage) await chat.postMessage(session, { text: firstMessage });
	const response = await fetch(`${server.url}/api/sessions/${session.sessionId}/handoff`, {
		method: "POST",
		headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
		body: JSON.stringify({ reason: "charged twice" }),
	});
	expect(response.status).toBe(200);
	await response.body?.cancel();
	return session;
}

/** Console errors and page errors, except the refusals a test provokes on purpose (the browser logs each 4xx). */
function watchProblems(page: Page, expected?: RegExp): string[] {
	const problems: string[] = [];
	page.on("console", (message) => {
		if (message.type() === "error" && !(expected?.test(message.text()) ?? false)) problems.push(message.text());
	});
	page.on("pageerror", (error) => problems.push(error.message));
	return problems;
}

async function signIn(page: Page, token: string): Promise<void> {
	await page.goto(`${server.url}/agent`);
	await page.getByLabel("Agent token").fill(token);
	await page.getByLabel("Agent token").press("Enter");
}

/** The queue's button for a session: it appears within one poll (3 s) of the handoff. */
function queueItem(page: Page, sessionId: string) {
	return page.locator(`#queue-list li[data-session-id="${sessionId}"] button`);
}

it("shows a handed-off conversation live, and lets an agent claim, answer and resolve it from the keyboard", async () => {
	const dana = await newAgent("Dana");
	const context = await newContext(browser);
	// Installed before any page script; playwright's init scripts are not subject to the page's CSP.
	await context.addInitScript(() => {
		const violations: string[] = [];
		Reflect.set(window, "cspViolations", violations);
		document.addEventListener("securitypolicyviolation", (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
	});
	const page = await context.newPage();
	const problems = watchProblems(page);
	await signIn(page, dana.token);
	await page
		.getByRole("status")
		.filter({ hasText: /conversation/ })
		.waitFor();

	// Handed off after the console opened: the poll brings it in.
	const session = await escalatedSession("I was charged twice for my plan");
	const item = queueItem(page, session.sessionId);
	await item.waitFor({ timeout: 10_000 });
	await expect(item.textContent()).resolves.toMatch(/Anonymous visitor.*Waiting .*asked for a person.*Unassigned/);

	await item.focus();
	await item.press("Enter");
	await expect(page.getByRole("heading", { level: 2, name: "Conversation with Anonymous visitor" }).count()).resolves.toBe(1);
	const log = page.getByRole("log", { name: "Transcript" });
	await log.locator('[data-role="user"]').filter({ hasText: "I was charged twice" }).waitFor();
	await log.locator('[data-role="system"]').first().waitFor();
	await expect.poll(() => page.locator("#live").textContent()).toBe("Live");
	expect(await page.getByRole("button", { name: "Claim" }).isEnabled()).toBe(true);
	expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);

	await page.getByRole("button", { name: "Claim" }).press("Enter");
	await log.locator('[data-role="system"]').filter({ hasText: "Dana from the support team joined" }).waitFor();
	await expect.poll(() => page.locator("#conversation-status").textContent()).toMatch(/Held by you/);
	// Claiming moves the focus to the reply box; Enter sends, Shift+Enter is a new line.
	expect(await page.evaluate(() => document.activeElement?.id)).toBe("reply-text");
	await page.keyboard.type("Hi, I'm Dana.");
	await page.keyboard.press("Shift+Enter");
	await page.keyboard.type("Let me look into the double charge.");
	await page.keyboard.press("Enter");
	const sent = log.locator('[data-role="agent"]');
	await sent.waitFor();
	await expect(sent.locator(".author").textContent()).resolves.toMatch(/^Dana \(agent\)/);
	await expect(sent.locator(".text").textContent()).resolves.toBe("Hi, I'm Dana.\nLet me look into the double charge.");
	expect(await page.getByRole("textbox", { name: "Reply" }).inputValue()).toBe("");

	// The user's side: the agent's message, by name, in their transcript.
	const transcript = await chat.allMessages(session);
	expect(transcript.filter((m) => m.role === "agent").map((m) => [m.author?.name, m.text])).toEqual([
		["Dana", "Hi, I'm Dana.\nLet me look into the double charge."],
	]);

	// Live: what the user writes now reaches the console without a reload.
	await chat.postMessage(session, { text: "Thanks, it was on the 3rd." });
	await log.locator('[data-role="user"]').filter({ hasText: "it was on the 3rd" }).waitFor();
	await screenshot(page, "agent-console-claimed");

	await page.getByRole("button", { name: "Resolve" }).click();
	await expect.poll(() => page.locator("#conversation-status").textContent()).toMatch(/^Resolved/);
	await log.locator('[data-role="system"]').filter({ hasText: "marked this conversation as resolved" }).waitFor();
	expect((await chat.getSession(session)).status).toBe("closed");
	expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
	// Resolved conversations leave the "waiting" queue at the next poll.
	await item.waitFor({ state: "detached", timeout: 10_000 });

	expect(await page.evaluate(() => Reflect.get(window, "cspViolations"))).toEqual([]);
	expect(problems).toEqual([]);
	await context.close();
});

it("says who holds a conversation another agent claimed first (409), and keeps Send off", async () => {
	const [dana, sam] = await Promise.all([newAgent("Dana"), newAgent("Sam")]);
	const session = await escalatedSession();
	await new AgentApi({ baseUrl: server.url, agentToken: dana.token }).claim(session.sessionId);
	const context = await newContext(browser);
	const page = await context.newPage();
	const problems = watchProblems(page, /409/);
	await signIn(page, sam.token);
	const item = queueItem(page, session.sessionId);
	await item.waitFor({ timeout: 10_000 });
	await expect(item.textContent()).resolves.toMatch(/Held by Dana/);
	await item.click();
	await page.getByRole("button", { name: "Claim" }).click();
	await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Could not claim it: Dana holds this conversation/);
	expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
	expect(await page.getByRole("button", { name: /Release/ }).isDisabled()).toBe(true);
	expect(problems).toEqual([]);
	await context.close();
});

it("refuses a wrong token, and signs out when the token is revoked, saying why", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const problems = watchProblems(page, /401/);
	await signIn(page, "not-a-token");
	await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/agent token was refused/);
	expect(await page.evaluate(() => document.activeElement?.id)).toBe("token");

	const revoked = await newAgent("Riley");
	await signIn(page, revoked.token);
	await page
		.getByRole("status")
		.filter({ hasText: /conversation/ })
		.waitFor();
	expect(await page.getByRole("alert").textContent()).toBe("");
	const deleted = await fetch(`${server.url}/api/admin/agents/${revoked.agentId}`, {
		method: "DELETE",
		headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` },
	});
	expect(deleted.status).toBe(204);
	await expect.poll(() => page.getByRole("alert").textContent(), { timeout: 10_000 }).toMatch(/refused: it is wrong or has been revoked/);
	expect(await page.locator("#queue-list li").count()).toBe(0);
	expect(problems).toEqual([]);
	await context.close();
});

it("labels every control, and reaches the held conversation's buttons by keyboard with a visible focus", async () => {
	const kim = await newAgent("Kim");
	const session = await escalatedSession();
	await new AgentApi({ baseUrl: server.url, agentToken: kim.token }).claim(session.sessionId);
	const context = await newContext(browser, { viewport: { width: 1366, height: 768 } });
	const page = await context.newPage();
	const problems = watchProblems(page);
	await signIn(page, kim.token);
	const item = queueItem(page, session.sessionId);
	await item.waitFor({ timeout: 10_000 });

	// Every form control has a label, every button a name.
	const unnamed = await page.evaluate(() => [
		...[...document.querySelectorAll("input, select, textarea")]
			.filter(
				(c) =>
					!(c instanceof HTMLInputElement || c instanceof HTMLSelectElement || c instanceof HTMLTextAreaElement) ||
					(c.labels?.length ?? 0) === 0,
			)
			.map((c) => c.id),
		...[...document.querySelectorAll("button")]
			.filter((b) => !(b.textContent?.trim() || b.getAttribute("aria-label")))
			.map((b) => b.outerHTML),
	]);
	expect(unnamed).toEqual([]);
	for (const name of ["Agent token", "Show", "Reply"]) expect(await page.getByLabel(name).count()).toBe(1);

	await item.focus();
	await page.keyboard.press("Enter");
	// The console asked who the token is (GET /api/agent/me): a conversation Kim already holds reads as hers, no claim needed.
	await expect.poll(() => page.locator("#conversation-status").textContent()).toMatch(/Held by you/);
	expect(await page.getByRole("button", { name: "Claim" }).isDisabled()).toBe(true);
	await page.getByRole("textbox", { name: "Reply" }).focus();
	expect(await page.evaluate(() => document.activeElement?.id)).toBe("reply-text");

	const focused = () =>
		page.evaluate(() => {
			const active = document.activeElement;
			return active instanceof HTMLElement
				? { text: active.textContent?.trim() ?? "", outline: getComputedStyle(active).outlineStyle }
				: null;
		});
	await page.keyboard.press("Tab");
	expect(await focused()).toEqual({ text: "Send", outline: "solid" });
	await page.keyboard.press("Shift+Tab");
	await page.keyboard.press("Shift+Tab");
	expect(await focused()).toEqual({ text: "Resolve", outline: "solid" });
	await page.keyboard.press("Shift+Tab");
	expect(await focused()).toEqual({ text: "Release to the assistant", outline: "solid" });
	await page.keyboard.press("Enter");
	await expect.poll(() => page.locator("#conversation-status").textContent()).toMatch(/^With the assistant/);
	expect((await chat.getSession(session)).status).toBe("open");
	// Nothing is left to release: the focus went to the conversation's heading, not to the page.
	expect(await page.evaluate(() => document.activeElement?.id)).toBe("conversation-title");
	await screenshot(page, "agent-console-released");
	expect(problems).toEqual([]);
	await context.close();
});
