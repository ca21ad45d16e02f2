/**
 * Model routing in a turn: the decline gate, case by case, and whole turns
 * through answerTurn with the local provider simulating both models on the
 * real knowledge base: the small model answers the easy ones; what it
 * declines is answered by the large one without a word of the decline
 * reaching the user; routing off, or a hard later turn, goes to the large
 * one alone. The answer cache's key carries the routing policy.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { localProvider } from "../../../src/shared/ai/local";
import { LOCAL_MODELS } from "../../../src/shared/ai/local-models";
import { DEFAULT_MODEL_PRICES } from "../../../src/shared/ai/pricing";
import type { AiProvider, Source } from "../../../src/shared/ai/provider";
import { type AiUsage, modelPrices, withUsage } from "../../../src/shared/ai/usage";
import type { CompleteTurnInput } from "../../../src/shared/schemas/hub";
import type { Message } from "../../../src/shared/schemas/message";
import { knowledgeBase } from "../../../src/shared/stubs";
import { DECLINE_PATTERN } from "../../../src/shared/text/decline";
import { answerKeyParts } from "../../../src/shared/turn/answer-cache";
import { answerTurn } from "../../../src/shared/turn/answer-turn";
import { ROUTING_RULE } from "../../../src/shared/turn/model-routing";
import { DeclineGate, MIN_OPENING_CHARS } from "../../../src/shared/turn/routed-reply";
import { recordingHub, startedTurn } from "../../support/messages";

const SOURCES: Source[] = [
	{ id: "reset-password", title: "Reset your password", body: "…", score: 30 },
	{ id: "two-factor-authentication", title: "2FA", body: "…", score: 9 },
];

/** A sink that records what the gate lets through. */
function recordingSink() {
	const sink = {
		released: "",
		owned: true,
		add(text: string) {
			sink.released += text;
		},
		flush: async () => true,
	};
	return sink;
}

/** Feeds `chunks` to a gate, then flushes it; "declined" if the gate refused the reply. */
async function gate(chunks: string[], sources: Source[] = SOURCES): Promise<{ outcome: "released" | "declined"; seenBefore: string[] }> {
	const sink = recordingSink();
	const g = new DeclineGate(sink, sources);
	const seenBefore: string[] = [];
	try {
		for (const chunk of chunks) {
			g.add(chunk);
			seenBefore.push(sink.released);
		}
		await g.flush();
		return { outcome: "released", seenBefore };
	} catch (error) {
		if (error instanceof Error && error.name === "Declined") return { outcome: "declined", seenBefore };
		throw error;
	}
}

describe("the decline gate", () => {
	it("releases the opening at the first citation, and everything after straight away", async () => {
		const { outcome, seenBefore } = await gate(["Open ", "Settings [1]", " and then", " click Reset."]);
		expect(outcome).toBe("released");
		expect(seenBefore).toEqual(["", "Open Settings [1]", "Open Settings [1] and then", "Open Settings [1] and then click Reset."]);
	});

	it("releases the opening at the end of its first sentence past the minimum length", async () => {
		const first = "Sure! You can reset your password from the sign-in page.";
		expect(first.length).toBeGreaterThan(MIN_OPENING_CHARS);
		const { outcome, seenBefore } = await gate([
			"Sure! ",
			"You can reset your password ",
			"from the sign-in page.",
			" Then",
			" check mail [1].",
		]);
		expect(outcome).toBe("released");
		// "Sure! " ends a sentence too early to decide; the second sentence's end opens the gate.
		expect(seenBefore.slice(0, 3)).toEqual(["", "", ""]);
		expect(seenBefore[3]).toBe(`${first} Then`);
	});

	it.each([
		["says it could not find the answer", ["I'm sorry, I couldn't find ", "that in our help center."]],
		["says the articles do not cover it", ["The articles don't mention ", "Jira at all."]],
		["says it does not know", ["Hmm, I don't know the answer."]],
		["says it is unable to help", ["I am unable to help with refunds for resellers."]],
		["says it could not find it, spelled out", ["Unfortunately I could not find ", "anything about that."]],
		["says it can't answer, with a typographic apostrophe", ["I can’t answer that from the articles."]],
	])("declines a reply that %s, before releasing a word", async (_name, chunks) => {
		const { outcome, seenBefore } = await gate(chunks);
		expect(outcome).toBe("declined");
		expect(seenBefore.every((text) => text === "")).toBe(true);
	});

	it("declines a short reply that cites none of the retrieved articles, and an empty one", async () => {
		expect((await gate(["Just do it."])).outcome).toBe("declined");
		expect((await gate(["See [7]."])).outcome).toBe("declined");
		expect((await gate([])).outcome).toBe("declined");
	});

	it("releases an uncited short reply when nothing was retrieved (a greeting)", async () => {
		expect((await gate(["Hello! How can I help?"], [])).outcome).toBe("released");
	});

	it("reads a decline only in the opening: a step later on that says 'can't find' is not one", async () => {
		const reply = ["Go to Settings, then Billing [1].", " If I can't find it there, ask your admin."];
		expect(DECLINE_PATTERN.test(reply.join(""))).toBe(true);
		expect((await gate(reply)).outcome).toBe("released");
	});
});

interface Recorded {
	deltas: string;
	completed: CompleteTurnInput[];
	calls: AiUsage[];
}

const message = (seq: number, role: Message["role"], text: string): Message => ({
	seq,
	id: `m${seq}`,
	role,
	text,
	createdAt: new Date(0).toISOString(),
	status: "complete",
});

/** The local provider's two models (or only the large one), every call's model and tokens recorded. */
function provider(routing: boolean, calls: AiUsage[]): AiProvider {
	const local = localProvider({ chunkDelayMs: 0, ...(routing ? { small: { chunkDelayMs: 0 } } : {}) });
	return withUsage(local, modelPrices(local, DEFAULT_MODEL_PRICES), (usage) => calls.push(usage));
}

/** Answers a turn over `history` (the last `asking` messages being asked) without the answer cache, as a hub would. */
async function turn(history: Message[], asking: number, routing = true): Promise<Recorded> {
	const calls: AiUsage[] = [];
	const kb = knowledgeBase(env);
	const hub = recordingHub();
	await answerTurn(
		startedTurn(
			history,
			history.slice(-asking).map((m) => m.id),
		),
		{
			hub,
			lookup: (query: string, limit: number) => kb.lookup(query, limit),
			provider: provider(routing, calls),
			shareSilenceMs: 1000,
		},
	);
	return { deltas: hub.deltas, completed: hub.completed, calls };
}

describe("a routed turn, through answerTurn, with the local provider simulating both models", () => {
	it("sends a short first question to the small model, which answers it", async () => {
		const { deltas, completed, calls } = await turn([message(1, "user", "How do I reset my password?")], 1);
		expect(calls.map((c) => c.model)).toEqual([LOCAL_MODELS.small]);
		expect(completed).toHaveLength(1);
		expect(completed[0]?.citations?.map((c) => c.id)).toContain("reset-password");
		expect(deltas).toBe(completed[0]?.text);
	});

	it("escalates a first turn the small model declines to the large one, and nothing of the decline reaches the user", async () => {
		// Two questions at once: the simulated small model takes one question at a time, and declines.
		const { deltas, completed, calls } = await turn(
			[message(1, "user", "How do I reset my password? And how do I turn on two-factor authentication?")],
			1,
		);
		expect(calls.map((c) => c.model)).toEqual([LOCAL_MODELS.small, LOCAL_MODELS.large]);
		expect(completed).toHaveLength(1);
		expect(completed[0]?.text).not.toMatch(/couldn't find/);
		expect(completed[0]?.citations?.length).toBeGreaterThan(0);
		expect(deltas).toBe(completed[0]?.text);
		// Both calls cost something, each priced as its model.
		const [small, large] = calls;
		expect(small?.nanoDollars).toBeGreaterThan(0);
		expect(large?.nanoDollars).toBeGreaterThan(small?.nanoDollars ?? 0);
	});

	it("sends a later turn whose retrieval is unsure straight to the large model", async () => {
		const history = [
			message(1, "user", "How do I reset my password?"),
			message(2, "assistant", "Use the Forgot password link. [1]"),
			message(3, "user", "Does the Business plan come with a free laptop?"),
		];
		const { calls, completed } = await turn(history, 1);
		expect(calls.map((c) => c.model)).toEqual([LOCAL_MODELS.large]);
		expect(completed).toHaveLength(1);
	});

	it("sends a later turn that retrieval pins to one article to the small model", async () => {
		const history = [
			message(1, "user", "How do I reset my password?"),
			message(2, "assistant", "Use the Forgot password link. [1]"),
			message(3, "user", "How do I import my Trello boards?"),
		];
		const { calls, completed } = await turn(history, 1);
		expect(calls.map((c) => c.model)).toEqual([LOCAL_MODELS.small]);
		expect(completed[0]?.citations?.map((c) => c.id)).toContain("import-csv-trello");
	});

	it("escalates a question whose answer is not in the top article: the simulated small model declines it", async () => {
		const { calls, completed } = await turn([message(1, "user", "My payment failed, can I pay by bank transfer instead?")], 1);
		expect(calls.map((c) => c.model)).toEqual([LOCAL_MODELS.small, LOCAL_MODELS.large]);
		expect(completed[0]?.citations?.map((c) => c.id)).toContain("payment-methods");
	});

	it("sends every turn to the large model with routing off", async () => {
		const { calls } = await turn([message(1, "user", "How do I reset my password?")], 1, false);
		expect(calls.map((c) => c.model)).toEqual([LOCAL_MODELS.large]);
	});
});

describe("the answer cache's key under routing", () => {
	it("carries the small model and the rule, not the model that answered; without routing it is the key from before routing", () => {
		const calls: AiUsage[] = [];
		const off = answerKeyParts("how do i reset my password", 3, provider(false, calls));
		expect(off).toEqual({
			question: "how do i reset my password",
			kbVersion: 3,
			provider: "local",
			model: LOCAL_MODELS.large,
			params: off.params,
		});
		const auto = answerKeyParts("how do i reset my password", 3, provider(true, calls));
		expect(auto).toEqual({ ...off, routing: { smallModel: LOCAL_MODELS.small, rule: ROUTING_RULE } });
	});
});
