/**
 * DOM rendering for the widget. Text is only ever set with `textContent`
 * (never `innerHTML`), so a message like `<img src=x onerror=…>` shows as
 * the characters it is. Citation links accept only http(s) URLs.
 */
import type { ConnectionState, Message, PendingMessage, StreamingReply } from "../sdk";
import { lineLabel } from "./line-label";

const STATE_LABELS: Record<StreamingReply["state"], string> = {
	queued: "Queued…",
	thinking: "Thinking…",
	streaming: "",
	confirming: "Waiting for your answer…",
};

/** The user's marks on assistant answers, and how to give one (people.ts keeps them). */
export interface AnswerMarks {
	/** The user's mark on an answer: true (helpful), false, or undefined. */
	markOf(messageId: string): boolean | undefined;
	mark(messageId: string, helpful: boolean): void;
}

export function el<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Partial<HTMLElementTagNameMap[K]> = {},
	...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
	const node = Object.assign(document.createElement(tag), props);
	node.append(...children);
	return node;
}

/** `marks`: the user's marks on assistant answers, and how to give one (people.ts); without it, no controls. */
export function renderMessage(message: Message, marks?: AnswerMarks): HTMLElement {
	const item = el("li", { className: `message ${message.role} ${message.status}` });
	item.dataset.role = message.role;
	item.dataset.seq = String(message.seq);
	item.dataset.id = message.id;
	if (message.role === "agent") {
		const name = message.author?.name ?? "Support";
		item.append(
			el(
				"p",
				{ className: "author" },
				el("span", { className: "avatar", ariaHidden: "true", textContent: initials(name) }),
				el("span", { className: "author-name", textContent: name }),
			),
		);
	}
	item.append(el("p", { className: "text", textContent: message.text }));
	// Facts read from the customer's account are marked as such (CONTRACT §8), apart from the help center's.
	if (message.tools?.some((tool) => tool.status === "done")) {
		item.append(el("p", { className: "account-source", textContent: "From your account" }));
	}
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
	if (marks && message.role === "assistant" && message.status === "complete") item.append(answerMarks(message.id, marks));
	return item;
}

/** "Was this helpful?" under an answer: two toggle buttons, the user's choice pressed. */
function answerMarks(messageId: string, marks: AnswerMarks): HTMLElement {
	const current = marks.markOf(messageId);
	const button = (helpful: boolean, label: string, symbol: string) => {
		const node = el("button", { type: "button", className: "mark", textContent: symbol, ariaLabel: label, title: label });
		node.setAttribute("aria-pressed", String(current === helpful));
		node.dataset.helpful = String(helpful);
		node.addEventListener("click", () => marks.mark(messageId, helpful));
		return node;
	};
	return el(
		"div",
		{ className: "marks", role: "group", ariaLabel: "Was this answer helpful?" },
		button(true, "Helpful", "👍"),
		button(false, "Not helpful", "👎"),
	);
}

/**
 * An agent's avatar: the initials of their name.
 * @example initials("Dana Reyes") // "DR"
 */
export function initials(name: string): string {
	const letters = name
		.trim()
		.split(/\s+/)
		.map((word) => [...word][0] ?? "")
		.filter(Boolean);
	return (letters.length > 1 ? `${letters[0]}${letters.at(-1)}` : (letters[0] ?? "?")).toUpperCase();
}

/** `card`: the confirmation card for a turn waiting for the user's answer (account.ts), if any. */
export function renderStreaming(reply: StreamingReply, card?: (reply: StreamingReply) => HTMLElement | undefined): HTMLElement {
	const item = el("li", { className: `message assistant pending ${reply.state}` });
	item.dataset.role = "assistant";
	item.dataset.turn = reply.turn;
	item.dataset.state = reply.state;
	item.setAttribute("aria-busy", "true");
	item.append(el("p", { className: "text", textContent: reply.text || (reply.line ? lineLabel(reply.line) : STATE_LABELS[reply.state]) }));
	const confirmation = card?.(reply);
	if (confirmation) item.append(confirmation);
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
