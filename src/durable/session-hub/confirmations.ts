/**
 * The hub's side of back-office writes waiting for the user (CONTRACT §8):
 * what is pending, the user's answer (which resumes the turn here at once),
 * the cancel when the user writes something else instead, and the ledger a
 * turn records its calls in. The storage is the ToolCallBook
 * (tool-calls.ts); the turn's states are Turns' (turns.ts).
 */
import type { ToolCallState } from "../../shared/schemas/accounts";
import type { BeginTurnResult, ConfirmResult } from "../../shared/schemas/hub";
import type { PendingConfirmation } from "../../shared/schemas/responses";
import type { ToolLedger } from "../../shared/turn/account-reply";
import type { SessionStore } from "./session-store";
import { CONFIRM_WITHIN_MS, type ToolCallBook } from "./tool-calls";
import type { Turns } from "./turns";

type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

export interface ConfirmationDeps {
	store: SessionStore;
	tools: ToolCallBook;
	turns: Turns;
	/** Runs a resumed attempt in the hub, after the caller returns. */
	run(turn: StartedTurn, job: { messageIds: string[]; attempt: number }): void;
}

export class Confirmations {
	readonly #deps: ConfirmationDeps;

	constructor(deps: ConfirmationDeps) {
		this.#deps = deps;
	}

	/** Writes waiting for the user's answer: those of the turn that is confirming now (a call left by a turn that ended is over). */
	pending(): PendingConfirmation[] {
		const live = this.#deps.store.liveTurn();
		if (live?.state !== "confirming") return [];
		return this.#deps.tools
			.pending()
			.filter((p) => p.turn === live.publicTurn)
			.map(({ callId, tool, summary, expiresAt }) => ({ callId, tool, summary, expiresAt }));
	}

	/**
	 * The user's answer. An answer to the turn confirming now, in time, approves or declines the
	 * call and the turn goes on at once (an approved write is sent then, once); a late answer, or
	 * one for a call whose turn ended, cancels it. A second answer changes nothing.
	 */
	answer(callId: string, approve: boolean): ConfirmResult {
		const { store, tools, turns } = this.#deps;
		const live = store.liveTurn();
		const confirming = live?.state === "confirming" && tools.turnOf(callId) === live.publicTurn ? live : undefined;
		const answered = tools.answer(callId, approve, confirming ? Date.now() : Number.POSITIVE_INFINITY);
		if (!answered.found) return { ok: false, reason: "not_found" };
		if (answered.changed && confirming) {
			const resumed = turns.resume(confirming.id);
			if (resumed) this.#deps.run(resumed, { messageIds: resumed.replyTo, attempt: 1 });
		}
		return { ok: true, status: answered.status satisfies ToolCallState };
	}

	/** A new message while a write waits for the user's answer: the call is cancelled and its turn given back. */
	cancelForNewMessage(): void {
		const { store, tools, turns } = this.#deps;
		const live = store.liveTurn();
		if (live?.state !== "confirming") return;
		for (const call of tools.pending()) {
			if (call.turn === live.publicTurn) tools.settle(call.callId, "cancelled", { status: "cancelled" }, 0);
		}
		turns.abandonLive(live);
	}

	/** The record of a turn's tool calls, as its runner uses it. */
	ledgerFor(turn: StartedTurn): ToolLedger {
		const { tools, turns } = this.#deps;
		return {
			recorded: turn.calls,
			record: (call) => tools.record(turn.turn, call),
			propose: (call) => turns.propose(turn.turnId, call, Date.now() + CONFIRM_WITHIN_MS),
			sending: (callId) => tools.sending(callId),
			settle: (callId, status, result, extra) => tools.settle(callId, status, result, extra),
		};
	}
}
