/**
 * Asking a hub a question end to end inside workerd, with the model counted:
 * for the answer-cache, poisoning, warming and erasure tests.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import type { AiRunner } from "../../src/shared/ai/workers-ai";
import type { Message } from "../../src/shared/schemas/message";
import { connect, seedUserMessages } from "./hub";

/** The env with Workers AI selected and the `AI` binding replaced by a fake that counts its calls. */
export function countingAi(reply: string) {
	const calls = { n: 0 };
	const ai: AiRunner = {
		run: async () => {
			calls.n++;
			return new Blob([`data: ${JSON.stringify({ response: reply })}\n\ndata: [DONE]\n\n`]).stream();
		},
	};
	const bindings: Env = { ...env, AI_PROVIDER: "workers-ai", AI: Object.assign(Object.create(env.AI), { run: ai.run }) };
	return { calls, bindings };
}

/** Gives a hub other bindings (a counted model, a spied queue). */
export async function hubEnv(hub: DurableObjectStub<SessionHub>, bindings: Env): Promise<void> {
	await runInDurableObject(hub, (instance: SessionHub) => {
		Reflect.set(instance, "env", bindings);
	});
}

/** Seeds `text` as the session's next question and runs its turn to the end; returns the reply. */
export async function ask(hub: DurableObjectStub<SessionHub>, id: string, text: string): Promise<Message> {
	await seedUserMessages(hub, [{ id, text }]);
	const socket = await connect(hub);
	const started = await hub.runTurn({ messageIds: [id], attempt: 1 });
	expect(started.kind).toBe("started");
	const reply = await socket.waitFor((f) => f.type === "message" && f.role !== "user" && (f.replyTo ?? []).includes(id), 5000);
	expect(socket.frames.some((f) => f.type === "delta")).toBe(true);
	if (reply.type !== "message") throw new Error("not a message");
	const { type: _type, ...message } = reply;
	return message;
}
