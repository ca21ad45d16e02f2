/**
 * The people side of one session (CONTRACT §7): who answers it (the assistant while `open`, people
 * while `escalated`), the handoff's triggers, claims, agents' messages, release and resolve, and
 * what the support desk is told.
 *
 * Every decision here runs inside the session's hub without awaiting between its reads and writes,
 * so two agents claiming at once are decided one after the other: exactly one wins. The desk only
 * lists conversations; each change is reported to it with the hub's revision (support-desk.ts),
 * after the change is stored, and a report that failed is sent again by the hub's alarm.
 */
import { describeError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import type { MetricsRecorder } from "../../shared/metrics/recorder";
import type { ServerFrame } from "../../shared/schemas/frames";
import type { Author, Message } from "../../shared/schemas/message";
import type { Assignee, Conversation } from "../../shared/schemas/people";
import type { Feedback } from "../../shared/schemas/people-requests";
import type { ConversationSnapshot } from "../../shared/schemas/people-rpc";
import type { HandoffReason } from "../../shared/schemas/wire";
import { opensWithDecline } from "../../shared/text/decline";
import { HANDOFF_TEXT } from "../../shared/text/person-request";
import type { EventOutbox } from "./event-outbox";
import type { FeedbackBook } from "./feedback-book";
import { planOutcome } from "./outcomes";
import type { SessionRow, SessionStore } from "./session-store";

/** The assistant's declines in a row that hand a conversation to people (CONTRACT §7, trigger 3). */
export const DECLINES_BEFORE_HANDOFF = 2;
/** A report to the desk that failed is sent again this much later, by the hub's alarm. */
export const DESK_RETRY_MS = 5_000;

export { HANDOFF_REPLY, HANDOFF_TEXT } from "../../shared/text/person-request";

export type ClaimResult =
	| { ok: true; assignee: Assignee }
	| { ok: false; reason: "not_found" }
	| { ok: false; reason: "taken"; assignee: Assignee };
/** How an agent's message fared: stored (or already stored, for a resent id), or why not. */
export type AgentSendResult =
	| { ok: true; messageId: string; seq: number; duplicate: boolean }
	| { ok: false; reason: "not_found" | "not_assignee" | "id_conflict" };

export type AgentActionResult = { ok: true; status: SessionRow["status"] } | { ok: false; reason: "not_found" | "not_assignee" };

export interface HandoffDeps {
	store: SessionStore;
	feedback: FeedbackBook;
	events: EventOutbox;
	/** OUTCOME_AFTER_SECONDS in ms: the quiet that decides an assumed outcome (outcomes.ts). */
	outcomeAfterMs(): number;
	metrics: MetricsRecorder;
	broadcast(frame: ServerFrame): void;
	afterAppend(): void;
	/** The support desk's `record`. */
	report(snapshot: ConversationSnapshot): Promise<void>;
	/** Makes sure the hub's alarm fires by `at`. */
	wakeBy(at: number): Promise<void>;
	/** Keeps the object alive for work that need not hold up the caller (webhook deliveries). */
	waitUntil(promise: Promise<unknown>): void;
}

export class Handoffs {
	readonly #deps: HandoffDeps;

	constructor(deps: HandoffDeps) {
		this.#deps = deps;
	}

	/**
	 * Hands the conversation to people: one `system` message, an `escalated` status frame, the reason
	 * recorded and counted. Idempotent: a conversation people already answer changes nothing. The
	 * frame is named by the notice's id: a turn that led here has already ended `done`, and a turn
	 * ends in one terminal state (CONTRACT §4).
	 */
	escalate(reason: HandoffReason, replyTo: readonly string[] = []): boolean {
		const session = this.#deps.store.session();
		if (!session || session.status === "escalated") return false;
		const now = Date.now();
		this.#deps.store.setHandoff({
			status: "escalated",
			reason,
			statusSince: now,
			awaitingAgentSince: now,
			assignee: null,
			declinesInRow: 0,
		});
		// The notice answers nothing: the reply before it did (CONTRACT §3: every message is answered once).
		const notice = this.#append({ role: "system", text: HANDOFF_TEXT, replyTo: [] });
		this.#deps.broadcast({ type: "status", turn: notice.id, state: "escalated", replyTo: [...replyTo] });
		this.#deps.metrics.count("chat_handoffs_total", { reason });
		this.#deps.events.add("conversation.escalated", { sessionId: session.id, reason });
		this.#deps.feedback.armOutcomeCheck(now + this.#deps.outcomeAfterMs());
		console.log(JSON.stringify({ event: "conversation_escalated", sessionId: session.id, reason }));
		return true;
	}

	/**
	 * After the assistant's reply to `replyTo` is committed: a reply to a request for a person hands
	 * the conversation over (`negative_feedback` when the user had just marked an answer unhelpful),
	 * and so does the second decline in a row.
	 */
	replied(text: string, replyTo: readonly string[], handoff: boolean): void {
		const session = this.#deps.store.session();
		if (!session) return;
		if (handoff) {
			this.escalate(this.#deps.feedback.justMarkedUnhelpful() ? "negative_feedback" : "user_request", replyTo);
			return;
		}
		const declines = opensWithDecline(text) ? session.declinesInRow + 1 : 0;
		if (declines !== session.declinesInRow) this.#deps.store.setDeclinesInRow(declines);
		if (declines >= DECLINES_BEFORE_HANDOFF) this.escalate("bot_declined", replyTo);
		else this.#deps.feedback.armOutcomeCheck(Date.now() + this.#deps.outcomeAfterMs());
	}

	/** `POST /handoff`: the user asked for a person with the widget's control. */
	requested(): boolean {
		return this.escalate(this.#deps.feedback.justMarkedUnhelpful() ? "negative_feedback" : "user_request");
	}

	/** A user message to a resolved conversation reopens it for the assistant (CONTRACT §7). */
	reopenIfClosed(): void {
		const session = this.#deps.store.session();
		if (session?.status !== "closed") return;
		// The reason stays: it says the conversation was once handed to people (outcomes count on it).
		this.#deps.store.setHandoff({ status: "open", statusSince: Date.now(), awaitingAgentSince: null, assignee: null, declinesInRow: 0 });
	}

	/**
	 * An agent takes the conversation. Exactly one of two agents claiming at once wins: this runs
	 * without awaiting, so the second reads the first one's assignee. Claiming an open conversation
	 * escalates it (reason `other`); claiming one's own again is a no-op.
	 */
	claim(agent: Assignee): ClaimResult {
		const session = this.#deps.store.session();
		if (!session) return { ok: false, reason: "not_found" };
		const held = session.assignee;
		if (held && held.agentId !== agent.agentId) return { ok: false, reason: "taken", assignee: held };
		if (held) return { ok: true, assignee: held };
		this.escalate("other");
		this.#deps.store.setHandoff({ assignee: agent });
		this.#append({ role: "system", text: `${agent.name} from the support team joined the conversation.`, replyTo: [] });
		return { ok: true, assignee: agent };
	}

	/** The assignee hands the conversation back to the assistant. */
	release(agent: Assignee): AgentActionResult {
		const refused = this.#refuse(agent);
		if (refused) return refused;
		this.#deps.store.setHandoff({ status: "open", statusSince: Date.now(), awaitingAgentSince: null, assignee: null, declinesInRow: 0 });
		this.#append({ role: "system", text: `${agent.name} handed the conversation back to the assistant.`, replyTo: [] });
		return { ok: true, status: "open" };
	}

	/** The assignee marks the conversation resolved (`closed`), with a `system` message. */
	resolve(agent: Assignee): AgentActionResult {
		const refused = this.#refuse(agent);
		if (refused) return refused;
		this.#deps.store.setHandoff({ status: "closed", statusSince: Date.now(), awaitingAgentSince: null, assignee: null });
		this.#append({
			role: "system",
			text: `${agent.name} marked this conversation as resolved. If anything else comes up, just write here.`,
			replyTo: [],
		});
		this.#deps.feedback.countOutcome("agent_resolved", "confirmed", this.#deps.metrics);
		this.#deps.events.add("conversation.resolved", { sessionId: this.#deps.store.session()?.id, agent });
		return { ok: true, status: "closed" };
	}

	/**
	 * The assignee's message (`role: "agent"`), idempotent on its id like a user's (CONTRACT §3).
	 * The first one after a handoff ends the wait for a person.
	 */
	agentMessage(agent: Assignee, input: { id?: string | undefined; text: string }): AgentSendResult {
		const session = this.#deps.store.session();
		if (!session) return { ok: false, reason: "not_found" };
		const id = input.id ?? newId("msg");
		const existing = this.#deps.store.idRecord(id);
		if (existing)
			return existing.role === "agent"
				? { ok: true, messageId: id, seq: existing.seq, duplicate: true }
				: { ok: false, reason: "id_conflict" };
		if (session.assignee?.agentId !== agent.agentId) return { ok: false, reason: "not_assignee" };
		if (session.awaitingAgentSince !== null) {
			this.#deps.metrics.observe("chat_handoff_wait_seconds", {}, (Date.now() - session.awaitingAgentSince) / 1000);
			this.#deps.store.setHandoff({ awaitingAgentSince: null });
		}
		const message = this.#append({ id, role: "agent", text: input.text, author: { id: agent.agentId, name: agent.name } });
		return { ok: true, messageId: id, seq: message.seq, duplicate: false };
	}

	/**
	 * Counts an outcome nobody stated once its quiet has lasted (outcomes.ts), or says when to look
	 * again; returns that time, or null.
	 */
	settleOutcome(now: number): number | null {
		const session = this.#deps.store.session();
		const at = this.#deps.feedback.outcomeCheckAt();
		if (!session || at === null || at > now) return at;
		const plan = planOutcome(now, this.#deps.outcomeAfterMs(), session, this.#deps.store.recent(1)[0]);
		if (plan.kind === "count") {
			this.#deps.feedback.countOutcome(plan.outcome, "assumed", this.#deps.metrics);
			return null;
		}
		if (plan.kind === "wait") {
			this.#deps.feedback.checkOutcomeAt(plan.at);
			return plan.at;
		}
		this.#deps.feedback.clearOutcomeCheck();
		return null;
	}

	/** A user message people will answer: the desk lists it as the conversation's last. */
	userMessageWhileEscalated(): void {
		this.#deps.store.touchDesk();
	}

	/**
	 * The user's rating of the conversation, or their mark on one assistant answer. A rating of 4 or
	 * 5, or an answer marked helpful, in a conversation never handed to people confirms the assistant
	 * resolved it.
	 */
	feedback(input: Feedback): { ok: true; created: boolean } | { ok: false; reason: "not_found" | "no_such_answer" } {
		const { store, feedback: book, metrics, events } = this.#deps;
		const session = store.session();
		if (!session) return { ok: false, reason: "not_found" };
		let stored: "created" | "replaced";
		if ("rating" in input) {
			stored = book.rate(input.rating, input.comment);
			if (stored === "created") metrics.count("chat_feedback_total", { kind: "rating", value: String(input.rating) });
		} else {
			if (store.idRecord(input.messageId)?.role !== "assistant") return { ok: false, reason: "no_such_answer" };
			stored = book.markAnswer(input.messageId, input.helpful);
			if (stored === "created") metrics.count("chat_feedback_total", { kind: "answer", value: input.helpful ? "helpful" : "unhelpful" });
		}
		if (session.reason === null && book.confirmedHelpful()) book.countOutcome("bot_resolved", "confirmed", metrics);
		events.add("feedback.created", { sessionId: session.id, ...input, replaces: stored === "replaced" });
		return { ok: true, created: stored === "created" };
	}

	/**
	 * After any change here: pending events leave (off the caller's path), the alarm is armed for
	 * the outcome check and for events that must be retried, and the desk hears of the change.
	 */
	async afterChange(): Promise<void> {
		const { events, feedback, wakeBy, waitUntil } = this.#deps;
		const soon = () => Date.now() + 1000;
		if (events.dueAt() !== null) {
			waitUntil(
				events.deliver().then(async () => {
					const due = events.dueAt();
					if (due !== null) await wakeBy(Math.max(due, soon()));
				}),
			);
		}
		const outcomeAt = feedback.outcomeCheckAt();
		if (outcomeAt !== null) await wakeBy(Math.max(outcomeAt, soon()));
		await this.reportToDesk();
	}

	/** Tells the desk the latest state, unless it has heard it; on failure the hub's alarm tries again. */
	async reportToDesk(): Promise<void> {
		const session = this.#deps.store.session();
		if (!session?.deskPending) return;
		const snapshot = this.#snapshot(session);
		try {
			await this.#deps.report(snapshot);
			this.#deps.store.deskHeard(snapshot.revision);
		} catch (error) {
			console.warn(JSON.stringify({ event: "desk_report_failed", sessionId: session.id, error: describeError(error) }));
			await this.#deps.wakeBy(Date.now() + DESK_RETRY_MS);
		}
	}

	/** When the alarm must fire to report to the desk again, or null. */
	reportDueAt(): number | null {
		return this.#deps.store.session()?.deskPending ? Date.now() + DESK_RETRY_MS : null;
	}

	#refuse(agent: Assignee): AgentActionResult | undefined {
		const session = this.#deps.store.session();
		if (!session) return { ok: false, reason: "not_found" };
		if (session.assignee?.agentId !== agent.agentId) return { ok: false, reason: "not_assignee" };
		return undefined;
	}

	#append(message: { id?: string; role: "system" | "agent"; text: string; replyTo?: string[]; author?: Author }): Message {
		const stored = this.#deps.store.append({ id: message.id ?? newId("msg"), status: "complete", ...message });
		this.#deps.store.touchDesk();
		this.#deps.afterAppend();
		this.#deps.broadcast({ type: "message", ...stored });
		return stored;
	}

	#snapshot(session: SessionRow): ConversationSnapshot {
		const conversation: Conversation = {
			sessionId: session.id,
			status: session.status,
			reason: session.reason,
			since: new Date(session.statusSince ?? Date.parse(session.createdAt)).toISOString(),
			assignee: session.assignee,
			lastMessage: this.#deps.store.recent(1)[0] ?? null,
			summary: session.summary,
			// The verified user of an identified session (CONTRACT §2), so agents know whose account it is.
			user: session.identity ? { id: session.identity.id, ...(session.identity.name ? { name: session.identity.name } : {}) } : null,
		};
		return { revision: session.deskRevision, sinceMs: Date.parse(conversation.since), conversation };
	}
}
