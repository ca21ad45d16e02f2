/**
 * SessionHub: one Durable Object per chat session. It owns the session's
 * transcript and its sockets, and is the single writer of `seq`, so ordering
 * and idempotency are decided in one place. Every accepted message is stored
 * before anyone hears of it (transactional outbox), then enqueued for the
 * inference consumer, which opens a turn here that this object then streams
 * itself (turn-runner.ts); an alarm watches for work that is lost.
 *
 * Sockets use the hibernation API: the object can be evicted between frames
 * while clients stay connected, and `{"type":"ping"}` is answered by the
 * runtime without waking it.
 */
import { DurableObject } from "cloudflare:workers";
import { configOf } from "../../shared/config";
import { describeError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import { MetricsRecorder, shipMetrics } from "../../shared/metrics/recorder";
import { HttpProblem, problemResponse } from "../../shared/problem";
import type { ToolCalls } from "../../shared/schemas/accounts";
import { PING_TEXT, PONG_TEXT, type ServerFrame } from "../../shared/schemas/frames";
import { wsQuerySchema } from "../../shared/schemas/http";
import {
	type AcceptInput,
	type AcceptResult,
	AGENT_HEADER,
	acceptInputSchema,
	agentInputSchema,
	type BeginTurnResult,
	beginTurnInputSchema,
	type ConfirmResult,
	type CreateSessionInput,
	completeInputSchema,
	confirmInputSchema,
	createSessionInputSchema,
	deltaInputSchema,
	failInputSchema,
	listInputSchema,
	type MessagePage,
	type RunTurnResult,
	runTurnInputSchema,
	type SessionInfo,
	type SessionStorageInfo,
	storeSummaryInputSchema,
	type TurnWriteResult,
} from "../../shared/schemas/hub";
import type { Citation } from "../../shared/schemas/message";
import type { Assignee } from "../../shared/schemas/people";
import { type Feedback, feedbackSchema } from "../../shared/schemas/people-requests";
import { supportDesk, userDirectory } from "../../shared/stubs";
import { AlarmClock } from "./alarm-clock";
import { Confirmations } from "./confirmations";
import { EventOutbox } from "./event-outbox";
import { FeedbackBook } from "./feedback-book";
import { type AgentActionResult, type ClaimResult, Handoffs } from "./handoff";
import { ArchiveIndex } from "./history/archive-index";
import { History, hotMessageLimit } from "./history/history";
import { type StoreSummaryResult, SummaryBook, type SummaryWork } from "./history/summary-book";
import { IdleSession } from "./idle-session";
import { retryAfterSeconds } from "./message-limit";
import { RunningTurns } from "./running-turns";
import { SessionStore } from "./session-store";
import { SharedTraces, TRACE_KINDS } from "./shared-traces";
import { SocketFrames } from "./socket-frames";
import { SocketReplay } from "./socket-replay";
import { capSockets, closeQuietly, sendFrame, sendText } from "./sockets";
import { StreamBuffers } from "./stream-buffers";
import { ToolCallBook } from "./tool-calls";
import { TurnJobs } from "./turn-jobs";
import { TurnMetrics } from "./turn-metrics";
import { runTurn, type StartedTurn, type TurnHost } from "./turn-runner";
import { Turns } from "./turns";
import { LOST_JOB_MS, nextWatchdogAt, planWatchdog, TURN_LEASE_MS } from "./watchdog";

export { IDLE_SHRINK_MS } from "./idle-session";
export { MAX_REQUEUES, TURN_LEASE_MS } from "./watchdog";

/** An interrupted erase finishes itself this long later. */
const ERASE_RETRY_MS = 30_000;

export class SessionHub extends DurableObject<Env> {
	readonly #store: SessionStore;
	readonly #index: ArchiveIndex;
	readonly #history: History;
	readonly #summaries: SummaryBook;
	readonly #jobs: TurnJobs;
	/** The alarm, remembered between reads (alarm-clock.ts); every alarm call goes through it. */
	readonly #alarm: AlarmClock;
	readonly #replay: SocketReplay;
	readonly #idle: IdleSession;
	readonly #streams = new StreamBuffers(TURN_LEASE_MS);
	readonly #traces: SharedTraces;
	/** Turns running in this object and the cache writes they started: an erase stops and waits for both. */
	readonly #running = new RunningTurns();
	/** Metric events since the last shipment: each handler ships what it recorded when it ends. */
	readonly #metrics = new MetricsRecorder();
	readonly #turnMetrics = new TurnMetrics(this.#metrics);
	readonly #turns: Turns;
	readonly #feedback: FeedbackBook;
	readonly #events: EventOutbox;
	readonly #handoffs: Handoffs;
	readonly #tools: ToolCallBook;
	readonly #confirmations: Confirmations;
	readonly #frames: SocketFrames;
	/**
	 * What a turn running in this object may do: the same fenced paths a remote caller uses. Its
	 * calls come from this object's own code, typed:
	 * they skip the RPC methods' zod parses, which validate what arrives from outside (a reply's
	 * ten-odd deltas each paid one: bench/overhead.ts).
	 */
	readonly #turnHost: TurnHost = {
		appendDelta: (input) => this.#turns.appendDelta(input),
		completeTurn: (input) => this.#turns.complete(input),
		restartStream: (turnId) => this.#turns.restartStream(turnId),
		abandonTurn: (turnId) => this.abandonTurn(turnId),
		waitUntil: (promise) => this.ctx.waitUntil(this.#running.track(promise)),
		failMessages: (input) => this.failMessages(input),
		retry: (messageIds, attempt, delaySeconds) => this.#jobs.send(messageIds, "retry", { attempt, delaySeconds }),
		metrics: this.#metrics,
		shipMetrics: () => this.#shipMetrics(),
		deadLetter: async (messageIds, attempt) => {
			// Without the dead-letter queue the answer is the same: visible, and now.
			if (!(await this.#jobs.deadLetter(messageIds, attempt))) await this.failMessages({ messageIds, reason: "retries exhausted" });
		},
		wroteAnswer: (key) => {
			if (this.#store.session()) this.#traces.add(TRACE_KINDS.answerKey, key);
		},
		countQuestion: (question) => {
			const recording = this.#store.session() ? this.#traces.countQuestion(this.env, question) : undefined;
			if (recording) this.ctx.waitUntil(recording);
		},
		waitingForModel: (turnId, position, etaSeconds) => this.#turns.waitingForModel(turnId, position, etaSeconds),
		admittedToModel: (turnId, waitedMs, waited) => this.#turns.admittedToModel(turnId, waitedMs, waited),
		ledger: (turn) => this.#confirmations.ledgerFor(turn),
	};
	/** The tail of the accepts in progress: each waits for the one before, so `seq` follows arrival order. */
	#accepting: Promise<unknown> = Promise.resolve();
	/** Sockets this instance accepted: their order within a millisecond, for capSockets (sockets.ts). */
	#socketsAccepted = 0;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#store = new SessionStore(ctx.storage.sql);
		this.#traces = new SharedTraces(ctx.storage.sql);
		this.#index = new ArchiveIndex(
			ctx.storage.sql,
			(run) => ctx.storage.transactionSync(run),
			(from, to) => this.#store.after(from - 1, to - from + 1),
			() => this.#store.forgetRecent(),
		);
		this.#history = new History(this.#store, this.#index, () => this.env.ARCHIVE);
		const pauseMs = configOf(env).archivePauseMs;
		if (pauseMs > 0) {
			this.#history.pauseAfterSegmentWrite(async () => {
				console.warn(JSON.stringify({ event: "history_segment_written_pausing", pauseMs }));
				await scheduler.wait(pauseMs);
			});
		}
		this.#summaries = new SummaryBook(this.#store, this.#history, () => this.env);
		this.#replay = new SocketReplay({
			store: this.#store,
			index: this.#index,
			history: this.#history,
			streams: this.#streams,
			waitUntil: (promise) => ctx.waitUntil(promise),
			pendingConfirmations: () => this.#confirmations.pending(),
		});
		this.#alarm = new AlarmClock(ctx.storage);
		this.#jobs = new TurnJobs(this.#alarm, this.#store, () => this.env);
		this.#feedback = new FeedbackBook(ctx.storage.sql);
		this.#tools = new ToolCallBook(ctx.storage.sql, (tool, status) => this.#metrics.count("chat_tool_calls_total", { tool, status }));
		this.#events = new EventOutbox(ctx.storage.sql, () => configOf(this.env).eventsWebhook);
		this.#handoffs = new Handoffs({
			store: this.#store,
			feedback: this.#feedback,
			events: this.#events,
			outcomeAfterMs: () => configOf(this.env).outcomeAfterMs,
			metrics: this.#metrics,
			broadcast: (frame) => this.#broadcast(frame),
			afterAppend: () => this.#afterAppend(),
			report: (snapshot) => supportDesk(this.env).record(snapshot),
			wakeBy: (at) => this.#jobs.armWatchdog(at),
			waitUntil: (promise) => this.ctx.waitUntil(promise),
		});
		this.#turns = new Turns({
			store: this.#store,
			streams: this.#streams,
			metrics: this.#turnMetrics,
			jobs: this.#jobs,
			tools: this.#tools,
			broadcast: (frame) => this.#broadcast(frame),
			afterAppend: () => this.#afterAppend(),
			replied: (text, replyTo, handoff) => {
				this.#handoffs.replied(text, replyTo, handoff);
				this.#reportToDesk();
			},
		});
		this.#confirmations = new Confirmations({
			store: this.#store,
			tools: this.#tools,
			turns: this.#turns,
			run: (begun, job) => this.#run(begun, job),
		});
		this.#idle = new IdleSession(this.#store, this.#index, this.#history, () => this.env);
		this.#frames = new SocketFrames({
			accept: (input) => this.accept(input),
			agentSend: (agent, input) => this.agentSend(agent, input),
			confirm: (input) => this.confirm(input),
			stored: async (seq) => {
				const session = this.#store.session();
				return session ? (await this.#history.read(session.id, seq - 1, 1))[0] : undefined;
			},
			replaying: (ws) => this.#replay.replaying(ws),
		});
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_TEXT, PONG_TEXT));
	}

	// ---- RPC: sessions and messages (called by the ingress) ----

	/** Creates the session and arms the alarm that erases it once it has been idle past retention. */
	async create(input: CreateSessionInput): Promise<void> {
		this.#store.createSession(createSessionInputSchema.parse(input));
		const at = this.#idle.retentionAt();
		if (at !== null) await this.#jobs.armWatchdog(at);
	}

	info(): SessionInfo | null {
		const session = this.#store.session();
		if (!session) return null;
		return {
			sessionId: session.id,
			createdAt: session.createdAt,
			lastSeq: this.#store.lastSeq(),
			status: session.status,
			summary: session.summary,
			user: session.identity ? { id: session.identity.id, ...(session.identity.name ? { name: session.identity.name } : {}) } : null,
			assignee: session.assignee,
			pendingConfirmations: this.#confirmations.pending(),
		};
	}

	/** A page of the transcript, archived or hot alike. */
	async list(input: { after: number; limit: number }): Promise<MessagePage | null> {
		const { after, limit } = listInputSchema.parse(input);
		const session = this.#store.session();
		if (!session) return null;
		const messages = await this.#history.read(session.id, after, limit);
		const lastSeq = this.#store.lastSeq();
		return { messages, lastSeq, hasMore: (messages.at(-1)?.seq ?? after) < lastSeq };
	}

	/** Where the session's transcript lives now (CONTRACT §6). */
	storage(): SessionStorageInfo | null {
		const session = this.#store.session();
		if (!session) return null;
		return { ...this.#index.counts(), sqliteBytes: this.ctx.storage.sql.databaseSize, summaryThroughSeq: session.summaryThroughSeq };
	}

	// ---- RPC: summaries (called by the summarize consumer) ----

	/** The messages the next summary covers, or why there is nothing to summarize now. */
	summaryWork(): Promise<SummaryWork> {
		return this.#summaries.work(Date.now());
	}

	/** Stores a newer summary and tells the session's sockets; a stale or repeated one changes nothing. */
	async storeSummary(input: { text: string; throughSeq: number }): Promise<StoreSummaryResult> {
		const { text, throughSeq } = storeSummaryInputSchema.parse(input);
		const result = await this.#summaries.store(text, throughSeq);
		if (result.stored) this.#broadcast({ type: "summary", text, throughSeq });
		return result;
	}

	// ---- RPC: erasing (DELETE /api/sessions/:id) ----

	/**
	 * Erases the session everywhere: its sockets are closed and its running
	 * turns stopped (no model call and no shared-cache write after this
	 * returns), then what it left in shared stores (answer-cache entries it
	 * computed, its count in the question statistics), its archive segments,
	 * cached summary and registry entry, then its storage. The session reads
	 * as absent from the first step; an interrupted erase is finished by the
	 * alarm, or by the next call. False when there was nothing.
	 */
	async erase(): Promise<boolean> {
		const sessionId = this.#store.sessionId();
		if (!sessionId) return false;
		this.#store.markErasing();
		await this.#alarm.set(Date.now() + ERASE_RETRY_MS);
		for (const ws of this.ctx.getWebSockets()) closeQuietly(ws, 1000, "session deleted");
		// Stopped turns drop nothing themselves (once stopped they must not write): their memory goes here.
		for (const turnId of await this.#running.stopAll("session erased")) {
			this.#streams.close(turnId);
			this.#turnMetrics.closed(turnId);
		}
		await this.#traces.eraseFrom(this.env);
		const segments = await this.#history.erase(sessionId);
		await this.#summaries.erase(sessionId);
		await supportDesk(this.env).forget({ sessionId });
		const userId = this.#store.userIdOfErasing();
		if (userId) await userDirectory(this.env, userId).forget(sessionId);
		await this.#alarm.delete();
		await this.ctx.storage.deleteAll();
		this.#alarm.forget();
		this.#store.init();
		this.#traces.init();
		this.#feedback.init();
		this.#events.init();
		this.#tools.init();
		console.log(JSON.stringify({ event: "session_erased", sessionId, segments }));
		return true;
	}

	/**
	 * Stores a user message (idempotent on its id), tells every tab, and
	 * enqueues the turn. A resend of a stored id is answered before the rate
	 * limit is spent, so retries never turn into 429s (POST and `send` alike).
	 *
	 * Accepts run one at a time: reading the alarm may await and let other events
	 * in, and two quick sends must still get their seqs in the order they arrived
	 * (and be counted against the message limit one after the other).
	 */
	accept(input: AcceptInput): Promise<AcceptResult> {
		const result = this.#accepting.then(() => this.#acceptNow(input));
		this.#accepting = result.catch(() => undefined);
		return result.finally(() => this.#shipMetrics());
	}

	async #acceptNow(input: AcceptInput): Promise<AcceptResult> {
		const { id = newId("msg"), text } = acceptInputSchema.parse(input);
		const session = this.#store.session();
		if (!session) return { ok: false, reason: "not_found" };
		const stored = this.#existing(id);
		if (stored) {
			// A resend of a message still waiting re-arms its watchdog: if an older build stored it without
			// one, the retry repairs that instead of short-circuiting into a message nobody answers.
			if (stored.ok && this.#store.waiting().some((w) => w.id === id)) await this.#jobs.armWatchdog(Date.now() + LOST_JOB_MS);
			return stored;
		}
		const limit = configOf(this.env).messagesPerMinute;
		const wait = retryAfterSeconds(this.#store.userMessageAcceptedAt(limit), Date.now());
		if (wait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: wait };
		const alarmAt = await this.#alarm.get();
		// The await above may let other events in: an erase that ran meanwhile must not be followed by a stored message.
		const current = this.#store.session();
		if (!current) return { ok: false, reason: "not_found" };
		if (current.status === "escalated") return this.#acceptForPeople(id, text);
		this.#handoffs.reopenIfClosed();
		// Writing instead of answering a confirmation cancels it: one turn then answers everything waiting.
		// Only identified sessions have confirmations: the others pay no read for it on this path.
		if (current.identity) this.#confirmations.cancelForNewMessage();

		const now = Date.now();
		// The turn that will answer it is named now, so every frame about it, from `queued` on, carries one id.
		const { turn: publicTurn, waiting } = this.#turns.turnForNewMessage();
		const message = this.#store.append({
			id,
			role: "user",
			text,
			status: "complete",
			enqueuedAt: now,
			redriveAt: now + LOST_JOB_MS,
			publicTurn,
		});
		// No await since the append, so the message and its alarm commit together: a crash cannot keep one without the other.
		const armed = alarmAt === null || alarmAt > now + LOST_JOB_MS ? this.#alarm.set(now + LOST_JOB_MS) : undefined;
		this.#turnMetrics.accepted();
		this.#afterAppend();
		this.#broadcast({ type: "message", ...message });
		// A conversation's first message puts it on the agents' list of open ones (CONTRACT §7), once.
		if (message.seq === 1) {
			this.#store.touchDesk();
			this.#reportToDesk();
		}
		// This message joins the turn waiting to start, or starts one: no need to read the line again.
		this.#turns.announceQueued({ turn: publicTurn, replyTo: [...waiting, id] });
		// The alarm is set before the job is sent: if this object dies in between, the watchdog still sends it.
		await armed;
		await this.#jobs.send([id], "accepted", { stamped: true });
		return { ok: true, messageId: id, seq: message.seq, duplicate: false };
	}

	/**
	 * A user message while people answer the session (CONTRACT §7): stored and pushed as any other,
	 * but stored answered, so no turn opens for it and the watchdog neither answers nor fails it.
	 */
	async #acceptForPeople(id: string, text: string): Promise<AcceptResult> {
		const message = this.#store.append({ id, role: "user", text, status: "complete", answered: true });
		this.#turnMetrics.accepted();
		this.#afterAppend();
		this.#broadcast({ type: "message", ...message });
		this.#handoffs.userMessageWhileEscalated();
		await this.#handoffs.reportToDesk();
		return { ok: true, messageId: id, seq: message.seq, duplicate: false };
	}

	// ---- RPC: people (CONTRACT §7, handoff.ts) ----

	/** The user asked for a person (the widget's control); idempotent. False when there is no session. */
	async handoff(): Promise<boolean> {
		if (!this.#store.session()) return false;
		this.#handoffs.requested();
		await this.#peopleChanged();
		return true;
	}

	/** An agent takes the conversation: exactly one of two agents claiming at once wins. */
	async claim(input: Assignee): Promise<ClaimResult> {
		const result = this.#handoffs.claim(agentInputSchema.parse(input));
		await this.#peopleChanged();
		return result;
	}

	/** The assignee hands the conversation back to the assistant. */
	async release(input: Assignee): Promise<AgentActionResult> {
		const result = this.#handoffs.release(agentInputSchema.parse(input));
		await this.#peopleChanged();
		return result;
	}

	/** The assignee resolves the conversation. */
	async resolve(input: Assignee): Promise<AgentActionResult> {
		const result = this.#handoffs.resolve(agentInputSchema.parse(input));
		await this.#peopleChanged();
		return result;
	}

	/** The assignee's message, idempotent on its id. */
	async agentSend(agent: Assignee, input: { id?: string | undefined; text: string }) {
		const result = this.#handoffs.agentMessage(agentInputSchema.parse(agent), acceptInputSchema.parse(input));
		// The desk's copy of the last message may follow a moment later; the writer need not wait for it.
		this.#reportToDesk();
		this.#shipMetrics();
		return result;
	}

	/** The user's rating of the conversation, or their mark on one assistant answer (handoff.ts). */
	async feedback(input: Feedback): Promise<{ ok: true; created: boolean } | { ok: false; reason: "not_found" | "no_such_answer" }> {
		const result = this.#handoffs.feedback(feedbackSchema.parse(input));
		await this.#peopleChanged();
		return result;
	}

	/** After a change of hands: the desk hears of it before the caller does, events leave, and so do the metrics. */
	async #peopleChanged(): Promise<void> {
		try {
			await this.#handoffs.afterChange();
		} finally {
			this.#shipMetrics();
		}
	}

	/** The same, off the caller's path (a reply, a user's or an agent's message). */
	#reportToDesk(): void {
		this.ctx.waitUntil(this.#handoffs.afterChange());
	}

	// ---- RPC: turns (called by the inference and dead-letter consumers) ----

	/**
	 * Opens a turn for a job (see beginTurn) and runs it here, in this
	 * object, after returning: the consumer acks as soon as the turn is owned
	 * (durably, with its lease) instead of holding its batch for the stream.
	 */
	async runTurn(input: { messageIds: string[]; attempt: number }): Promise<RunTurnResult> {
		const { messageIds, attempt } = runTurnInputSchema.parse(input);
		const begun = await this.#turns.begin(messageIds);
		if (begun.kind !== "started") return begun;
		this.#run(begun, { messageIds, attempt });
		return { kind: "started", turnId: begun.turnId };
	}

	// ---- RPC: back-office tools (CONTRACT §8, tool-calls.ts) ----

	/** The user's answer to a `confirm` frame (confirmations.ts); a second answer changes nothing. */
	confirm(input: { callId: string; approve: boolean }): ConfirmResult {
		const { callId, approve } = confirmInputSchema.parse(input);
		if (!this.#store.session()) return { ok: false, reason: "not_found" };
		const result = this.#confirmations.answer(callId, approve);
		this.#shipMetrics();
		return result;
	}

	/** Every tool call of the session, for operators (CONTRACT §8). */
	toolCalls(): ToolCalls | null {
		if (!this.#store.session()) return null;
		return { calls: this.#tools.list() };
	}

	/** Runs an opened (or resumed) attempt in this object, after the caller returns. */
	#run(begun: StartedTurn, job: { messageIds: string[]; attempt: number }): void {
		const done = this.#running.start(begun.turnId, (signal) => runTurn(this.env, begun, job, this.#turnHost, signal));
		// Keeps the object alive until the turn ends (compatibility date ≥ 2026-10-01; up to 15 minutes).
		this.ctx.waitUntil(done);
	}

	/** Opens one turn answering every waiting user message, unless the job is already answered or owned. */
	beginTurn(input: { messageIds: string[] }): Promise<BeginTurnResult> {
		return this.#turns.begin(beginTurnInputSchema.parse(input).messageIds);
	}

	/** Buffers streamed text (so late joiners get it all) and pushes it as a delta. */
	appendDelta(input: { turnId: string; text: string }): TurnWriteResult {
		return this.#turns.appendDelta(deltaInputSchema.parse(input));
	}

	/** Commits the reply with the next seq. Idempotent: completing a done turn again is a no-op. */
	completeTurn(input: { turnId: string; text: string; status: "complete" | "truncated"; citations: Citation[] }): Promise<TurnWriteResult> {
		return this.#turns.complete(completeInputSchema.parse(input));
	}

	/** Gives a turn back after a transient failure, so the retry can start at once (turns.ts). */
	abandonTurn(turnId: string): Promise<void> {
		return this.#turns.abandon(turnId);
	}

	/** Answers messages that cannot be answered with a visible `failed` system message (dead letters). */
	async failMessages(input: { messageIds: string[]; reason: string }): Promise<{ failed: number }> {
		const { messageIds, reason } = failInputSchema.parse(input);
		const failed = await this.#turns.fail(messageIds, reason);
		this.#shipMetrics();
		return { failed };
	}

	// ---- The watchdog (policy in watchdog.ts) ----

	override async alarm(): Promise<void> {
		// The runtime cleared the alarm to run this, and sets it again itself if this throws.
		this.#alarm.forget();
		if (this.#store.erasing()) {
			await this.erase();
			return;
		}
		const now = Date.now();
		if (this.#idle.retired(now)) {
			console.log(JSON.stringify({ event: "session_retention_expired", sessionId: this.#store.sessionId() }));
			await this.erase();
			return;
		}
		const live = this.#store.liveTurn();
		const plan = planWatchdog(now, this.#store.waiting(), live);
		if (plan.abandon && live) this.#turns.abandonLive(live);
		if (plan.requeue.length > 0) await this.#jobs.send(plan.requeue, "watchdog", { counted: true });
		if (plan.resend.length > 0) await this.#jobs.send(plan.resend, "watchdog");
		if (plan.fail.length > 0) this.#turns.failVisibly(plan.fail, "watchdog gave up");
		await this.#idle.shrinkIfDue(now);
		await this.#handoffs.reportToDesk();
		const outcomeAt = this.#handoffs.settleOutcome(now);
		await this.#events.deliver(now);
		this.#shipMetrics();
		const next = [
			nextWatchdogAt(now, this.#store.waiting(), this.#store.liveTurn()),
			this.#idle.shrinkAt(),
			this.#idle.retentionAt(),
			this.#handoffs.reportDueAt(),
			outcomeAt,
			this.#events.dueAt(),
		].reduce(earliest, null);
		if (next !== null) await this.#alarm.set(Math.max(next, now + 1000));
	}

	// ---- WebSockets ----

	/** The socket upgrade, forwarded by the ingress once it has authenticated the client. */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
			return problemResponse(new HttpProblem(426, "This endpoint only speaks WebSocket.", { headers: { Upgrade: "websocket" } }));
		}
		const session = this.#store.session();
		if (!session) return problemResponse(new HttpProblem(404, "No such session."));
		const query = wsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
		const after = query.success ? query.data.after : 0;

		const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
		this.ctx.acceptWebSocket(server);
		// An agent's socket (GET /api/agent/conversations/:id/ws) carries who they are, as the ingress authenticated them.
		const agent = agentFromHeader(request.headers.get(AGENT_HEADER));
		this.#socketsAccepted += 1;
		server.serializeAttachment({
			sessionId: session.id,
			connectedAt: Date.now(),
			order: this.#socketsAccepted,
			...(agent ? { agent } : {}),
		});
		capSockets(this.ctx.getWebSockets());
		// Everything below runs without awaiting, so no live frame can slip in between.
		sendFrame(server, { type: "ready", sessionId: session.id, lastSeq: this.#store.lastSeq() });
		this.#replay.start(server, session.id, after);
		const protocols = request.headers.get("Sec-WebSocket-Protocol");
		const headers: HeadersInit = protocols?.split(",").some((p) => p.trim() === "chat.v1") ? { "Sec-WebSocket-Protocol": "chat.v1" } : {};
		return new Response(null, { status: 101, webSocket: client, headers });
	}

	override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
		await this.#frames.handle(ws, message);
	}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		// 1005/1006 are reserved and cannot be sent back; answer those with a normal closure.
		closeQuietly(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		closeQuietly(ws, 1011, "Socket error");
	}

	// ---- Internals ----

	#existing(id: string): AcceptResult | undefined {
		const existing = this.#store.idRecord(id);
		if (!existing) return undefined;
		if (existing.role !== "user") return { ok: false, reason: "id_conflict" };
		return { ok: true, messageId: id, seq: existing.seq, duplicate: true };
	}

	/**
	 * After a message is appended: keeps the hot part within its bound and the
	 * summary registry in step, both off the caller's path.
	 */
	#afterAppend(): void {
		const session = this.#store.session();
		if (!session) return;
		if (this.#store.hotMessages() > hotMessageLimit(session.id)) {
			this.ctx.waitUntil(this.#history.archiveOverflow(session.id).catch(() => undefined));
		}
		const tracking = this.#summaries.track();
		if (tracking) {
			this.ctx.waitUntil(
				tracking.catch((error: unknown) => {
					console.warn(JSON.stringify({ event: "summary_registration_failed", error: describeError(error) }));
				}),
			);
		}
	}

	#shipMetrics(): void {
		shipMetrics(this.env, this.#metrics, undefined);
	}

	#broadcast(frame: ServerFrame): void {
		const text = JSON.stringify(frame);
		for (const ws of this.ctx.getWebSockets()) if (!this.#replay.replaying(ws)) sendText(ws, text);
	}
}

function agentFromHeader(header: string | null): Assignee | undefined {
	if (!header) return undefined;
	try {
		return agentInputSchema.safeParse(JSON.parse(header)).data;
	} catch {
		return undefined;
	}
}

/** The earlier of two optional times. */
function earliest(a: number | null, b: number | null): number | null {
	if (a === null) return b;
	if (b === null) return a;
	return Math.min(a, b);
}
