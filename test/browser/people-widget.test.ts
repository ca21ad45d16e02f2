/**
 * The widget meets people (CONTRACT §7), in a real browser: a new chat greets and offers the
 * questions several sessions asked; "Talk to a person" shows the waiting state; an agent's reply
 * arrives live with their name and initials; once resolved the widget asks for a rating; an
 * answer marked unhelpful offers a person.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AgentApi, ChatApi, type SessionRef } from "../../src/sdk";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, renderedMessages, screenshot, storedSession, waitForReplies } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	// Two sessions asking the same first question make it popular (the default needs three).
	[server, browser] = await Promise.all([startDevServer({ vars: { WARM_MIN_SESSIONS: "2" } }), launch()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function newAgent(name: string): Promise<{ agentId: string; token: string }> {
	const response = await fetch(`${server.url}/api/admin/agents`, {
		method: "POST",
		headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" },
		body: JSON.stringify({ name }),
	});
	return (await response.json()) as { agentId: string; token: string };
}

async function openWidget(): Promise<Page> {
	const page = await (await newContext(browser)).newPage();
	await page.goto(server.url);
	await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Connected");
	return page;
}

it("greets a new chat with the questions several sessions asked first, and sends one when it is chosen", async () => {
	const api = new ChatApi({ baseUrl: server.url });
	for (let i = 0; i < 2; i++) {
		const session = await api.createSession();
		await api.postMessage(session, { id: "q", text: "How do I reset my password?" });
		await expect.poll(async () => (await api.listMessages(session)).messages.length, { timeout: 15_000 }).toBe(2);
	}
	await expect.poll(async () => (await api.popularQuestions()).questions.map((q) => q.text)).toContain("How do I reset my password?");

	const page = await openWidget();
	await expect(page.getByRole("heading", { name: "Hi! I'm the Brightdesk assistant." }).isVisible()).resolves.toBe(true);
	const suggestion = page.getByRole("button", { name: "How do I reset my password?" });
	await suggestion.click();
	await waitForReplies(page, 1);
	expect((await renderedMessages(page))[0]).toMatchObject({ role: "user", text: "How do I reset my password?" });
	await expect(page.locator("#welcome").isHidden()).resolves.toBe(true);
	await page.context().close();
});

it("hands the chat to a person, shows the wait, the agent's name and initials, and asks for a rating once resolved", async () => {
	const page = await openWidget();
	await expect(page.locator("#rating").isHidden()).resolves.toBe(true);
	await page.getByRole("button", { name: "Talk to a person" }).click();
	const banner = page.locator("#people-status");
	await expect.poll(() => banner.isVisible()).toBe(true);
	expect(await banner.textContent()).toMatch(/Waiting for a person/);
	await expect(page.locator("#talk-to-person").isHidden(), "the control, once people answer").resolves.toBe(true);
	await screenshot(page, "widget-waiting-for-person");

	const session: SessionRef = await storedSession(page);
	const agent = await newAgent("Dana Reyes");
	const agents = new AgentApi({ baseUrl: server.url, agentToken: agent.token });
	await agents.claim(session.sessionId);
	await agents.sendMessage(session.sessionId, { text: "Hi, I'm Dana. How can I help?" });
	const agentMessage = page.locator('[role="log"] [data-role="agent"]');
	await agentMessage.waitFor();
	await expect(agentMessage.locator(".author-name").textContent()).resolves.toBe("Dana Reyes");
	await expect(agentMessage.locator(".avatar").textContent()).resolves.toBe("DR");
	await expect.poll(() => banner.textContent()).toBe("Dana Reyes from the support team is with you.");

	await agents.resolve(session.sessionId);
	const rating = page.getByRole("group", { name: "How did we do?" });
	await rating.waitFor();
	await page.getByLabel("5", { exact: true }).check();
	await page.getByRole("button", { name: "Submit rating" }).click();
	await expect.poll(() => page.locator("#rating-status").textContent()).toBe("Thank you for your rating!");
	await screenshot(page, "widget-rated");
	await page.context().close();
});

it("offers a person under an answer marked unhelpful, and hands over when asked", async () => {
	const page = await openWidget();
	await ask(page, "Can I get a refund on my annual plan?");
	await waitForReplies(page, 1);
	const notHelpful = page.getByRole("button", { name: "Not helpful" });
	await notHelpful.click();
	await expect.poll(() => notHelpful.getAttribute("aria-pressed")).toBe("true");
	const offer = page.getByRole("region", { name: "Not helpful" });
	await offer.waitFor();
	await offer.getByRole("button", { name: "Talk to a person" }).click();
	await expect.poll(() => page.locator("#people-status").isVisible()).toBe(true);
	const session = await storedSession(page);
	const info = await new ChatApi({ baseUrl: server.url }).getSession(session);
	expect(info.status).toBe("escalated");
	await page.context().close();
});
