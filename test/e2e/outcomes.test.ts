/**
 * Conversation outcomes through `wrangler dev` (CONTRACT §7), with the 24 h quiet shortened to a
 * few seconds (OUTCOME_AFTER_SECONDS): a conversation the assistant answered and the user left is
 * counted `bot_resolved` once, assumed, by the session's own alarm; one the user rated 5 is
 * counted confirmed, and never again as assumed.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { api, createSession, postMessage, REFUND_QUESTION, repliesTo, sleep, waitForTranscript } from "./support/api";

const QUIET_SECONDS = 4;
let server: DevServer;

beforeAll(async () => {
	server = await startDevServer({ vars: { OUTCOME_AFTER_SECONDS: String(QUIET_SECONDS) } });
}, 120_000);
afterAll(async () => {
	await server?.stop();
});

async function outcomes(): Promise<Record<string, number>> {
	const text = await (await fetch(`${server.url}/api/metrics`)).text();
	const out: Record<string, number> = {};
	for (const match of text.matchAll(/^chat_conversation_outcomes_total\{outcome="(\w+)",basis="(\w+)"\} (\d+)$/gm)) {
		out[`${match[1]}/${match[2]}`] = Number(match[3]);
	}
	return out;
}

async function answered(): Promise<Awaited<ReturnType<typeof createSession>>> {
	const session = await createSession(server.url);
	const { messageId } = await postMessage(server.url, session, { text: REFUND_QUESTION });
	await waitForTranscript(server.url, session, (page) => repliesTo(page.messages, messageId).length === 1);
	return session;
}

it("counts an answered conversation the user left as bot_resolved (assumed), and a rated one as confirmed, each once", async () => {
	await answered();
	const rated = await answered();
	await api(server.url).sendFeedback(rated, { rating: 5 });

	const deadline = Date.now() + 45_000;
	let seen: Record<string, number> = {};
	while (Date.now() < deadline) {
		seen = await outcomes();
		if ((seen["bot_resolved/assumed"] ?? 0) >= 1 && (seen["bot_resolved/confirmed"] ?? 0) >= 1) break;
		await sleep(500);
	}
	expect(seen).toEqual({ "bot_resolved/assumed": 1, "bot_resolved/confirmed": 1 });
	// Well past the quiet again: nothing is counted twice.
	await sleep(QUIET_SECONDS * 1000 + 2000);
	expect(await outcomes()).toEqual({ "bot_resolved/assumed": 1, "bot_resolved/confirmed": 1 });
}, 90_000);
