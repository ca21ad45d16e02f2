/**
 * What the session hub does with a frame from a socket (CONTRACT §4): a user's `send` is accepted
 * like a POST, a `confirm` answers a tool call's confirmation, and on an agent's socket (CONTRACT §7)
 * a `send` is the agent's message. Anything it cannot take gets an `error` frame; no frame leaves
 * a sender waiting.
 */
import { describeError } from "../../shared/errors";
import { type ClientFrame, ERROR_CODES, MAX_CLIENT_FRAME_BYTES, PONG_TEXT } from "../../shared/schemas/frames";
import { type AcceptInput, type AcceptResult, agentInputSchema, type ConfirmResult } from "../../shared/schemas/hub";
import type { Message } from "../../shared/schemas/message";
import type { Assignee } from "../../shared/schemas/people";
import type { AgentSendResult } from "./handoff";
import { closeQuietly, frameBytes, parseClientFrame, sendFrame, sendText } from "./sockets";

/** The hub's side: its RPC methods, which a frame calls as a request would. */
export interface FrameHost {
	accept(input: AcceptInput): Promise<AcceptResult>;
	agentSend(agent: Assignee, input: AcceptInput): Promise<AgentSendResult>;
	confirm(input: { callId: string; approve: boolean }): ConfirmResult;
	/** The stored message at `seq`, when the session exists. */
	stored(seq: number): Promise<Message | undefined>;
	/** Whether the socket is still replaying (its replay will deliver stored messages in order). */
	replaying(ws: WebSocket): boolean;
}

export class SocketFrames {
	readonly #host: FrameHost;

	constructor(host: FrameHost) {
		this.#host = host;
	}

	async handle(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
		if (frameBytes(message, MAX_CLIENT_FRAME_BYTES) > MAX_CLIENT_FRAME_BYTES) {
			closeQuietly(ws, 1009, "Frame too large");
			return;
		}
		const frame = parseClientFrame(message);
		if (!frame.ok) {
			sendFrame(ws, { type: "error", code: ERROR_CODES.badFrame, message: frame.error });
			return;
		}
		if (frame.value.type === "ping") {
			sendText(ws, PONG_TEXT);
			return;
		}
		if (frame.value.type === "confirm") {
			await this.#confirm(ws, frame.value);
			return;
		}
		try {
			await this.#send(ws, frame.value);
		} catch (error) {
			// A dependency failed (rate limiter, storage): say so instead of leaving the sender waiting.
			console.error(JSON.stringify({ event: "send_failed", error: describeError(error) }));
			sendFrame(ws, { type: "error", code: ERROR_CODES.unavailable, message: "The message could not be accepted; try again shortly." });
		}
	}

	async #send(ws: WebSocket, frame: Extract<ClientFrame, { type: "send" }>): Promise<void> {
		const agent = socketAgent(ws);
		if (agent) {
			await this.#sendAsAgent(ws, agent, frame);
			return;
		}
		const result = await this.#host.accept(frame.id ? { id: frame.id, text: frame.text } : { text: frame.text });
		if (result.ok) {
			// New messages reached the sender through the broadcast; a resend gets its stored copy back,
			// unless the socket is replaying: the replay delivers it in its place, and a copy sent now
			// would arrive out of order (CONTRACT §4: replay in seq order, no duplicates).
			if (result.duplicate) await this.#echoStored(ws, result.seq);
			return;
		}
		if (result.reason === "rate_limited") {
			const message = `Too many messages; wait ${result.retryAfterSeconds} seconds before sending more.`;
			sendFrame(ws, { type: "error", code: ERROR_CODES.rateLimited, message });
		} else if (result.reason === "id_conflict") {
			sendFrame(ws, { type: "error", code: ERROR_CODES.badFrame, message: "That message id is already used by another message." });
		}
	}

	/** A `confirm` frame: the session's user answers (an agent's socket may not answer for them). */
	async #confirm(ws: WebSocket, frame: Extract<ClientFrame, { type: "confirm" }>): Promise<void> {
		if (socketAgent(ws)) {
			sendFrame(ws, { type: "error", code: ERROR_CODES.badFrame, message: "Only the user can answer a confirmation." });
			return;
		}
		const result = this.#host.confirm({ callId: frame.callId, approve: frame.approve });
		if (!result.ok) sendFrame(ws, { type: "error", code: ERROR_CODES.badFrame, message: "No such confirmation in this session." });
	}

	/** A `send` on an agent's socket: the agent's message, when they hold the conversation. */
	async #sendAsAgent(ws: WebSocket, agent: Assignee, frame: Extract<ClientFrame, { type: "send" }>): Promise<void> {
		const result = await this.#host.agentSend(agent, frame.id ? { id: frame.id, text: frame.text } : { text: frame.text });
		if (result.ok) {
			// As for a user's resend: the stored copy answers it.
			if (result.duplicate) await this.#echoStored(ws, result.seq);
			return;
		}
		const message =
			result.reason === "not_assignee"
				? "Claim the conversation before writing in it."
				: result.reason === "id_conflict"
					? "That message id is already used by another message."
					: "No such session.";
		sendFrame(ws, { type: "error", code: ERROR_CODES.badFrame, message });
	}

	/** Sends a resent message's stored copy back to its sender, unless the socket's replay will deliver it in order. */
	async #echoStored(ws: WebSocket, seq: number): Promise<void> {
		const again = await this.#host.stored(seq);
		if (again && !this.#host.replaying(ws)) sendFrame(ws, { type: "message", ...again });
	}
}

/** The agent an agent's socket was opened for (the ingress authenticated them); undefined on a user's socket. */
export function socketAgent(ws: WebSocket): Assignee | undefined {
	const attachment: unknown = ws.deserializeAttachment();
	if (typeof attachment !== "object" || attachment === null || !("agent" in attachment)) return undefined;
	return agentInputSchema.safeParse(attachment.agent).data;
}
