/**
 * The conversation events' outbox (CONTRACT §7): signed, in order, and retried until accepted,
 * on a real hub's SQLite, with the network replaced by a recording receiver.
 */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventOutbox, hmacHex } from "../../src/durable/session-hub/event-outbox";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { createdHub } from "../support/hub";

const webhook = { url: "https://hooks.example/chat", secret: "s3cret" };

afterEach(() => {
	vi.restoreAllMocks();
});

/** Runs `test` with an outbox over a fresh hub's storage and a receiver that answers with `statuses` in turn (then 200). */
async function withOutbox(
	statuses: number[],
	test: (outbox: EventOutbox, received: { body: string; signature: string | null }[]) => Promise<void>,
) {
	const { hub } = await createdHub();
	const received: { body: string; signature: string | null }[] = [];
	vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
		received.push({ body: String(init?.body), signature: new Headers(init?.headers).get("X-Signature") });
		return new Response(null, { status: statuses.shift() ?? 200 });
	});
	await runInDurableObject(hub, async (_instance: SessionHub, state) => test(new EventOutbox(state.storage.sql, () => webhook), received));
}

describe("EventOutbox", () => {
	it("signs each body with HMAC-SHA256 of the secret, and sends events in the order they happened", async () => {
		await withOutbox([], async (outbox, received) => {
			outbox.add("conversation.escalated", { sessionId: "s", reason: "user_request" });
			outbox.add("conversation.resolved", { sessionId: "s" });
			await outbox.deliver();
			expect(received.map((r) => JSON.parse(r.body).type)).toEqual(["conversation.escalated", "conversation.resolved"]);
			for (const { body, signature } of received) expect(signature).toBe(`sha256=${await hmacHex(webhook.secret, body)}`);
			expect(JSON.parse(received[0]?.body ?? "{}")).toMatchObject({ id: expect.stringMatching(/^evt_/), occurredAt: expect.any(String) });
			expect(outbox.dueAt()).toBeNull();
		});
	});

	it("stops at a refused event, keeps the ones after it waiting, and sends the same event (same id) again later", async () => {
		await withOutbox([503], async (outbox, received) => {
			outbox.add("conversation.escalated", { n: 1 });
			outbox.add("feedback.created", { n: 2 });
			await outbox.deliver();
			expect(received).toHaveLength(1);
			const due = outbox.dueAt();
			expect(due).toBeGreaterThan(Date.now());
			await outbox.deliver(due ?? 0);
			expect(received.map((r) => JSON.parse(r.body).data.n)).toEqual([1, 1, 2]);
			expect(JSON.parse(received[0]?.body ?? "").id).toBe(JSON.parse(received[1]?.body ?? "").id);
		});
	});
});

describe("hmacHex", () => {
	it("matches the published HMAC-SHA256 test vector (RFC 4231, case 2)", async () => {
		expect(await hmacHex("Jefe", "what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	});
});
