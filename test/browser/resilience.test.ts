/**
 * The widget under the failures real networks produce: a reload in the
 * middle of a streamed reply, going offline with messages typed while
 * offline, a dead socket, a send the hub could not accept. Nothing may be
 * lost and nothing shown twice.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { messagePageSchema } from "../../src/shared/schemas/responses";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ask, launch, newContext, renderedMessages, screenshot, storedSession, waitForReplies } from "./support/browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	// Slow streaming (60 ms per chunk, ~2 s per answer) leaves time to reload in the middle of it.
	[server, browser] = await Promise.all([startDevServer({ vars: { LOCAL_AI_CHUNK_DELAY_MS: "60" } }), launch()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function serverTranscript(sessionId: string, token: string) {
	const response = await fetch(`${server.url}/api/sessions/${sessionId}/messages?limit=100`, {
		headers: { Authorization: `Bearer ${token}` },
	});
	return messagePageSchema.parse(await response.json()).messages;
}

it("brings back the transcript and the reply in progress after a reload mid-stream, without duplicates", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	await page.goto(server.url);
	await ask(page, "How do I export my data?");
	const streaming = page.locator('[role="log"] [data-state="streaming"] .text');
	await page.waitForFunction(() => (document.querySelector('[role="log"] [data-state="streaming"] .text')?.textContent ?? "").length > 20);
	const before = (await streaming.textContent()) ?? "";

	await page.reload();
	// The catch-up delta restores everything streamed so far, then the stream continues.
	await page.waitForFunction(
		(seen) => (document.querySelector('[role="log"] [data-state="streaming"] .text')?.textContent ?? "").length >= seen,
		before.length,
	);
	await screenshot(page, "resilience-reloaded-mid-stream");
	await waitForReplies(page, 1);

	const messages = await renderedMessages(page);
	expect(messages.map((m) => [m.role, m.seq])).toEqual([
		["user", 1],
		["assistant", 2],
	]);
	expect(messages[1]?.text.startsWith(before)).toBe(true);
	expect(await page.locator('[role="log"] [data-state]').count()).toBe(0);
	await context.close();
});

it("delivers messages typed while offline once each, in order, and answers each once", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	await page.goto(server.url);
	await expect.poll(() => page.getByRole("status").textContent()).toBe("Connected");

	await context.setOffline(true);
	await expect.poll(() => page.getByRole("status").textContent()).toMatch(/^Offline/);
	const questions = ["How do I reset my password?", "How much does the Team plan cost?", "How do I connect Slack?"];
	for (const question of questions) await ask(page, question);
	expect(await page.locator("#outbox [data-pending]").count()).toBe(3);
	expect(await page.locator('[role="log"] [data-role="user"]').count()).toBe(0);
	await screenshot(page, "resilience-offline-outbox");

	await context.setOffline(false);
	await page.waitForFunction(() => document.querySelectorAll("#outbox [data-pending]").length === 0);
	const { sessionId, token } = await storedSession(page);
	await expect
		.poll(
			async () => {
				const transcript = await serverTranscript(sessionId, token);
				const users = transcript.filter((m) => m.role === "user").map((m) => m.id);
				const answered = transcript.flatMap((m) => (m.role === "user" ? [] : (m.replyTo ?? [])));
				return users.length === 3 && users.every((id) => answered.includes(id));
			},
			{ timeout: 20_000 },
		)
		.toBe(true);

	const transcript = await serverTranscript(sessionId, token);
	const users = transcript.filter((m) => m.role === "user");
	expect(users.map((m) => m.text)).toEqual(questions);
	const replyTo = transcript.flatMap((m) => (m.role === "user" ? [] : (m.replyTo ?? [])));
	for (const user of users) expect(replyTo.filter((id) => id === user.id)).toHaveLength(1);
	expect(transcript.map((m) => m.seq)).toEqual(transcript.map((_, i) => i + 1));

	await page.waitForFunction((n) => document.querySelectorAll('[role="log"] [data-seq]').length === n, transcript.length);
	const rendered = await renderedMessages(page);
	expect(rendered.map((m) => m.seq)).toEqual(transcript.map((m) => m.seq));
	await screenshot(page, "resilience-back-online");
	await context.close();
});

it("notices a silently dead socket by its missing pong, reconnects, and delivers the message once", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	// The first socket turns into a black hole once connected: open, but nothing flows either way,
	// like a half-open connection after a laptop sleeps. Later sockets pass through.
	let connections = 0;
	let blackHole = false;
	await page.routeWebSocket(/\/api\/sessions\/.*\/ws/, (ws) => {
		const first = ++connections === 1;
		const upstream = ws.connectToServer();
		ws.onMessage((message) => {
			if (!(first && blackHole)) upstream.send(message);
		});
		upstream.onMessage((message) => {
			if (!(first && blackHole)) ws.send(message);
		});
	});
	await page.goto(`${server.url}/?heartbeatMs=500&pongTimeoutMs=1000`);
	await expect.poll(() => page.getByRole("status").textContent()).toBe("Connected");
	blackHole = true;
	await ask(page, "How do I connect Slack?");
	await waitForReplies(page, 1, 20_000);
	expect(connections).toBeGreaterThanOrEqual(2);
	const messages = await renderedMessages(page);
	expect(messages.map((m) => [m.role, m.seq])).toEqual([
		["user", 1],
		["assistant", 2],
	]);
	await context.close();
});

it("keeps a message the hub answers `unavailable` and delivers it once by sending the same id again", async () => {
	const context = await newContext(browser);
	const page = await context.newPage();
	// The first send never reaches the hub: the route answers it the way a hub whose storage failed does.
	const sendFrame = z.object({ type: z.literal("send"), id: z.string() });
	const sentIds: string[] = [];
	await page.routeWebSocket(/\/api\/sessions\/.*\/ws/, (ws) => {
		const upstream = ws.connectToServer();
		ws.onMessage((message) => {
			const send = sendFrame.safeParse(typeof message === "string" ? JSON.parse(message) : null);
			if (send.success) {
				sentIds.push(send.data.id);
				if (sentIds.length === 1) {
					ws.send(JSON.stringify({ type: "error", code: "unavailable", message: "The message could not be accepted; try again shortly." }));
					return;
				}
			}
			upstream.send(message);
		});
		upstream.onMessage((message) => ws.send(message));
	});
	await page.goto(server.url);
	await expect.poll(() => page.getByRole("status").textContent()).toBe("Connected");
	await ask(page, "How do I reset my password?");
	await waitForReplies(page, 1, 20_000);

	expect(sentIds).toHaveLength(2);
	expect(sentIds[1]).toBe(sentIds[0]);
	const messages = await renderedMessages(page);
	expect(messages.map((m) => [m.role, m.seq, m.role === "user" ? m.text : ""])).toEqual([
		["user", 1, "How do I reset my password?"],
		["assistant", 2, ""],
	]);
	expect(await page.locator("#outbox [data-pending]").count()).toBe(0);
	await context.close();
});
