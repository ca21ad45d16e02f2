/**
 * The people flow end to end (issue 21's acceptance), two Chromium contexts against `wrangler dev`:
 * a user in the widget asks for a person; an agent in the console sees the conversation appear,
 * claims it and replies; the user sees the reply live under the agent's name and answers; the
 * agent resolves; the user rates 5. Then the metrics hold one `agent_resolved` outcome, one
 * handoff for `user_request` and one rating of 5, and a real HTTP receiver got the three events,
 * in order, each with a valid signature.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { agentCreatedSchema } from "../../src/shared/schemas/people";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, screenshot, storedSession } from "./support/browser";

const SECRET = "handoff-flow-webhook-secret";
let server: DevServer;
let browser: Browser;
let receiver: Server;
const received: { body: string; signature: string | undefined }[] = [];

beforeAll(async () => {
	receiver = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk: Buffer) => {
			body += chunk.toString("utf8");
		});
		request.on("end", () => {
			received.push({ body, signature: request.headers["x-signature"]?.toString() });
			response.writeHead(204).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
	const { port } = receiver.address() as AddressInfo;
	[server, browser] = await Promise.all([
		startDevServer({ vars: { EVENTS_WEBHOOK_URL: `http://127.0.0.1:${port}/events`, EVENTS_WEBHOOK_SECRET: SECRET } }),
		launch(),
	]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await new Promise((resolve) => receiver?.close(resolve));
});

/** The value of one exact series line, or 0. */
async function sample(series: string): Promise<number> {
	const text = await (await fetch(`${server.url}/api/metrics`)).text();
	const line = text.split("\n").find((l) => l.startsWith(`${series} `));
	return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

it("a user asks for a person, an agent claims and answers, resolves, and the user rates 5", async () => {
	const created = await fetch(`${server.url}/api/admin/agents`, {
		method: "POST",
		headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" },
		body: JSON.stringify({ name: "Dana Reyes" }),
	});
	const dana = agentCreatedSchema.parse(await created.json());

	// 1. The user asks for a person in the widget.
	const user = await (await newContext(browser)).newPage();
	await user.goto(server.url);
	await expect.poll(() => user.getByRole("status").first().textContent()).toBe("Connected");
	await ask(user, "can I talk to a human please?");
	await expect.poll(() => user.locator("#people-status").isVisible(), { timeout: 15_000 }).toBe(true);
	const { sessionId } = await storedSession(user);

	// 2. The agent sees it appear in the console, claims it and replies.
	const agent = await (await newContext(browser)).newPage();
	await agent.goto(`${server.url}/agent`);
	await agent.getByLabel("Agent token").fill(dana.token);
	await agent.getByLabel("Agent token").press("Enter");
	const item = agent.locator(`#queue-list li[data-session-id="${sessionId}"] button`);
	await item.waitFor({ timeout: 10_000 });
	await item.click();
	await agent.getByRole("button", { name: "Claim" }).click();
	await expect.poll(() => agent.locator("#conversation-status").textContent()).toMatch(/Held by you/);
	await agent.getByRole("textbox", { name: "Reply" }).fill("Hi, I'm Dana. What can I do for you?");
	await agent.getByRole("textbox", { name: "Reply" }).press("Enter");

	// 3. The user sees the reply live, under the agent's name, and answers.
	const reply = user.locator('[role="log"] [data-role="agent"]');
	await reply.waitFor();
	await expect(reply.locator(".author-name").textContent()).resolves.toBe("Dana Reyes");
	await ask(user, "My last invoice is missing our VAT number.");
	const agentLog = agent.getByRole("log", { name: "Transcript" });
	await agentLog.locator('[data-role="user"]').filter({ hasText: "missing our VAT number" }).waitFor();

	// 4. The agent resolves; 5. the user rates 5.
	await agent.getByRole("button", { name: "Resolve" }).click();
	await user.getByRole("group", { name: "How did we do?" }).waitFor();
	await user.getByLabel("5", { exact: true }).check();
	await user.getByRole("button", { name: "Submit rating" }).click();
	await expect.poll(() => user.locator("#rating-status").textContent()).toBe("Thank you for your rating!");
	await screenshot(user, "handoff-flow-user");
	await screenshot(agent, "handoff-flow-agent");

	// The metrics: one agent_resolved outcome, one user_request handoff, one rating of 5.
	await expect
		.poll(() => sample('chat_conversation_outcomes_total{outcome="agent_resolved",basis="confirmed"}'), { timeout: 30_000 })
		.toBe(1);
	expect(await sample('chat_handoffs_total{reason="user_request"}')).toBe(1);
	await expect.poll(() => sample('chat_feedback_total{kind="rating",value="5"}'), { timeout: 30_000 }).toBe(1);

	// The webhook: the three events, in order, each signed with the secret.
	await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
	const events = received.map((r) => JSON.parse(r.body) as { id: string; type: string; data: { sessionId: string } });
	expect(events.map((e) => e.type)).toEqual(["conversation.escalated", "conversation.resolved", "feedback.created"]);
	expect(events.every((e) => e.data.sessionId === sessionId)).toBe(true);
	expect(new Set(events.map((e) => e.id)).size).toBe(3);
	for (const { body, signature } of received) {
		expect(signature).toBe(`sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`);
	}
});
