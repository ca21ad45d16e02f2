/**
 * Runs an opened turn inside the session's own hub: retrieval, the provider
 * stream, deltas and the final reply. The chat-turns consumer only opens
 * the turn and acks, so a batch never waits for anyone's reply to finish
 * and a new message's first token never waits behind another session's
 * stream (docs/architecture.md: "Where a reply streams from").
 *
 * Failures keep the queue's semantics: a transient one gives the turn back
 * and sends the job that opened it again, with a backoff delay and the next
 * attempt number; past MAX_TURN_RETRIES that job goes to the dead-letter
 * queue, whose consumer fails it visibly; a permanent one fails the turn
 * visibly at once. Only the job's own messages spend its attempts: the other
 * messages a turn covered keep their own jobs' budgets, so a burst of new
 * messages during an outage cannot use up an older message's retries.
 * If this object dies mid-stream, the turn's lease expires and the watchdog
 * drives it again.
 */

import type { AiProvider } from "../../shared/ai/provider";
import { turnProvider } from "../../shared/ai/turn-provider";
import type { FlightProgress } from "../../shared/cache";
import { configOf } from "../../shared/config";
import { backoffSeconds, describeError, isTransient, TransientError } from "../../shared/errors";
import type { MetricsRecorder } from "../../shared/metrics/recorder";
import type { BeginTurnResult, CompleteTurnInput, DeltaInput, TurnWriteResult } from "../../shared/schemas/hub";
import { MAX_TURN_RETRIES } from "../../shared/schemas/queue";
import { knowledgeBase } from "../../shared/stubs";
import { asksForPerson } from "../../shared/text/person-request";
import type { ToolLedger } from "../../shared/turn/account-reply";
import { cacheableQuestion } from "../../shared/turn/answer-cache";
import { answerCacheFor } from "../../shared/turn/answer-store";
import { answerTurn } from "../../shared/turn/answer-turn";
import type { Refine } from "../../shared/turn/conversational-query";
import { cachedKnowledge } from "../../shared/turn/kb-search-store";
import { followSilenceMs } from "../../shared/turn/shared-answer";
import { accountPorts } from "./account-turn";
import { HANDOFF_REPLY } from "./handoff";

/** First questions longer than this are not counted toward warming: that is a conversation, not a frequently asked question. */
const MAX_COUNTED_QUESTION_CHARS = 2000;

export type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

/** What running a turn needs from its hub. */
export interface TurnHost {
	appendDelta(input: DeltaInput): TurnWriteResult;
	completeTurn(input: CompleteTurnInput): Promise<TurnWriteResult>;
	/** Starts a live turn's streamed text over from offset 0: the shared computation it showed was lost. */
	restartStream(turnId: string): TurnWriteResult;
	/** The hub's metric events; shipped once the turn ends. */
	readonly metrics: MetricsRecorder;
	shipMetrics(): void;
	abandonTurn(turnId: string): Promise<void>;
	failMessages(input: { messageIds: string[]; reason: string }): Promise<{ failed: number }>;
	/** Sends the messages' job again after `delaySeconds`, as attempt `attempt`. */
	retry(messageIds: string[], attempt: number, delaySeconds: number): Promise<void>;
	/** Keeps the object alive for work that need not delay the turn (cache writes). */
	waitUntil(promise: Promise<unknown>): void;
	/** Sends the messages' job to the dead-letter queue. */
	deadLetter(messageIds: string[], attempt: number): Promise<void>;
	/** Remembers an answer-cache entry this turn wrote, so erasing the session removes it. */
	wroteAnswer(key: string): void;
	/** Counts the session's canonical first question toward warming, once per session. */
	countQuestion(question: string): void;
	/** The turn's model call waits in the admission line at `position`, about `etaSeconds` from now. */
	waitingForModel(turnId: string, position: number, etaSeconds: number): void;
	/** The turn's model call was admitted after `waitedMs`; `waited` when its tabs were told it was in line. */
	admittedToModel(turnId: string, waitedMs: number, waited: boolean): void;
	/** The durable record of the turn's back-office calls (CONTRACT §8; tool-calls.ts). */
	ledger(turn: StartedTurn): ToolLedger;
}

/** The job that opened a turn: its messages, and which attempt at them this is. */
export interface TurnJob {
	messageIds: string[];
	attempt: number;
}

/**
 * Answers `turn`, opened by `job`; never throws. Once `signal` is aborted
 * (the session is being erased) it stops at once and does nothing more: no
 * model call, no retry, no cache write.
 * @example this.ctx.waitUntil(runTurn(this.env, begun, { messageIds, attempt: 1 }, host, abort.signal))
 */
export async function runTurn(env: Env, turn: StartedTurn, job: TurnJob, host: TurnHost, signal?: AbortSignal): Promise<void> {
	const { attempt } = job;
	const sessionLog = { turnId: turn.turnId, attempt };
	const own = job.messageIds.filter((id) => turn.replyTo.includes(id));
	try {
		if (asksForPerson(questionsOf(turn))) {
			// The user asked for a person: a short answer, then people take over (handoff.ts). No model call.
			await host.completeTurn({ turnId: turn.turnId, text: HANDOFF_REPLY, status: "complete", citations: [], handoff: true });
			return;
		}
		const stub = knowledgeBase(env);
		const { metrics } = host;
		const kb = {
			lookup: (query: string, limit: number, refine: Refine = {}) => metrics.timeOperation("kb.lookup", stub.lookup(query, limit, refine)),
			version: () => metrics.timeOperation("kb.version", stub.version()),
			rank: (query: string, limit: number, boost: readonly string[], prior?: string) =>
				metrics.timeOperation("kb.rank", stub.rank(query, limit, boost, prior)),
		};
		const knowledge = cachedKnowledge(kb, env, host.waitUntil);
		// A signed-in user's profile and tools; undefined for an anonymous session.
		const account = await accountPorts(env, turn, host.ledger(turn), host.waitUntil);
		// The computation this turn runs for identical turns, if any: waiting in line for the model is not a stall.
		let shared: FlightProgress | undefined;
		const outcome = await answerTurn(turn, {
			hub: {
				appendDelta: async (input) => host.appendDelta(input),
				completeTurn: (input) => host.completeTurn(input),
				restartStream: async ({ turnId }) => host.restartStream(turnId),
			},
			lookup: kb.lookup,
			provider: admittedProvider(env, turn.turnId, host, () => shared?.alive()),
			// The answer cache is a setting; the search cache is not: it is keyed by the knowledge base's version, so it is never stale.
			...(configOf(env).answerCache ? { cached: { answers: answerCacheFor(env, host.waitUntil), knowledge } } : { knowledge }),
			shareSilenceMs: followSilenceMs(configOf(env).aiTimeoutMs),
			sharing: (progress) => {
				shared = progress;
			},
			...(signal ? { signal } : {}),
			account,
		});
		if (outcome.cachedKey) host.wroteAnswer(outcome.cachedKey);
		for (const result of outcome.joined ?? []) host.metrics.count("chat_shared_streams_total", { result });
		// Counted once the question is answered, so retries and re-drives of the same turn count nothing more.
		// A signed-in user's questions are about their account: never counted toward what everyone is warmed with.
		if ((outcome.source === "model" || outcome.source === "cache") && !turn.identity) countFirstQuestion(turn, host);
	} catch (error) {
		if (signal?.aborted) {
			console.log(JSON.stringify({ event: "turn_stopped", ...sessionLog }));
			return;
		}
		host.metrics.count("chat_errors_total", { category: isTransient(error) ? "ai_transient" : "ai_permanent" });
		try {
			await host.abandonTurn(turn.turnId);
			if (!isTransient(error)) {
				// Retrying cannot help (a refused request, a bug): answer visibly now rather than after every retry.
				console.error(JSON.stringify({ event: "turn_permanent_failure", ...sessionLog, error: describeError(error) }));
				await host.failMessages({ messageIds: turn.replyTo, reason: "permanent error" });
			} else if (attempt > MAX_TURN_RETRIES) {
				console.warn(JSON.stringify({ event: "turn_dead_lettered", ...sessionLog, error: describeError(error) }));
				await host.deadLetter(own, attempt);
			} else {
				const delaySeconds = retryDelay(error, attempt);
				console.warn(JSON.stringify({ event: "turn_retry", ...sessionLog, delaySeconds, error: describeError(error) }));
				await host.retry(own, attempt + 1, delaySeconds);
			}
		} catch (handling) {
			// The messages stay waiting with their turn given back; the watchdog drives them again.
			console.error(JSON.stringify({ event: "turn_failure_unhandled", ...sessionLog, error: describeError(handling) }));
		}
	} finally {
		host.shipMetrics();
	}
}

/**
 * The turn's provider, whose admission-line places reach its tabs. Only a call that reaches the
 * provider waits: answer-cache hits and joined streams never get here.
 * `inLine` hears each new place, so the turns following this one's
 * computation do not take the wait for a stall and join the line themselves.
 */
function admittedProvider(env: Env, turnId: string, host: TurnHost, inLine: () => void): AiProvider {
	let waited = false;
	return turnProvider(env, {
		waiting: (position, etaSeconds) => {
			waited = true;
			inLine();
			host.waitingForModel(turnId, position, etaSeconds);
		},
		admitted: (waitedMs) => host.admittedToModel(turnId, waitedMs, waited),
	});
}

/** What the turn's user messages ask, together. */
function questionsOf(turn: StartedTurn): string {
	return turn.history
		.filter((m) => m.role === "user" && turn.replyTo.includes(m.id))
		.map((m) => m.text)
		.join("\n");
}

/** Counts a session's canonical first question toward the hourly warming (never its raw text). */
function countFirstQuestion(turn: StartedTurn, host: TurnHost): void {
	const question = cacheableQuestion(turn);
	if (question === undefined || question.length > MAX_COUNTED_QUESTION_CHARS) return;
	host.countQuestion(question);
}

function retryDelay(error: unknown, attempt: number): number {
	const hinted = error instanceof TransientError ? error.retryAfterSeconds : undefined;
	return Math.max(hinted ?? 0, backoffSeconds(attempt));
}
