/**
 * The steps every chat behaviour is made of, each recording its metrics:
 * open a session and its socket, ask and wait for the reply, and leave
 * (loading the history over HTTP first, as a reopened widget would).
 */

import { ensureActive, failureReason } from "../core/errors";
import type { SessionRecord } from "../core/session-log";
import type { VuContext } from "../core/types";
import { ChatSocket, createSession, type TurnTiming, transcript } from "../lib/chat-client";

/** Far above the 5 s aiResponse target: a reply this late is a failure, not a slow sample. */
export const REPLY_TIMEOUT_MS = 20_000;

export interface Conversation {
	readonly record: SessionRecord;
	socket: ChatSocket;
	sent: number;
}

/** A message id, unique in its session (every iteration opens a new session); matches ^[A-Za-z0-9_-]{1,64}$. */
export function nextMessageId(ctx: VuContext, conversation: Conversation): string {
	return `v${ctx.vu}-i${ctx.iteration}-m${conversation.sent++}`;
}

export async function connectSocket(ctx: VuContext, record: SessionRecord, after: number): Promise<ChatSocket | undefined> {
	ensureActive(ctx.signal);
	try {
		const socket = await ChatSocket.connect(ctx.base, record.session, after);
		ctx.metrics.ok();
		ctx.metrics.record("wsConnect", socket.connectMs);
		ctx.sessions.attach(record, socket);
		return socket;
	} catch (error) {
		ctx.metrics.fail(`socket connect: ${failureReason(error)}`);
		return undefined;
	}
}

/** Creates a session and opens its socket; undefined (after counting the failure) if either fails. */
export async function startConversation(ctx: VuContext, kind: string): Promise<Conversation | undefined> {
	ensureActive(ctx.signal);
	const started = performance.now();
	let record: SessionRecord;
	try {
		record = ctx.sessions.open(await createSession(ctx.base), kind);
	} catch (error) {
		ctx.metrics.fail(`create session: ${failureReason(error)}`);
		return undefined;
	}
	ctx.metrics.ok();
	ctx.metrics.record("sessionCreate", performance.now() - started);
	const socket = await connectSocket(ctx, record, 0);
	return socket ? { record, socket, sent: 0 } : undefined;
}

/**
 * Records a message whose POST was answered 202: its id for the audit, the
 * accept (doOps) and echo (wsPush) times, and the reply time in aiResponse
 * and in `trend` when given. A missing echo or reply is a failed request.
 */
export function recordTurn(ctx: VuContext, conversation: Conversation, id: string, timing: TurnTiming, trend?: string): void {
	ctx.sessions.accept(conversation.record, id);
	ctx.metrics.record("doOps", timing.acceptMs);
	ctx.metrics.record("wsPush", timing.echoMs);
	ctx.metrics.record("firstDelta", timing.firstDeltaMs);
	if (timing.handedOver) {
		// The conversation went to people (two declines in a row, say): no reply is the contract, not a failure.
		ctx.metrics.ok();
		ctx.metrics.add("handedOver");
	} else if (timing.finalMs === undefined) ctx.metrics.fail(`reply: none within ${REPLY_TIMEOUT_MS / 1000} s`);
	else if (timing.echoMs === undefined) ctx.metrics.fail("socket: no echo of the own message");
	else {
		ctx.metrics.ok();
		ctx.metrics.record("aiResponse", timing.finalMs);
		if (trend) ctx.metrics.record(trend, timing.finalMs);
	}
}

/** POSTs a message and waits for its reply; undefined if the POST failed. */
export async function ask(ctx: VuContext, conversation: Conversation, text: string, trend?: string): Promise<TurnTiming | undefined> {
	ensureActive(ctx.signal);
	const id = nextMessageId(ctx, conversation);
	try {
		const timing = await conversation.socket.send(id, text, REPLY_TIMEOUT_MS);
		recordTurn(ctx, conversation, id, timing, trend);
		return timing;
	} catch (error) {
		ctx.metrics.fail(`POST message: ${failureReason(error)}`);
		return undefined;
	}
}

/** Loads the history over HTTP (a Durable Object read, timed as doOps), closes the socket, and marks the session finished. */
export async function finishConversation(ctx: VuContext, conversation: Conversation): Promise<void> {
	ensureActive(ctx.signal);
	const started = performance.now();
	try {
		await transcript(ctx.base, conversation.record.session);
		ctx.metrics.ok();
		ctx.metrics.record("doOps", performance.now() - started);
	} catch (error) {
		ctx.metrics.fail(`GET messages: ${failureReason(error)}`);
	}
	conversation.socket.close();
	ctx.sessions.finish(conversation.record);
}
