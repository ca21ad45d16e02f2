import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { localProvider } from "../../../src/shared/ai/local";
import type { AiProvider, CompletionRequest, Source } from "../../../src/shared/ai/provider";
import type { Message } from "../../../src/shared/schemas/message";
import { knowledgeBase } from "../../../src/shared/stubs";
import { answerTurn } from "../../../src/shared/turn/answer-turn";
import type { Refine } from "../../../src/shared/turn/conversational-query";
import { REWRITE_TIMEOUT_MS, rewriteFollowUp } from "../../../src/shared/turn/query-rewrite";
import { messageFactory, recordingHub, startedTurn } from "../../support/messages";

const message = messageFactory();

/** A real model's stand-in: the rewrite call (its system message asks for one) gets `rewritten`; an answer cites [1]. */
function fakeModel(rewritten: string | (() => AsyncIterable<string>)) {
	const requests: CompletionRequest[] = [];
	const provider: AiProvider = {
		name: "workers-ai",
		model: "large",
		smallModel: "small",
		async *stream(request) {
			requests.push(request);
			if (request.messages[0]?.content.startsWith("Rewrite")) {
				if (typeof rewritten === "string") yield rewritten;
				else yield* rewritten();
				return;
			}
			yield "Here is how. [1]";
		},
	};
	return { provider, requests };
}

describe("rewriteFollowUp", () => {
	const history = [message("user", "Do you integrate with GitHub?"), message("assistant", "Yes [1]"), message("user", "and the chat one?")];

	it("asks the small model, with the instruction and the conversation, and takes its one line", async () => {
		const { provider, requests } = fakeModel('"Does Brightdesk integrate with Slack?"');
		expect(await rewriteFollowUp(provider, history)).toBe("Does Brightdesk integrate with Slack?");
		expect(requests[0]?.model).toBe("small");
		expect(requests[0]?.maxTokens).toBe(64);
		expect(requests[0]?.messages.slice(1).map((m) => m.content)).toEqual(history.map((m) => m.text));
	});

	it("gives up on a rambling, empty, failing or slow reply", async () => {
		expect(await rewriteFollowUp(fakeModel("Sure! Here is the question:\nDoes it?").provider, history)).toBeUndefined();
		expect(await rewriteFollowUp(fakeModel("  ").provider, history)).toBeUndefined();
		const failing = fakeModel(async function* () {
			yield* [];
			throw new Error("boom");
		});
		expect(await rewriteFollowUp(failing.provider, history)).toBeUndefined();
		const slow = fakeModel(async function* (this: void) {
			await scheduler.wait(REWRITE_TIMEOUT_MS + 500);
			yield "too late";
		});
		// The provider here ignores the signal, as some do; the rewrite still ends, without its answer.
		const started = Date.now();
		const slowProvider: AiProvider = {
			...slow.provider,
			async *stream(request) {
				const iterator = slow.provider.stream(request)[Symbol.asyncIterator]();
				const aborted = new Promise<never>((_, reject) => request.signal?.addEventListener("abort", () => reject(request.signal?.reason)));
				const next = await Promise.race([iterator.next(), aborted]);
				if (!next.done) yield next.value;
			},
		};
		expect(await rewriteFollowUp(slowProvider, history)).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(REWRITE_TIMEOUT_MS + 400);
	});
});

describe("a follow-up through answerTurn", () => {
	async function answer(provider: AiProvider, history: Message[]) {
		const kb = knowledgeBase(env);
		const lookups: Refine[] = [];
		let sources: Source[] = [];
		const hub = recordingHub();
		await answerTurn(startedTurn(history), {
			hub,
			lookup: async (query, limit, refine) => {
				lookups.push(refine);
				const found = await kb.lookup(query, limit, refine);
				sources = found.sources;
				return found;
			},
			provider,
			shareSilenceMs: 1000,
		});
		return { lookups, sources, completed: hub.completed };
	}

	const history = () => [
		message("user", "Do you integrate with GitHub?"),
		message("assistant", "Yes: link pull requests to tasks. [1]", ["github-integration"]),
		message("user", "and the chat one?"),
	];

	it("with a real model: searches the model's standalone rewrite too, and grounds on what it finds", async () => {
		const { provider, requests } = fakeModel("How do I connect Slack to Brightdesk?");
		const { lookups, sources } = await answer(provider, history());
		expect(lookups[0]?.rewrite).toBe("how do i connect slack to brightdesk");
		expect(sources.map((s) => s.id)).toContain("slack-integration");
		// First the rewrite, on the small model; then the answer (whichever model routing picks).
		expect(requests).toHaveLength(2);
		expect(requests[0]?.messages[0]?.content).toMatch(/^Rewrite/);
		expect(requests[0]?.model).toBe("small");
		expect(requests[1]?.messages[0]?.content).not.toMatch(/^Rewrite/);
	});

	it("with the local model: no rewrite, the expansion alone", async () => {
		const { lookups } = await answer(localProvider({ chunkDelayMs: 0 }), history());
		expect(lookups[0]?.rewrite).toBeUndefined();
		expect(lookups[0]?.boost).toEqual(["github-integration"]);
	});
});
