/**
 * A session's turn state machine: a turn is opened for the waiting messages
 * (thinking), streams (streaming), and ends done, failed or abandoned, each
 * step fenced by the attempt's id and state, so a delivery that lost its turn
 * can never write into another's. The hub owns the storage and the sockets;
 * this owns what a turn may do with them, and when.
 *
 * A turn has two kinds of id. Clients know it by its public id (`turn` in
 * frames, CONTRACT §4), decided when its first message is accepted and kept
 * from `queued` to its end, through retries, takeovers and evictions. Each
 * opening of it is an attempt with an id of its own (`turnId` in the RPC
 * inputs): the fencing token, new every time, so a delivery that lost the
 * turn is refused even though the public id is the same.
 *
 * A message accepted while others wait for a turn to start joins theirs; one
 * accepted while a turn runs starts the next. A turn opens for every waiting
 * message under the oldest one's id, so the turn queued behind a turn that
 * was given back is merged into it: the `thinking` frame lists its messages,
 * and it ends, under its own id, when the turn that answered it ends.
 */
import { newId } from "../../shared/ids";
import type { ServerFrame } from "../../shared/schemas/frames";
import type { BeginTurnResult, CompleteTurnInput, DeltaInput, TurnWriteResult } from "../../shared/schemas/hub";
import { HISTORY_LIMIT, MESSAGE_CHAR_LIMIT } from "../../shared/turn/prompt";
import type { SessionStore, TurnRow, WaitingRow } from "./session-store";
import type { StreamBuffers } from "./stream-buffers";
import type { ToolCallBook } from "./tool-calls";
import type { TurnJobs } from "./turn-jobs";
import type { TurnMetrics } from "./turn-metrics";
import { TURN_LEASE_MS, WATCHDOG_MS } from "./watchdog";

const FAILED_REPLY_TEXT = "Sorry, I couldn't answer that right now. Please try again in a moment.";

/** What turns need from their hub. */
export interface TurnDeps {
	store: SessionStore;
	streams: StreamBuffers;
	metrics: TurnMetrics;
	jobs: TurnJobs;
	tools: ToolCallBook;
	/** Sends a frame to every socket of the session (but those still replaying). */
	broadcast(frame: ServerFrame): void;
	/** After a message is appended: keeps the hot history bounded and the summary registry in step. */
	afterAppend(): void;
	/** After an assistant reply is committed and sent: who answers next (handoff.ts). */
	replied(text: string, replyTo: readonly string[], handoff: boolean): void;
}

export class Turns {
	readonly #deps: TurnDeps;

	constructor(deps: TurnDeps) {
		this.#deps = deps;
	}

	/**
	 * The public id of the turn a message accepted now joins (the one waiting to start, or a new
	 * one), and the messages already waiting for it.
	 */
	turnForNewMessage(): { turn: string; waiting: string[] } {
		const queued = this.#deps.store.queued();
		return { turn: queued?.turn ?? newId("turn"), waiting: queued?.replyTo ?? [] };
	}

	/** Tells every tab which turn starts next and every message it will answer (`known` when the caller just worked it out). */
	announceQueued(known?: { turn: string; replyTo: string[] }): void {
		const queued = known ?? this.#deps.store.queued();
		if (queued) this.#deps.broadcast({ type: "status", turn: queued.turn, state: "queued", replyTo: queued.replyTo });
	}

	/** Opens one turn answering every waiting user message, unless the job is already answered or owned. */
	async begin(messageIds: string[]): Promise<BeginTurnResult> {
		const session = this.#deps.store.session();
		if (!session) return { kind: "not_found" };
		const waiting = this.#deps.store.waiting();
		const waitingIds = new Set(waiting.map((w) => w.id));
		const jobWaiting = messageIds.filter((id) => waitingIds.has(id));
		if (jobWaiting.length === 0) return { kind: "answered" };

		const now = Date.now();
		// Delivered: from now on the watchdog treats a silence about these as a loss, not a backlog.
		this.#deps.store.markDelivered(jobWaiting, now, now + WATCHDOG_MS);
		const live = this.#deps.store.liveTurn();
		// Uncovered messages are not dropped: the live turn's end sends their follow-up job.
		if (live && live.leaseUntil > now) return { kind: "in_progress", covered: jobWaiting.every((id) => live.replyTo.includes(id)) };
		if (live) this.abandonLive(live);

		const turnId = newId("turn");
		// Every waiting message joins this turn, not only the job's: a burst gets one reply. (Marking them
		// delivered changed nothing read here; giving back a dead turn may have.)
		const open = live ? this.#deps.store.waiting() : waiting;
		const replyTo = open.map((w) => w.id);
		// The oldest message's turn, the id its `queued` frame named; any other turn among them is merged into it.
		const turn = open[0]?.publicTurn ?? turnId;
		this.#deps.store.openTurn(turnId, turn, replyTo, now + TURN_LEASE_MS);
		this.#deps.streams.open(turnId, turn, replyTo, now + TURN_LEASE_MS);
		this.#deps.metrics.opened(turnId, now);
		this.#deps.broadcast({ type: "status", turn, state: "thinking", replyTo });
		const started = this.#started(turnId, turn, replyTo);
		// Everything above ran without awaiting, so no other event saw a half-opened turn.
		await this.#deps.jobs.armWatchdog(now + TURN_LEASE_MS + 1000);
		return started;
	}

	/**
	 * The turn waits for the user to answer a write's confirmation (CONTRACT §8): the call is stored
	 * pending, the turn is `confirming` with a lease that lasts until the answer is due (so the
	 * watchdog leaves it alone until then), and every tab hears the state and the `confirm` frame.
	 * Text already streamed is dropped (a `queued` frame says so): the reply starts over once the
	 * user has answered. False when the turn is no longer this attempt's.
	 */
	async propose(
		turnId: string,
		call: { callId: string; name: string; args: unknown; summary: string },
		expiresAt: number,
	): Promise<boolean> {
		const turn = this.#deps.store.turn(turnId);
		if (!turn || (turn.state !== "thinking" && turn.state !== "streaming")) return false;
		this.#deps.tools.propose(turn.publicTurn, call, expiresAt);
		this.#deps.store.setTurnState(turnId, "confirming", expiresAt + 1000);
		if (this.#deps.streams.text(turnId))
			this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "queued", replyTo: turn.replyTo });
		this.#deps.streams.close(turnId);
		this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "confirming", replyTo: turn.replyTo });
		this.#deps.broadcast({ type: "confirm", turn: turn.publicTurn, callId: call.callId, tool: call.name, summary: call.summary });
		await this.#deps.jobs.armWatchdog(expiresAt + 2000);
		return true;
	}

	/** A confirming turn goes on (the user answered): thinking again, under a normal lease; undefined when it is not confirming. */
	resume(turnId: string): Extract<BeginTurnResult, { kind: "started" }> | undefined {
		const turn = this.#deps.store.turn(turnId);
		if (turn?.state !== "confirming") return undefined;
		const now = Date.now();
		this.#deps.store.setTurnState(turnId, "thinking", now + TURN_LEASE_MS);
		this.#deps.streams.open(turnId, turn.publicTurn, turn.replyTo, now + TURN_LEASE_MS);
		this.#deps.metrics.opened(turnId, now);
		this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "thinking", replyTo: turn.replyTo });
		return this.#started(turnId, turn.publicTurn, turn.replyTo);
	}

	/** What the runner of an opened (or resumed) attempt needs: the context, who the user is and the turn's calls so far. */
	#started(turnId: string, turn: string, replyTo: string[]): Extract<BeginTurnResult, { kind: "started" }> {
		const session = this.#deps.store.session();
		const history = this.#deps.store.recent(HISTORY_LIMIT).map((m) => ({ ...m, text: m.text.slice(0, MESSAGE_CHAR_LIMIT) }));
		return {
			kind: "started",
			turnId,
			turn,
			replyTo,
			summary: session?.summary ?? null,
			history,
			locale: session?.locale ?? null,
			identity: session?.identity ?? null,
			calls: session?.identity ? this.#deps.tools.forTurn(turn) : [],
		};
	}

	/** Buffers streamed text (so late joiners get it all) and pushes it as a delta. */
	appendDelta({ turnId, text, heldSince }: DeltaInput): TurnWriteResult {
		const now = Date.now();
		// Only a live turn streaming in this object has a buffer: every close path drops it (#closeTurn).
		const appended = this.#deps.streams.append(turnId, text, now);
		if (!appended) return { ok: false, reason: "superseded" };
		if (appended.first) {
			this.#deps.broadcast({ type: "status", turn: appended.turn, state: "streaming", replyTo: [...appended.replyTo] });
			this.#deps.metrics.firstDelta(turnId, now);
		}
		this.#deps.broadcast({ type: "delta", turn: appended.turn, offset: appended.offset, text });
		this.#deps.metrics.pushed(heldSince);
		// After the broadcast, so the delta is not held behind this write's output gate.
		if (appended.renewLease) this.#deps.store.renewLease(turnId, now + TURN_LEASE_MS);
		return { ok: true };
	}

	/**
	 * The turn's model call waits in the admission line: its tabs hear its
	 * place and estimate (a `queued` status under the turn's id), and its lease
	 * is kept, since waiting is not a stall.
	 */
	waitingForModel(turnId: string, position: number, etaSeconds: number): void {
		const turn = this.#deps.store.turn(turnId);
		if (turn?.state !== "thinking") return;
		this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "queued", replyTo: turn.replyTo, position, etaSeconds });
		// After the broadcast (the frame is not held behind the write), and only when half the lease is gone, as for deltas.
		const now = Date.now();
		if (this.#deps.streams.keepAlive(turnId, now)) this.#deps.store.renewLease(turnId, now + TURN_LEASE_MS);
	}

	/** The turn's model call was admitted after `waitedMs`; tabs told it was in line hear that it is thinking again. */
	admittedToModel(turnId: string, waitedMs: number, waited: boolean): void {
		this.#deps.metrics.admitted(waitedMs);
		// Most calls never waited: they cost no read here.
		if (!waited) return;
		const turn = this.#deps.store.turn(turnId);
		if (turn?.state !== "thinking") return;
		this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "thinking", replyTo: turn.replyTo });
	}

	/**
	 * Starts a live attempt's reply over, from offset 0, without giving the
	 * turn back: the computation it was showing (another session's, shared in
	 * this isolate) ended without an answer, and it now answers on its own.
	 * Its tabs hear `queued` (drop the partial text, CONTRACT §4) and then
	 * `thinking`, under the turn's id, exactly as for a turn given back and
	 * started again; the attempt, its lease and its retry budget are unchanged.
	 */
	restartStream(turnId: string): TurnWriteResult {
		const turn = this.#deps.store.turn(turnId);
		if (!turn || (turn.state !== "thinking" && turn.state !== "streaming")) return { ok: false, reason: "superseded" };
		if (!this.#deps.streams.restart(turnId)) return { ok: false, reason: "superseded" };
		this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "queued", replyTo: turn.replyTo });
		this.#deps.broadcast({ type: "status", turn: turn.publicTurn, state: "thinking", replyTo: turn.replyTo });
		return { ok: true };
	}

	/** Commits the reply with the next seq. Idempotent: completing a done turn again is a no-op. */
	async complete({
		turnId,
		text,
		status,
		citations,
		source = "model",
		handoff = false,
		tools,
	}: CompleteTurnInput): Promise<TurnWriteResult> {
		const turn = this.#deps.store.turn(turnId);
		if (turn?.state === "done") return { ok: true };
		if (!turn || (turn.state !== "thinking" && turn.state !== "streaming")) return { ok: false, reason: "superseded" };
		if (!text.startsWith(this.#deps.streams.text(turnId))) console.warn(JSON.stringify({ event: "reply_diverged_from_deltas", turnId }));

		// A reply that waited for the user's answer to a confirmation is timed from that answer (CONTRACT §6 measures the assistant).
		const answeredAt = tools?.length ? this.#deps.tools.answeredAt(turn.publicTurn) : undefined;
		const askedAt = Math.max(this.#lastAskedAt(turn.replyTo) ?? 0, answeredAt ?? 0) || undefined;
		const waiting = this.#deps.store.waiting();
		const answered = waiting.filter((w) => turn.replyTo.includes(w.id));
		const reply = this.#deps.store.append({
			id: newId("msg"),
			role: "assistant",
			text,
			status,
			replyTo: turn.replyTo,
			citations,
			...(tools ? { tools } : {}),
		});
		this.#deps.store.markAnswered(turn.replyTo);
		this.#deps.metrics.answered({ source, askedAt, text, status });
		this.#close(turnId, "done");
		this.#deps.afterAppend();
		this.#deps.broadcast({ type: "message", ...reply });
		this.#announceEnd("done", answered, turn);
		this.#deps.replied(text, turn.replyTo, handoff);
		// The rest of the line is what waited before, less what this reply answered: no need to read it again.
		await this.#enqueueFollowUp(
			[],
			waiting.filter((w) => !turn.replyTo.includes(w.id)),
		);
		return { ok: true };
	}

	/**
	 * Gives a turn back after a transient failure, so the retry can start at
	 * once. Messages that arrived during the turn get their own job now: their
	 * deliveries were acked as in progress, and nothing else would send them.
	 */
	async abandon(turnId: string): Promise<void> {
		const turn = this.#deps.store.turn(turnId);
		if (!turn || (turn.state !== "thinking" && turn.state !== "streaming")) return;
		this.abandonLive(turn);
		await this.#enqueueFollowUp(turn.replyTo);
	}

	/** Answers messages that cannot be answered with one visible `failed` system message; returns how many. */
	async fail(messageIds: string[], reason: string): Promise<number> {
		const failed = this.failVisibly(messageIds, reason);
		if (failed > 0) await this.#enqueueFollowUp();
		return failed;
	}

	/** Commits one `failed` system message answering those of `messageIds` still waiting; returns how many. */
	failVisibly(messageIds: string[], reason: string): number {
		const waitingRows = this.#deps.store.waiting();
		const waiting = new Set(waitingRows.map((w) => w.id));
		const replyTo = messageIds.filter((id) => waiting.has(id));
		if (replyTo.length === 0) return 0;
		const live = this.#deps.store.liveTurn();
		// A live turn answering any of these is fenced off: its later writes are refused as superseded.
		const fenced = live?.replyTo.some((id) => replyTo.includes(id)) ? live : undefined;
		if (fenced) {
			this.#close(fenced.id, "failed");
			for (const id of fenced.replyTo) if (!replyTo.includes(id) && waiting.has(id)) replyTo.push(id);
		}
		const answered = waitingRows.filter((w) => replyTo.includes(w.id));
		const notice = this.#deps.store.append({ id: newId("msg"), role: "system", text: FAILED_REPLY_TEXT, status: "failed", replyTo });
		this.#deps.store.markAnswered(replyTo);
		this.#deps.metrics.failed();
		this.#deps.afterAppend();
		console.warn(JSON.stringify({ event: "turn_failed", messages: replyTo.length, reason }));
		this.#deps.broadcast({ type: "message", ...notice });
		this.#announceEnd("failed", answered, fenced);
		return replyTo.length;
	}

	/** Gives back a turn that is still live (its lease may have run out). */
	abandonLive(turn: TurnRow): void {
		// Its messages wait for their redelivery (a queue retry); the watchdog steps in if none comes.
		this.#close(turn.id, "abandoned", Date.now() + WATCHDOG_MS);
		// Tells clients to drop the turn's partial text: its messages, the oldest waiting, are queued
		// again under its id, with any that arrived meanwhile (the next attempt answers them all).
		this.announceQueued();
	}

	/**
	 * Tells every tab how the turns answering `answered` ended: `primary`, the
	 * attempt that ran, under its turn's id with all it answered; every other
	 * turn among them (one merged into it, or one failed before it started)
	 * under its own id with its own messages. A turn with messages still
	 * waiting has not ended: it stays queued, for what is left.
	 */
	#announceEnd(state: "done" | "failed", answered: readonly WaitingRow[], primary: TurnRow | undefined): void {
		if (primary) this.#deps.broadcast({ type: "status", turn: primary.publicTurn, state, replyTo: primary.replyTo });
		const others = new Map<string, string[]>();
		for (const { id, publicTurn } of answered) {
			if (publicTurn !== primary?.publicTurn) others.set(publicTurn, [...(others.get(publicTurn) ?? []), id]);
		}
		if (others.size === 0) return;
		const unfinished = new Set(this.#deps.store.waiting().map((w) => w.publicTurn));
		for (const [turn, replyTo] of others) {
			if (!unfinished.has(turn)) this.#deps.broadcast({ type: "status", turn, state, replyTo });
		}
		// Messages failed while queued: the turn queued next listed them, and now answers only the rest.
		if (answered.some((w) => !primary?.replyTo.includes(w.id))) this.announceQueued();
	}

	/**
	 * Messages that arrived while a turn was running get their own turn now
	 * (`except`: an abandoned turn's own messages, which its redelivery answers).
	 */
	async #enqueueFollowUp(except: readonly string[] = [], line = this.#deps.store.waiting()): Promise<void> {
		const waiting = line.filter((w) => w.turnId === null && !except.includes(w.id));
		if (waiting.length > 0)
			await this.#deps.jobs.send(
				waiting.map((w) => w.id),
				"follow_up",
			);
	}

	/** Closes a turn in storage and drops its buffer and its timing. */
	#close(turnId: string, state: "done" | "failed" | "abandoned", redriveAt?: number): void {
		this.#deps.store.closeTurn(turnId, state, redriveAt);
		this.#deps.streams.close(turnId);
		this.#deps.metrics.closed(turnId);
	}

	/** When the last of these user messages was accepted (ms), if any is still hot. */
	#lastAskedAt(messageIds: readonly string[]): number | undefined {
		const times = messageIds.flatMap((id) => {
			const message = this.#deps.store.byId(id);
			return message ? [Date.parse(message.createdAt)] : [];
		});
		return times.length > 0 ? Math.max(...times) : undefined;
	}
}
