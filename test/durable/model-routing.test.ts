/**
 * Model routing in a session's hub, with Workers AI selected and its binding
 * faked per model: an easy first question costs one small-model call; one
 * the small model declines is answered by the large model, its decline never
 * shown; the answer cache serves either to the next session under the
 * routing policy's key; and every call's tokens and cost reach the
 * exposition, labelled with the model that made them.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AiRunner } from "../../src/shared/ai/workers-ai";
import { ask, hubEnv } from "../support/answers";
import { request } from "../support/api";
import { createdHub } from "../support/hub";

const LARGE = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const SMALL = "@cf/meta/llama-3.1-8b-instruct-fp8-fast";

/** Workers AI, routing on, with each model's reply scripted and every call and metric batch recorded. */
function routedWorkersAi(reply: (model: string) => string) {
	const calls: string[] = [];
	const run: AiRunner["run"] = async (model) => {
		calls.push(model);
		return new Blob([`data: ${JSON.stringify({ response: reply(model) })}\n\ndata: [DONE]\n\n`]).stream();
	};
	const bindings: Env = {
		...env,
		AI_PROVIDER: "workers-ai",
		AI_ROUTING: "auto",
		AI: Object.assign(Object.create(env.AI), { run }),
	};
	return { calls, bindings };
}

const unique = () => crypto.randomUUID().slice(0, 8);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("model routing in the hub", () => {
	it("answers an easy first question with one small-model call", async () => {
		const ai = routedWorkersAi(() => "Click Forgot password on the sign-in page. [1]");
		const { hub } = await createdHub();
		await hubEnv(hub, ai.bindings);
		const reply = await ask(hub, "q", `How do I reset my password? (${unique()})`);
		expect(ai.calls).toEqual([SMALL]);
		expect(reply.citations?.length).toBeGreaterThan(0);
	});

	it("answers what the small model declines with the large one, never shows the decline, and caches the large answer for the next session", async () => {
		const ai = routedWorkersAi((model) =>
			model === SMALL
				? "I'm sorry, I couldn't find anything about that in the help center."
				: "Secure your account: change your password now. [1]",
		);
		const question = `Someone signed in to my account from another country (${unique()})`;
		const first = await createdHub();
		await hubEnv(first.hub, ai.bindings);
		const reply = await ask(first.hub, "q", question);
		expect(ai.calls).toEqual([SMALL, LARGE]);
		expect(reply.text).toBe("Secure your account: change your password now. [1]");

		const second = await createdHub();
		await hubEnv(second.hub, ai.bindings);
		expect((await ask(second.hub, "q", question)).text).toBe(reply.text);
		expect(ai.calls).toEqual([SMALL, LARGE]);
	});

	it("counts each call's tokens and cost, per model, through the metrics pipeline to /api/metrics", async () => {
		const ai = routedWorkersAi((model) => (model === SMALL ? "I don't know." : "Here is how. [1]"));
		const { hub } = await createdHub();
		await hubEnv(hub, ai.bindings);
		await ask(hub, "q", `How do I connect Slack? (${unique()})`);
		expect(ai.calls).toEqual([SMALL, LARGE]);
		// The hub ships within a second, then the metrics queue and its consumer; read the exposition until both models show.
		const sample = (text: string, series: string) => Number(new RegExp(`^${literal(series)} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
		let text = "";
		for (let i = 0; i < 50; i++) {
			text = await (await request("/api/metrics")).text();
			if (
				sample(text, `chat_ai_routing_total{model="large",reason="declined"}`) > 0 &&
				sample(text, `chat_ai_cost_dollars_total{model="${SMALL}"}`) > 0
			)
				break;
			await scheduler.wait(200);
		}
		for (const model of [SMALL, LARGE]) {
			expect(sample(text, `chat_ai_tokens_total{model="${model}",direction="input"}`)).toBeGreaterThan(100);
			expect(sample(text, `chat_ai_tokens_total{model="${model}",direction="output"}`)).toBeGreaterThan(0);
			expect(sample(text, `chat_ai_cost_dollars_total{model="${model}"}`)).toBeGreaterThan(0);
		}
		expect(sample(text, `chat_ai_routing_total{model="small",reason="first_turn"}`)).toBeGreaterThanOrEqual(1);
		expect(sample(text, `chat_ai_routing_total{model="large",reason="declined"}`)).toBeGreaterThanOrEqual(1);
	});
});
