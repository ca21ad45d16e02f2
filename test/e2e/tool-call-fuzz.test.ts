/**
 * Malformed tool calls from a model (CONTRACT §8, issue 22's fuzz), through
 * the whole product: `wrangler dev` with the OpenAI-compatible adapter
 * pointed at a fake model that answers each signed-in user's message with a
 * generated call (unknown tools, missing, mistyped or hostile arguments,
 * argument text that is not JSON, other users' invoices, valid calls too),
 * streamed as OpenAI streams them. Every message is answered, no request
 * gets a 5xx, and the back office receives no write and no read with
 * arguments that fail the tool's schema: the calls that deserve it become
 * confirmations, the rest are refused before anything is sent.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { signUserToken } from "../../src/shared/identity/user-token";
import { toolNamed } from "../../src/shared/tools/registry";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ADMIN_TOKEN, clientId, createSession, postMessageRaw, type Session } from "./support/api";
import { type ScriptedCall, startToolCallingModel, type ToolCallingModel } from "./support/tool-calling-model";

const CASES = 24;
const names = fc.constantFrom(
	"get_subscription",
	"list_invoices",
	"resend_invoice",
	"request_refund",
	"delete_account",
	"",
	"request_refund ",
);
const argumentText = fc.oneof(
	fc.constant("{}"),
	fc.constant('{"invoiceId":"INV-1001","reason":"valid"}'),
	fc.constant('{"invoiceId":"INV-2001","reason":"not hers"}'),
	fc.constant('{"invoiceId":"../../users/usr_grace","reason":"x"}'),
	fc.constant('{"invoiceId":42}'),
	fc.constant('{"userId":"usr_grace"}'),
	fc.constant("{not json"),
	fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
	fc.string({ maxLength: 40 }),
);
/** A few well-formed calls first (so both outcomes are seen), then generated ones. */
const calls: ScriptedCall[] = [
	{ name: "get_subscription", arguments: "{}" },
	{ name: "list_invoices", arguments: "" },
	{ name: "request_refund", arguments: '{"invoiceId":"INV-1001","reason":"valid"}' },
	...fc.sample(fc.record({ name: names, arguments: argumentText }), { numRuns: CASES - 3, seed: 22 }),
];

let model: ToolCallingModel;
let server: DevServer;

beforeAll(async () => {
	model = await startToolCallingModel(calls);
	server = await startDevServer({
		backOffice: true,
		vars: { AI_PROVIDER: "openai", OPENAI_BASE_URL: model.url, OPENAI_MODEL: "tool-caller", ANSWER_CACHE: "off" },
	});
}, 120_000);
afterAll(async () => {
	await server?.stop();
	await model?.close();
});

/** Waits until the message is answered, or its turn waits for the user to confirm a proposed write. */
async function settled(session: Session, id: string): Promise<{ kind: "answered"; status: string } | { kind: "confirming" }> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const page = await fetch(`${server.url}/api/sessions/${session.sessionId}/messages?limit=100`, {
			headers: { Authorization: `Bearer ${session.token}` },
		});
		expect(page.status).toBeLessThan(500);
		const reply = ((await page.json()) as { messages: { role: string; replyTo?: string[]; status: string }[] }).messages.find(
			(m) => m.role !== "user" && m.replyTo?.includes(id),
		);
		if (reply) return { kind: "answered", status: reply.status };
		const info = await fetch(`${server.url}/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${session.token}` } });
		expect(info.status).toBeLessThan(500);
		if (((await info.json()) as { pendingConfirmations: unknown[] }).pendingConfirmations.length > 0) return { kind: "confirming" };
		if (Date.now() > deadline) throw new Error(`message ${id} neither answered nor waiting for a confirmation`);
		await new Promise((r) => setTimeout(r, 150));
	}
}

async function stats(): Promise<Record<string, number>> {
	return ((await (await fetch(`${server.backOfficeUrl}/_sample/stats`)).json()) as { requests: Record<string, number> }).requests;
}

it("answers every message, never with a 5xx, and sends the back office nothing a tool's schema refuses", async () => {
	const token = await signUserToken(DEV_DEFAULTS.identitySecret, { sub: "usr_ada", exp: Math.floor(Date.now() / 1000) + 3600 });
	const sessions: { session: Session; id: string }[] = [];
	for (let n = 0; n < CASES; n++) {
		const session = await createSession(server.url, { userToken: token });
		const id = clientId("fuzz");
		const accepted = await postMessageRaw(server.url, session, { id, text: `please check my account #${n}` });
		expect(accepted.status, accepted.body).toBe(202);
		sessions.push({ session, id });
	}
	const toolCalls: { name: string; status: string; args: Record<string, unknown> }[] = [];
	for (const { session, id } of sessions) {
		const outcome = await settled(session, id);
		expect(outcome.kind === "answered" ? outcome.status : "waiting for the user", session.sessionId).toMatch(
			/complete|waiting for the user/,
		);
		const listed = await fetch(`${server.url}/api/admin/sessions/${session.sessionId}/tool-calls`, {
			headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
		});
		expect(listed.status).toBe(200);
		toolCalls.push(...((await listed.json()) as { calls: typeof toolCalls }).calls);
	}
	const requests = await stats();
	// No write without the user's approval, and none was given.
	expect(Object.keys(requests).filter((route) => route.startsWith("POST"))).toEqual([]);
	// Reads only on the routes the registry knows, for Ada alone (the path carries no model-chosen id).
	expect(
		Object.keys(requests).every((route) => ["GET /users/:id", "GET /users/:id/subscription", "GET /users/:id/invoices"].includes(route)),
	).toBe(true);
	// What was recorded passed the tool's schema; a call that did not was refused and recorded with no arguments.
	for (const call of toolCalls) {
		const valid = toolNamed(call.name)?.args.safeParse(call.args).success === true;
		expect(valid || Object.keys(call.args).length === 0, JSON.stringify(call)).toBe(true);
	}
	// The cases did both: some calls were valid, some were refused.
	expect(toolCalls.some((c) => c.status === "failed")).toBe(true);
	expect(toolCalls.some((c) => c.status !== "failed")).toBe(true);
	expect(model.stats().withTools).toBeGreaterThanOrEqual(CASES);
}, 120_000);
