/**
 * Asking a hub a question end to end inside workerd, with the model counted:
 * for the answer-cache, poisoning, warming and erasure tests.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { SessionHub } from "../../src/durable/session-hub/session-hub";
import { chunkText, LOCAL_CHUNK_CHARS } from "../../src/shared/ai/local";
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

/** How a paced fake model behaves: like the realistic profile by default, or stalling or failing at a chunk. */
export interface Pace {
	/** Before the first chunk; the realistic profile's 400 ms by default. */
	firstMs?: number;
	/** Before each later chunk of 16 characters; 100 ms by default. */
	chunkMs?: number;
	/** Goes quiet for `ms` before chunk `at` (counted from 0). */
	stall?: { at: number; ms: number };
	/** Fails before chunk `at` with `message` (0: the call itself is refused). */
	fail?: { at: number; message: string };
}

/**
 * The env with Workers AI selected and the `AI` binding replaced by a fake
 * that streams `reply` in 16-character chunks paced like a hosted model (the
 * realistic profile: the first after 400 ms, then one every 100 ms), counting
 * its calls.
 */
export function pacedAi(reply: string, pace: Pace = {}) {
	const calls = { n: 0 };
	const chunks = chunkText(reply, LOCAL_CHUNK_CHARS);
	const encoder = new TextEncoder();
	const ai: AiRunner = {
		run: async () => {
			calls.n++;
			if (pace.fail?.at === 0) throw new Error(pace.fail.message);
			let next = 0;
			return new ReadableStream<Uint8Array>({
				async pull(controller) {
					if (pace.stall?.at === next) await scheduler.wait(pace.stall.ms);
					if (pace.fail?.at === next) return controller.error(new Error(pace.fail.message));
					const chunk = chunks[next];
					if (chunk === undefined) {
						controller.enqueue(encoder.encode("data: [DONE]\n\n"));
						return controller.close();
					}
					await scheduler.wait(next === 0 ? (pace.firstMs ?? 400) : (pace.chunkMs ?? 100));
					controller.enqueue(encoder.encode(`data: ${JSON.stringify({ response: chunk })}\n\n`));
					next++;
				},
			});
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
