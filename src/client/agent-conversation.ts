/**
 * The console's right-hand side: the selected conversation (who the user is,
 * its status and holder, the running summary), its live transcript over the
 * agent socket, and which of Claim, Release, Resolve and Send apply now.
 * One socket at a time: opening another conversation stops the previous one.
 */
import type { Assignee, ChatConnection, ConnectionState, Conversation } from "../sdk";
import { assigneeLabel, reasonLabel, statusLabel, userLabel } from "./agent-labels";
import { TranscriptLog } from "./agent-transcript";

export interface PanelElements {
	title: HTMLElement;
	status: HTMLElement;
	user: HTMLElement;
	live: HTMLElement;
	summaryBox: HTMLElement;
	summaryText: HTMLElement;
	transcript: HTMLOListElement;
	typing: HTMLElement;
	claim: HTMLButtonElement;
	release: HTMLButtonElement;
	resolve: HTMLButtonElement;
	reply: HTMLTextAreaElement;
	send: HTMLButtonElement;
}

/** The socket's state in an agent's words (nothing is queued on it: replies go over HTTP). */
function liveLabel(state: ConnectionState, now = Date.now()): string {
	switch (state.kind) {
		case "connected":
			return "Live";
		case "connecting":
			return "Connecting…";
		case "reconnecting":
			return `Reconnecting in ${Math.max(0, Math.ceil((state.at - now) / 1000))} s…`;
		case "offline":
			return "Offline";
		case "closed":
			return "Not connected";
	}
}

/**
 * @example
 * const panel = new ConversationPanel(elements, (id) => agentApi.connect(id));
 * panel.show(conversation);
 * panel.render(me);
 */
export class ConversationPanel {
	readonly #el: PanelElements;
	readonly #connect: (sessionId: string) => ChatConnection;
	readonly #log: TranscriptLog;
	#conversation: Conversation | null = null;
	#live: ChatConnection | null = null;
	#me: Assignee | null = null;
	/** An action is in flight: its buttons stay disabled until it answers. */
	#busy = false;

	constructor(elements: PanelElements, connect: (sessionId: string) => ChatConnection) {
		this.#el = elements;
		this.#connect = connect;
		this.#log = new TranscriptLog(elements.transcript, elements.typing);
		// The "Reconnecting in N s" countdown needs a tick of its own.
		setInterval(() => {
			if (this.#live?.state.kind === "reconnecting") this.#renderLive();
		}, 500);
	}

	get conversation(): Conversation | null {
		return this.#conversation;
	}

	/** Whether this agent holds the open conversation. */
	get mine(): boolean {
		const holder = this.#conversation?.assignee;
		return holder !== null && holder !== undefined && holder.agentId === this.#me?.agentId;
	}

	/** Opens a conversation and its socket (replaying its whole transcript); the same one again only updates it. */
	show(conversation: Conversation): void {
		if (this.#conversation?.sessionId === conversation.sessionId) {
			this.update(conversation);
			return;
		}
		this.#stopLive();
		this.#conversation = conversation;
		this.#log.reset();
		const live = this.#connect(conversation.sessionId);
		this.#live = live;
		live.on("frame", (frame) => {
			if (frame.type === "ready") this.#log.ready(frame.lastSeq);
			if (frame.type === "status" && frame.state === "escalated" && this.#conversation) this.#conversation.status = "escalated";
		});
		live.on("message", (message) => this.#log.add(message));
		live.on("change", () => {
			this.#log.showStreaming(live.transcript.streaming);
			this.render();
		});
		live.start();
		this.render();
	}

	/** Newer facts about the open conversation (a poll, or an action's answer); others are ignored. */
	update(conversation: Conversation): void {
		if (this.#conversation?.sessionId !== conversation.sessionId) return;
		this.#conversation = conversation;
		this.render();
	}

	/** Changes some facts of the open conversation, as an action's answer told them. */
	patch(changes: Partial<Pick<Conversation, "status" | "assignee">>): void {
		if (!this.#conversation) return;
		this.update({ ...this.#conversation, ...changes });
	}

	/** Back to no conversation (signed out). */
	close(): void {
		this.#stopLive();
		this.#conversation = null;
		this.#log.reset();
		this.render();
	}

	setMe(me: Assignee | null): void {
		this.#me = me;
		this.render();
	}

	setBusy(busy: boolean): void {
		this.#busy = busy;
		this.render();
	}

	render(): void {
		const el = this.#el;
		const conversation = this.#conversation;
		if (!conversation) {
			el.title.textContent = "No conversation selected";
			el.status.textContent = "Choose a conversation in the queue.";
			el.user.textContent = "";
			el.summaryBox.hidden = true;
		} else {
			el.title.textContent = `Conversation with ${userLabel(conversation.user)}`;
			el.status.textContent = [
				statusLabel(conversation),
				assigneeLabel(conversation.assignee, this.#me),
				reasonLabel(conversation.reason),
			].join(". ");
			el.user.textContent = `User: ${userLabel(conversation.user)}. Session ${conversation.sessionId}.`;
			// The socket's summary frames are newer than the queue's copy once they come.
			const summary = this.#live?.transcript.summary?.text ?? conversation.summary;
			el.summaryBox.hidden = !summary;
			el.summaryText.textContent = summary ?? "";
		}
		this.#renderLive();
		const mine = this.mine;
		el.claim.disabled = !conversation || mine || this.#busy;
		el.release.disabled = !mine || this.#busy;
		el.resolve.disabled = !mine || this.#busy;
		el.send.disabled = !mine || conversation?.status !== "escalated" || this.#busy;
		el.reply.disabled = !mine || conversation?.status !== "escalated";
		el.reply.placeholder = mine ? "Write to the user…" : "Claim the conversation to reply.";
	}

	#renderLive(): void {
		const live = this.#live;
		this.#el.live.textContent = live ? liveLabel(live.state) : "";
		this.#el.live.dataset.state = live?.state.kind ?? "none";
	}

	#stopLive(): void {
		this.#live?.stop();
		this.#live = null;
	}
}
