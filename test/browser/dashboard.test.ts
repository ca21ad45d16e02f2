/**
 * The dashboard in Chromium: after a few real turns (routing on), a warming
 * job and the people side of CONTRACT §7 (a conversation the assistant
 * resolved, marked helpful and rated; one handed to a person who answered
 * and resolved it), the page (given the admin token) draws every chart with
 * a text alternative, the spend chart per model and the people charts with
 * what happened, shows the job's progress, refuses a wrong token, fits a
 * phone's viewport, and logs no console error under the strict CSP;
 * screenshots are kept.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { agentCreatedSchema } from "../../src/shared/schemas/people";
import { messagePageSchema, sessionCreatedSchema } from "../../src/shared/schemas/responses";
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
	await peopleTraffic();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** A POST that must succeed, with a bearer token and an optional JSON body; answers the JSON it returned, if any. */
async function post(path: string, bearer: string, body?: unknown): Promise<unknown> {
	const response = await fetch(`${server.url}${path}`, {
		method: "POST",
		headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	// Read to the end either way, so no response is left holding its connection.
	const text = await response.text();
	if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
	return text ? JSON.parse(text) : null;
}

async function newSession(): Promise<{ sessionId: string; token: string }> {
	const created = await fetch(`${server.url}/api/sessions`, { method: "POST" });
	return sessionCreatedSchema.parse(await created.json());
}

/** The session's first complete assistant answer, once the (local) model has given it. */
async function firstAnswer(sessionId: string, token: string): Promise<string> {
	for (let tries = 0; tries < 100; tries++) {
		const page = await fetch(`${server.url}/api/sessions/${sessionId}/messages`, { headers: { Authorization: `Bearer ${token}` } });
		const answer = messagePageSchema.parse(await page.json()).messages.find((m) => m.role === "assistant" && m.status === "complete");
		if (answer) return answer.id;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`no answer in session ${sessionId} after 20 s`);
}

/**
 * One conversation the assistant resolved (its answer marked helpful, then rated 5: a confirmed
 * bot_resolved outcome) and one the user handed to a person, who answered (the wait) and resolved it.
 */
async function peopleTraffic(): Promise<void> {
	const happy = await newSession();
	await post(`/api/sessions/${happy.sessionId}/messages`, happy.token, { text: "How do I reset my password?" });
	const answerId = await firstAnswer(happy.sessionId, happy.token);
	await post(`/api/sessions/${happy.sessionId}/feedback`, happy.token, { messageId: answerId, helpful: true });
	await post(`/api/sessions/${happy.sessionId}/feedback`, happy.token, { rating: 5 });

	const escalated = await newSession();
	await post(`/api/sessions/${escalated.sessionId}/handoff`, escalated.token);
	const agent = agentCreatedSchema.parse(await post("/api/admin/agents", DEV_DEFAULTS.adminToken, { name: "Dana" }));
	const conversation = `/api/agent/conversations/${escalated.sessionId}`;
	await post(`${conversation}/claim`, agent.token);
	await post(`${conversation}/messages`, agent.token, { text: "Hi, Dana here: I can help with that." });
	await post(`${conversation}/resolve`, agent.token);
}

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
	// Five latency charts, throughput, errors, cache, spend, the five people charts and the tool calls.
	expect(await page.locator("figure.chart canvas").count()).toBe(15);
	for (const id of ["chat_ai_response_seconds", "chat_ws_push_seconds", "throughput", "errors", "cache", "spend"]) {
		await expect(page.locator(`#summary-${id}`).textContent()).resolves.toMatch(/\w/);
	}
	await expect(page.locator("#summary-throughput").textContent()).resolves.toMatch(/messages accepted latest \d/);
	// The first question went to the small model; what spent, by how much an hour.
	await expect(page.locator("#summary-spend").textContent()).resolves.toMatch(/local-8b\/grounded-extractive-v24 latest \$[\d.]+\/h/);
	await page.locator("#jobs li progress").first().waitFor({ timeout: 20_000 });
	await screenshot(page, "dashboard-desktop");
	expect(problems).toEqual([]);
	await context.close();
});

it("draws the outcomes, handoffs, wait for a person, satisfaction and answer-mark charts, each with its text alternative", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	const problems = watchProblems(page);
	await page.goto(`${server.url}/dashboard`);
	await page.getByLabel("Admin token").fill(DEV_DEFAULTS.adminToken);
	await page.getByRole("button", { name: "Show" }).click();
	// The people metrics come through the queue like the others: wait for the last of them, the resolve.
	await page
		.locator("#summary-resolution")
		.filter({ hasText: /agent latest \d+, highest 1, 1 in all/ })
		.waitFor({ timeout: 30_000 });
	for (const name of [
		"Resolution rate (outcomes per minute)",
		"Handoffs to people by reason (per minute)",
		"Wait for a person",
		"Satisfaction (ratings per minute)",
		"Answers marked (per minute)",
	]) {
		await expect(page.getByRole("img", { name }).count()).resolves.toBe(1);
	}
	// A text alternative describes each chart: its measured lines, not its objective line.
	const shows = (id: string, text: RegExp) => page.locator(`#summary-${id}`).filter({ hasText: text }).waitFor({ timeout: 30_000 });
	await shows("resolution", /^Resolution rate \(outcomes per minute\): resolved by the assistant latest [\d.]+ %, lowest/);
	await shows("resolution", /; assistant, confirmed latest \d+, highest 1, 1 in all;/);
	await expect(page.locator("#summary-resolution").textContent()).resolves.not.toMatch(/target/);
	await shows("handoffs", /: asked for a person latest \d+, highest 1, 1 in all;/);
	// The agent answered within seconds: far under the 5-minute objective, and said in seconds, not minutes.
	await shows(
		"handoff-wait",
		/^Wait for a person: p50 latest [\d.]+ (ms|s), highest [\d.]+ (ms|s); p95 latest [\d.]+ (ms|s), highest [\d.]+ (ms|s)\.$/,
	);
	await shows("csat", /: rated 4 or 5 latest 100 %, lowest 100 %; ratings latest \d+, highest 1, 1 in all\.$/);
	await shows("answers", /: helpful latest \d+, highest 1, 1 in all; unhelpful latest 0, highest 0, 0 in all\.$/);
	await page.locator("#chart-answers").scrollIntoViewIfNeeded();
	await screenshot(page, "dashboard-people");
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
