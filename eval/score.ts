/**
 * How one reply is judged against its expectation (eval/dialogues.ts), and
 * how the judgements add up per category. Pure, so the judge itself is
 * unit-tested (test/shared/eval-score.test.ts) and a check that can never
 * fail would show there.
 */
import type { Message } from "../src/shared/schemas/message";
import { opensWithDecline } from "../src/shared/text/decline";
import { HANDOFF_REPLY } from "../src/shared/text/person-request";
import type { EvalTurn, Expectation } from "./dialogues";

export type Reply = Pick<Message, "text" | "status"> & { citations?: Message["citations"] };

export interface Verdict {
	ok: boolean;
	/** Why not, in words, for the failure list. */
	why?: string;
}

/**
 * A request for a person passes with the short handoff answer, and a later turn with no reply
 * at all (people answer). An answer passes when it is not a decline, cites the expected article and contains one of the
 * expected facts (case and runs of spaces ignored); a decline passes when the reply declines (model
 * routing's own test, in its opening: src/shared/text/decline.ts) and
 * cites nothing (a decline that cites articles still claims they answer).
 * @example judge({ kind: "answer", article: "reset-password", fact: ["60 minutes"] }, reply) // { ok: true }
 */
export function judge(expect: Expectation, reply: Reply | undefined): Verdict {
	if (expect.kind === "silent") return reply ? { ok: false, why: "the assistant answered while people answer" } : { ok: true };
	if (!reply) return { ok: false, why: "no reply" };
	if (reply.status !== "complete") return { ok: false, why: `status ${reply.status}` };
	const cited = (reply.citations ?? []).map((c) => c.id);
	if (expect.kind === "handoff") {
		return reply.text === HANDOFF_REPLY && cited.length === 0 ? { ok: true } : { ok: false, why: "not handed to a person" };
	}
	if (expect.kind === "decline") {
		if (!opensWithDecline(reply.text)) return { ok: false, why: `answered instead of declining (cited ${cited.join(", ") || "nothing"})` };
		return cited.length === 0 ? { ok: true } : { ok: false, why: `declined but cited ${cited.join(", ")}` };
	}
	if (opensWithDecline(reply.text)) return { ok: false, why: "declined" };
	if (!cited.includes(expect.article)) return { ok: false, why: `cited ${cited.join(", ") || "nothing"}, not ${expect.article}` };
	const text = squash(reply.text);
	if (!expect.fact.some((fact) => text.includes(squash(fact)))) return { ok: false, why: `missing the fact (${expect.fact.join(" | ")})` };
	return { ok: true };
}

function squash(text: string): string {
	return text.toLowerCase().replace(/\s+/g, " ");
}

export type Category = EvalTurn["category"];
export const CATEGORIES: readonly Category[] = ["first", "follow_up", "switch", "unanswerable", "handoff"];

export interface Tally {
	right: number;
	total: number;
}

/** Right and total per category. */
export function tally(results: readonly { category: Category; verdict: Verdict }[]): Record<Category, Tally> {
	const out = Object.fromEntries(CATEGORIES.map((c) => [c, { right: 0, total: 0 }])) as Record<Category, Tally>;
	for (const { category, verdict } of results) {
		out[category].total++;
		if (verdict.ok) out[category].right++;
	}
	return out;
}

/** A share, 0 for an empty category. */
export function accuracy({ right, total }: Tally): number {
	return total === 0 ? 0 : right / total;
}
