import { describe, expect, it } from "vitest";
import { BACK_TO_BACK } from "../../eval/back-to-back";
import { DIALOGUES } from "../../eval/dialogues";
import { HELD_OUT } from "../../eval/held-out";
import { sampleArticles } from "../../src/shared/kb/sample-articles";

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, " ");
const articleText = new Map(sampleArticles.map((a) => [a.id, squash(`${a.title}\n${a.body}`)]));

describe.each([
	["the main set", DIALOGUES],
	["the held-out set", HELD_OUT],
	["the back-to-back set", BACK_TO_BACK],
])("the eval's dialogues: %s", (_name, dialogues) => {
	it("has unique ids", () => {
		const ids = [...DIALOGUES, ...HELD_OUT, ...BACK_TO_BACK].map((d) => d.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	// A fact the article does not contain could never be answered: the eval would count a failure that no model can fix.
	it.each(
		dialogues.flatMap((d) =>
			d.turns.flatMap((turn, i) =>
				turn.expect.kind === "answer" ? [[`${d.id}#${i + 1}`, turn.expect.article, turn.expect.fact] as const] : [],
			),
		),
	)("%s expects facts its article %s states", (_turn, article, facts) => {
		const text = articleText.get(article);
		expect(text, `no article ${article}`).toBeDefined();
		for (const fact of facts) expect(text, fact).toContain(squash(fact));
	});
});
