/** Transcript messages for turn tests (numbered from 1 per factory, citations given by article id), and the turns over them. */
import type { BeginTurnResult, CompleteTurnInput } from "../../src/shared/schemas/hub";
import type { Message } from "../../src/shared/schemas/message";
import type { TurnPorts } from "../../src/shared/turn/answer-turn";

/**
 * @example const message = messageFactory(); message("user", "How do I reset my password?") // seq 1, id "m1"
 */
export function messageFactory(): (role: Message["role"], text: string, citations?: string[]) => Message {
	let seq = 0;
	return (role, text, citations) => ({
		seq: ++seq,
		id: `m${seq}`,
		role,
		text,
		createdAt: "2026-12-03T00:00:00.000Z",
		status: "complete",
		...(citations ? { citations: citations.map((id) => ({ id, title: id })) } : {}),
	});
}

/** A turn the hub has opened over `history`, answering the messages with `replyTo` (by default the last one). */
export function startedTurn(history: Message[], replyTo = [history.at(-1)?.id ?? ""]): Extract<BeginTurnResult, { kind: "started" }> {
	return { kind: "started", turnId: "t1", turn: "t1", replyTo, summary: null, history, locale: null, identity: null, calls: [] };
}

/** The hub's side of answerTurn, recording what each turn commits; every write is accepted. */
export function recordingHub(): TurnPorts["hub"] & { completed: CompleteTurnInput[]; deltas: string } {
	const hub = {
		completed: [] as CompleteTurnInput[],
		deltas: "",
		appendDelta: async (input: { text: string }) => {
			hub.deltas += input.text;
			return { ok: true as const };
		},
		completeTurn: async (input: CompleteTurnInput) => {
			hub.completed.push(input);
			return { ok: true as const };
		},
		restartStream: async () => ({ ok: true as const }),
	};
	return hub;
}
