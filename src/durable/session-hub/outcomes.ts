/**
 * When a conversation's outcome is decided without anyone saying so (CONTRACT §7): the assistant
 * resolved it when the user, never handed to people, sent nothing for `afterMs` after an assistant
 * answer (`bot_resolved`, assumed); people never came when, escalated, no agent wrote within
 * `afterMs` (`abandoned`). Confirmed outcomes (a rating, an agent's resolve) are counted where they
 * happen. Pure, so each case is tested without a clock; the hub's alarm carries the plan out.
 */
import type { Message } from "../../shared/schemas/message";
import type { Outcome } from "./feedback-book";
import type { SessionRow } from "./session-store";

export type OutcomePlan =
	| { kind: "count"; outcome: Outcome }
	/** Not yet: look again at `at`. */
	| { kind: "wait"; at: number }
	/** Nothing can be decided from here; a later answer or handoff arms the check again. */
	| { kind: "none" };

/**
 * @example planOutcome(now, 86_400_000, session, lastMessage) // { kind: "wait", at: … }
 */
export function planOutcome(
	now: number,
	afterMs: number,
	session: Pick<SessionRow, "status" | "reason" | "awaitingAgentSince">,
	last: Pick<Message, "role" | "createdAt"> | undefined,
): OutcomePlan {
	if (session.status === "escalated" && session.awaitingAgentSince !== null) {
		const at = session.awaitingAgentSince + afterMs;
		return now >= at ? { kind: "count", outcome: "abandoned" } : { kind: "wait", at };
	}
	if (session.reason === null && session.status === "open" && last?.role === "assistant") {
		const at = Date.parse(last.createdAt) + afterMs;
		return now >= at ? { kind: "count", outcome: "bot_resolved" } : { kind: "wait", at };
	}
	return { kind: "none" };
}
