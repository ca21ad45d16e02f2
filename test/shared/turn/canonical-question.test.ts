/**
 * The cache's central promise as a property (STYLE §14): two first questions
 * that share an answer key share the computation behind it, the articles
 * retrieved and the prompt the model sees, because both are built from the
 * key's own canonical text. Questions are drawn from a small vocabulary with
 * random case, spacing, punctuation, fillers and invisible characters, so that
 * pairs with equal keys come up often; the real knowledge base does the
 * retrieving.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatMessage, Source } from "../../../src/shared/ai/provider";
import { normalizeQuestion } from "../../../src/shared/cache";
import type { BeginTurnResult } from "../../../src/shared/schemas/hub";
import { knowledgeBase } from "../../../src/shared/stubs";
import { cacheableQuestion, contextFreeQuestion } from "../../../src/shared/turn/answer-cache";
import { answerCacheFor } from "../../../src/shared/turn/answer-store";
import { answerTurn } from "../../../src/shared/turn/answer-turn";
import { fuzzOptions } from "../../fuzz/support";

const WORDS = ["how", "do", "i", "get", "a", "refund", "reset", "my", "password", "invoice", "export", "data", "please", "thanks", "not"];
const FILLERS = ["Hi!", "Hello,", "Thanks!", "Quick question:", "please?", "Thank you."];
const INVISIBLE = ["\u200B", "\u00AD", "\u200D", "\uFEFF"];
const SEPARATORS = [" ", "  ", "\t", "\n", " \u3000"];

/** A word in a random dress: case, an invisible character inside, full-width letters. */
function dressedWord(word: string) {
	return fc
		.record({
			upper: fc.constantFrom("none", "first", "all"),
			invisible: fc.option(fc.constantFrom(...INVISIBLE), { nil: undefined }),
			fullWidth: fc.boolean(),
		})
		.map(({ upper, invisible, fullWidth }) => {
			let text = upper === "all" ? word.toUpperCase() : upper === "first" ? word[0]?.toUpperCase() + word.slice(1) : word;
			if (fullWidth) text = [...text].map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0)).join("");
			return invisible && text.length > 1 ? `${text.slice(0, 1)}${invisible}${text.slice(1)}` : text;
		});
}

/** Some spelling of the question made of `words`, with random fillers, spacing and punctuation. */
function spelling(words: readonly string[]) {
	return fc
		.record({
			lead: fc.option(fc.constantFrom(...FILLERS), { nil: undefined }),
			words: fc.tuple(...words.map(dressedWord)),
			separator: fc.constantFrom(...SEPARATORS),
			end: fc.constantFrom("", "?", "?!", ".", " ?"),
			trail: fc.option(fc.constantFrom(...FILLERS), { nil: undefined }),
		})
		.map(({ lead, words, separator, end, trail }) => [lead, words.join(separator) + end, trail].filter(Boolean).join(separator));
}

const wordList = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 });
const question = wordList.chain(spelling);
/** Two spellings of one question, or of two questions drawn from the same small vocabulary. */
const questionPair = fc
	.tuple(wordList, wordList, fc.boolean())
	.chain(([words, other, same]) => fc.tuple(spelling(words), spelling(same ? words : other)));

type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

function firstTurn(text: string): StartedTurn {
	const message = { seq: 1, id: "m1", role: "user" as const, text, createdAt: new Date(0).toISOString(), status: "complete" as const };
	return {
		kind: "started",
		turnId: "t1",
		turn: "t1",
		replyTo: ["m1"],
		summary: null,
		history: [message],
		locale: null,
		identity: null,
		calls: [],
	};
}

/** Runs a first turn for `text` with a cache that always misses, and records its key, its retrieval and its prompt. */
async function computation(text: string): Promise<{ key: string; retrieved: string[]; prompt: ChatMessage[] }> {
	const kb = knowledgeBase(env);
	const real = answerCacheFor(env);
	const seen: { key?: string; retrieved?: string[]; prompt?: ChatMessage[] } = {};
	await answerTurn(firstTurn(text), {
		hub: { appendDelta: async () => ({ ok: true }), completeTurn: async () => ({ ok: true }), restartStream: async () => ({ ok: true }) },
		lookup: (query, limit) => kb.lookup(query, limit),
		shareSilenceMs: 5000,
		provider: {
			name: "recording",
			model: "recording",
			smallModel: undefined,
			async *stream(request) {
				seen.prompt = request.messages;
				yield "Noted. [1]";
			},
		},
		cached: {
			answers: {
				key: async (parts) => {
					seen.key = await real.key(parts);
					return seen.key;
				},
				share: async (_key, compute) => ({ ...(await compute()), ran: true, stored: false }),
				shareStream: async (_key, compute) => ({
					joined: false,
					...(await compute({ publish: () => undefined, alive: () => undefined })),
					ran: true,
					stored: false,
				}),
				delete: async () => undefined,
			},
			knowledge: {
				version: () => kb.version(),
				search: async (query, limit): Promise<Source[]> => {
					const sources = await kb.retrieve(query, limit);
					seen.retrieved = sources.map((s) => s.id);
					return sources;
				},
			},
		},
	});
	if (seen.key === undefined || !seen.retrieved || !seen.prompt) throw new Error(`the turn for ${JSON.stringify(text)} was not cached`);
	return { key: seen.key, retrieved: seen.retrieved, prompt: seen.prompt };
}

describe("the canonical question", () => {
	it("equal answer keys mean equal retrieval and equal prompts", async () => {
		let equalKeys = 0;
		await fc.assert(
			fc.asyncProperty(questionPair, async ([a, b]) => {
				fc.pre(normalizeQuestion(a) !== "" && normalizeQuestion(b) !== "");
				const [first, second] = await Promise.all([computation(a), computation(b)]);
				if (first.key !== second.key) return;
				equalKeys++;
				expect(second.retrieved).toEqual(first.retrieved);
				expect(second.prompt).toEqual(first.prompt);
			}),
			fuzzOptions(300),
		);
		// The property says nothing unless equal keys come up: the vocabulary is small so that they do.
		expect(equalKeys).toBeGreaterThan(0);
	});

	it("and any spelling of a question computes exactly what its plain spelling does", async () => {
		await fc.assert(
			fc.asyncProperty(question, async (text) => {
				const canonical = normalizeQuestion(text);
				fc.pre(canonical !== "");
				const [odd, plain] = await Promise.all([computation(text), computation(canonical)]);
				expect(odd).toEqual(plain);
			}),
			fuzzOptions(200),
		);
	});

	it("is a fixpoint: normalizing the canonical form changes nothing", () => {
		fc.assert(
			fc.property(question, (text) => normalizeQuestion(normalizeQuestion(text)) === normalizeQuestion(text)),
			fuzzOptions(1000),
		);
	});

	it("exists only for a session's first messages: an archived past makes a turn lean on context", () => {
		const turn = firstTurn("How do I get a refund?");
		expect(contextFreeQuestion(turn)).toBe("How do I get a refund?");
		expect(cacheableQuestion(turn)).toBe("how do i get a refund");
		const later = { ...turn, history: turn.history.map((m) => ({ ...m, seq: 41 })) };
		expect(contextFreeQuestion(later)).toBeUndefined();
	});
});
