/**
 * DOM rendering for the widget. Text is only ever set with `textContent`
 * (never `innerHTML`), so a message like `<img src=x onerror=…>` shows as
 * the characters it is. Citation links accept only http(s) URLs.
 */
import type { ConnectionState, Message, PendingMessage, StreamingReply } from "../sdk";
import { lineLabel } from "./line-label";

const STATE_LABELS: Record<StreamingReply["state"], string> = { queued: "Queued…", thinking: "Thinking…", streaming: "" };

export function el<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Partial<HTMLElementTagNameMap[K]> = {},
	...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
	const node = Object.assign(document.createElement(tag), props);
	node.append(...children);
	return node;
}

export function renderMessage(message: Message): HTMLElement {
	const item = el("li", { className: `message ${message.role} ${message.status}` });
	item.dataset.role = message.role;
	item.dataset.seq = String(message.seq);
	item.dataset.id = message.id;
	item.append(el("p", { className: "text", textContent: message.text }));
	if (message.status === "failed") item.append(el("p", { className: "meta", textContent: "Not answered. Please try again." }));
	if (message.citations?.length) {
		const list = el("ul", { className: "citations", ariaLabel: "Sources" });
		for (const citation of message.citations) {
			const url = safeUrl(citation.url);
			list.append(
				el(
					"li",
					{},
					url ? el("a", { href: url, textContent: citation.title, target: "_blank", rel: "noopener noreferrer" }) : citation.title,
				),
			);
		}
		item.append(list);
	}
	return item;
}

export function renderStreaming(reply: StreamingReply): HTMLElement {
	const item = el("li", { className: `message assistant pending ${reply.state}` });
	item.dataset.role = "assistant";
	item.dataset.turn = reply.turn;
	item.dataset.state = reply.state;
	item.setAttribute("aria-busy", "true");
	item.append(el("p", { className: "text", textContent: reply.text || (reply.line ? lineLabel(reply.line) : STATE_LABELS[reply.state]) }));
	return item;
}

export function renderPending(message: PendingMessage): HTMLElement {
	const item = el("li", { className: "message user unsent", textContent: message.text });
	item.dataset.pending = "true";
	item.dataset.id = message.id;
	return item;
}

export function connectionLabel(state: ConnectionState, now = Date.now()): string {
	switch (state.kind) {
		case "connecting":
			return "Connecting…";
		case "connected":
			return "Connected";
		case "offline":
			return "Offline: messages will be sent when you're back online";
		case "closed":
			return "Disconnected";
		case "reconnecting":
			return `Reconnecting in ${Math.max(0, Math.ceil((state.at - now) / 1000))} s…`;
	}
}

function safeUrl(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		const parsed = new URL(url);
		return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
	} catch {
		return undefined;
	}
}
