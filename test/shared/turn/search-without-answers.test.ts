/**
 * With answers not cached (ANSWER_CACHE=off), a turn still retrieves through
 * the search cache: the same searches, keyed by the knowledge base's version,
 * as when answers are cached. Only without either does it ask the knowledge
 * base for every turn. First and later turns, through answerTurn on the real
 * knowledge base.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { localProvider } from "../../../src/shared/ai/local";
import type { Message } from "../../../src/shared/schemas/message";
import { knowledgeBase } from "../../../src/shared/stubs";
import { answerTurn } from "../../../src/shared/turn/answer-turn";
import { cachedKnowledge, type Knowledge } from "../../../src/shared/turn/kb-search-store";
import { messageFactory, recordingHub, startedTurn } from "../../support/messages";

/** Answers a turn over `history` with the given retrieval ports; records what each was asked and what was committed. */
async function turn(history: Message[], retrieval: "search cache" | "lookup") {
	const kb = knowledgeBase(env);
	const asked = { searches: [] as string[], lookups: [] as string[] };
	const cached = cachedKnowledge(kb, env);
	const knowledge: Knowledge = {
		version: () => cached.version(),
		search: (query, limit, version, refine) => {
			asked.searches.push(query);
			return cached.search(query, limit, version, refine);
		},
	};
	const hub = recordingHub();
	await answerTurn(startedTurn(history), {
		hub,
		lookup: (query, limit, refine) => {
			asked.lookups.push(query);
			return kb.lookup(query, limit, refine);
		},
		provider: localProvider({ chunkDelayMs: 0 }),
		shareSilenceMs: 1000,
		...(retrieval === "search cache" ? { knowledge } : {}),
	});
	return { asked, completed: hub.completed };
}

function firstTurn(): Message[] {
	const message = messageFactory();
	return [message("user", "How do I reset my password?")];
}

function followUp(): Message[] {
	const message = messageFactory();
	return [
		message("user", "How do I reset my password?"),
		message("assistant", "Use the Forgot password link on the sign-in page. [1]", ["reset-password"]),
		message("user", "How long is the link valid?"),
	];
}

describe("retrieval when answers are not cached", () => {
	it("goes through the search cache for a first turn and a later one, never a lookup per turn", async () => {
		const first = await turn(firstTurn(), "search cache");
		const later = await turn(followUp(), "search cache");

		for (const { asked, completed } of [first, later]) {
			expect(asked.lookups).toEqual([]);
			expect(asked.searches).toHaveLength(1);
			expect(completed).toHaveLength(1);
			expect(completed[0]?.citations?.map((c) => c.id)).toContain("reset-password");
		}
	});

	it("grounds on the same articles as a lookup per turn", async () => {
		const cached = await turn(followUp(), "search cache");
		const looked = await turn(followUp(), "lookup");

		expect(looked.asked.lookups).toHaveLength(1);
		expect(cached.completed[0]?.citations).toEqual(looked.completed[0]?.citations);
		expect(cached.completed[0]?.text).toBe(looked.completed[0]?.text);
	});
});
