/**
 * The open conversation's transcript as an agent reads it: who wrote each
 * message (an agent by name, notices set apart), added one message at a time
 * in seq order so the log's live region announces only what is new. A replay
 * after (re)connecting is marked busy until it has caught up with the `ready`
 * frame's `lastSeq`, so a screen reader does not read out the whole history.
 */
import type { Message, StreamingReply } from "../sdk";
import { authorLabel } from "./agent-labels";
import { el } from "./render";

/** One transcript entry; text only ever through `textContent` (the page's CSP allows no HTML sinks anyway). */
export function renderAgentMessage(message: Message): HTMLLIElement {
	const item = el("li", { className: `message ${message.role} ${message.status}` });
	item.dataset.role = message.role;
	item.dataset.seq = String(message.seq);
	item.dataset.id = message.id;
	const time = new Date(message.createdAt);
	const when = el("time", {
		dateTime: message.createdAt,
		textContent: time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
	});
	item.append(el("p", { className: "author" }, `${authorLabel(message)} `, when));
	item.append(el("p", { className: "text", textContent: message.text }));
	if (message.status === "failed") item.append(el("p", { className: "meta", textContent: "Not answered (failed)." }));
	return item;
}

/**
 * @example
 * const log = new TranscriptLog(list, typing);
 * live.on("message", (m) => log.add(m));
 */
export class TranscriptLog {
	readonly #list: HTMLOListElement;
	readonly #typing: HTMLElement;
	/** The seq the replay must reach before the log stops being busy. */
	#catchUpTo = 0;
	#lastSeq = 0;

	constructor(list: HTMLOListElement, typing: HTMLElement) {
		this.#list = list;
		this.#typing = typing;
	}

	/** Empties the log for another conversation. */
	reset(): void {
		this.#list.replaceChildren();
		this.#list.removeAttribute("aria-busy");
		this.#catchUpTo = 0;
		this.#lastSeq = 0;
		this.showStreaming([]);
	}

	/** The socket said `ready`: messages up to `lastSeq` are history being replayed, not news. */
	ready(lastSeq: number): void {
		this.#catchUpTo = lastSeq;
		if (lastSeq > this.#lastSeq) this.#list.setAttribute("aria-busy", "true");
	}

	/** Adds a committed message where its seq belongs (the connection has already dropped duplicates). */
	add(message: Message): void {
		const atBottom = this.#list.scrollHeight - this.#list.scrollTop - this.#list.clientHeight < 40;
		const item = renderAgentMessage(message);
		// Replays and live frames arrive in seq order: append, and search only for the rare message that does not.
		const after =
			message.seq > this.#lastSeq
				? null
				: [...this.#list.children].find((child) => child instanceof HTMLElement && Number(child.dataset.seq) > message.seq);
		this.#list.insertBefore(item, after ?? null);
		this.#lastSeq = Math.max(this.#lastSeq, message.seq);
		if (this.#lastSeq >= this.#catchUpTo) this.#list.removeAttribute("aria-busy");
		if (atBottom || message.role === "agent") this.#list.scrollTop = this.#list.scrollHeight;
	}

	/** The assistant's replies in progress (an `open` conversation), outside the log so each chunk is not announced. */
	showStreaming(replies: StreamingReply[]): void {
		const text = replies.map((reply) => reply.text || "…").join("\n");
		this.#typing.textContent = text ? `Assistant is writing: ${text}` : "";
		this.#typing.hidden = text === "";
	}
}
