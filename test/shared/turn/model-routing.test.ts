/**
 * The routing rule, case by case: short first turns and short, confidently
 * retrieved later turns go to the small model; long questions, and later
 * turns whose retrieval is unsure, go to the large one.
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../../src/shared/schemas/message";
import { ROUTING_RULE, type RouteInput, type RouteReason, routeTurn } from "../../../src/shared/turn/model-routing";
import { routeInput } from "../../../src/shared/turn/routed-reply";

const SHORT = 40;
const LONG = ROUTING_RULE.maxQuestionChars + 1;
const CONFIDENT = ROUTING_RULE.minTopScore + 5;

describe("routeTurn", () => {
	const cases: [string, RouteInput, "small" | "large", RouteReason][] = [
		["a short first question", { firstTurn: true, scores: [CONFIDENT, 3], questionChars: SHORT }, "small", "first_turn"],
		[
			"a short first question with nothing retrieved (a greeting)",
			{ firstTurn: true, scores: [], questionChars: 5 },
			"small",
			"first_turn",
		],
		[
			"a first question at the length limit",
			{ firstTurn: true, scores: [], questionChars: ROUTING_RULE.maxQuestionChars },
			"small",
			"first_turn",
		],
		["a long first question", { firstTurn: true, scores: [CONFIDENT], questionChars: LONG }, "large", "long_question"],
		[
			"a later question with one confident article",
			{ firstTurn: false, scores: [CONFIDENT], questionChars: SHORT },
			"small",
			"confident_article",
		],
		[
			"a later question whose best article leads by the factor",
			{ firstTurn: false, scores: [CONFIDENT, CONFIDENT / ROUTING_RULE.minLead], questionChars: SHORT },
			"small",
			"confident_article",
		],
		[
			"a later question whose best article leads by less",
			{ firstTurn: false, scores: [CONFIDENT, CONFIDENT / ROUTING_RULE.minLead + 0.5, 2], questionChars: SHORT },
			"large",
			"unsure_retrieval",
		],
		[
			"a later question whose only article scores low",
			{ firstTurn: false, scores: [ROUTING_RULE.minTopScore - 0.1], questionChars: SHORT },
			"large",
			"unsure_retrieval",
		],
		["a later question with nothing retrieved", { firstTurn: false, scores: [], questionChars: SHORT }, "large", "unsure_retrieval"],
		[
			"a later question whose scores are unknown (a search cached before scores were kept)",
			{ firstTurn: false, scores: [undefined, undefined], questionChars: SHORT },
			"large",
			"unsure_retrieval",
		],
		[
			"a long later question, however confident",
			{ firstTurn: false, scores: [CONFIDENT * 3], questionChars: LONG },
			"large",
			"long_question",
		],
	];

	it.each(cases)("%s", (_name, input, model, reason) => {
		expect(routeTurn(input)).toEqual({ model, reason });
	});
});

describe("routeInput", () => {
	const message = (seq: number, role: Message["role"], text: string): Message => ({
		seq,
		id: `m${seq}`,
		role,
		text,
		createdAt: new Date(0).toISOString(),
		status: "complete",
	});

	it("reads a session's first messages as a first turn, and measures what the turn answers", () => {
		const history = [message(1, "user", "Hi!"), message(2, "user", "How do I reset my password?")];
		const input = routeInput({ summary: null, history, replyTo: ["m1", "m2"] }, [
			{ id: "a", title: "A", body: "", score: 20 },
			{ id: "b", title: "B", body: "" },
		]);
		expect(input).toEqual({ firstTurn: true, scores: [20, undefined], questionChars: "Hi!\nHow do I reset my password?".length });
	});

	it("reads a turn after a reply, or with a summary, as a later turn that measures only its own messages", () => {
		const history = [
			message(1, "user", "How do I reset my password?"),
			message(2, "assistant", "Like this. [1]"),
			message(3, "user", "Thanks"),
		];
		expect(routeInput({ summary: null, history, replyTo: ["m3"] }, []).firstTurn).toBe(false);
		expect(routeInput({ summary: null, history, replyTo: ["m3"] }, []).questionChars).toBe("Thanks".length);
		expect(routeInput({ summary: "- Asked about passwords", history: [message(9, "user", "Hi")], replyTo: ["m9"] }, []).firstTurn).toBe(
			false,
		);
	});
});
