/**
 * The console's queue: one button per conversation (waiting time, reason, the
 * last message's start, who holds it), redrawn on every poll. Items are kept
 * by session id and updated in place, so a poll never takes keyboard focus
 * away from the item an agent is on, and moves an item only when the order
 * really changed.
 */
import type { Assignee, Conversation } from "../sdk";
import { assigneeLabel, authorLabel, excerpt, reasonLabel, sinceLabel, userLabel } from "./agent-labels";
import { el } from "./render";

interface Item {
	li: HTMLLIElement;
	button: HTMLButtonElement;
	lines: HTMLSpanElement[];
}

/**
 * @example
 * const queue = new QueueList(list, (id) => open(id));
 * queue.render(conversations, { selected: null, me: null });
 */
export class QueueList {
	readonly #list: HTMLUListElement;
	readonly #onSelect: (sessionId: string) => void;
	readonly #items = new Map<string, Item>();
	readonly #empty = el("li", { className: "queue-empty", textContent: "No conversations here." });

	constructor(list: HTMLUListElement, onSelect: (sessionId: string) => void) {
		this.#list = list;
		this.#onSelect = onSelect;
	}

	/** Shows these conversations in this order; `selected` is marked as the current one. */
	render(conversations: Conversation[], view: { selected: string | null; me: Assignee | null }, now = Date.now()): void {
		const wanted = conversations.map((conversation) => this.#update(conversation, view, now));
		const keep = new Set(wanted.map((item) => item.li));
		const hadFocus = this.#list.contains(document.activeElement);
		for (const [id, item] of this.#items) {
			if (keep.has(item.li)) continue;
			item.li.remove();
			this.#items.delete(id);
		}
		if (wanted.length === 0) this.#list.replaceChildren(this.#empty);
		else this.#empty.remove();
		wanted.forEach((item, index) => {
			const at = this.#list.children[index];
			if (at !== item.li) this.#list.insertBefore(item.li, at ?? null);
		});
		// The focused item left the list (claimed by someone, resolved): keep focus in the queue, not on <body>.
		if (hadFocus && !this.#list.contains(document.activeElement)) this.#list.focus();
	}

	/** Forgets every item (signed out). */
	clear(): void {
		this.#items.clear();
		this.#list.replaceChildren();
	}

	#update(conversation: Conversation, view: { selected: string | null; me: Assignee | null }, now: number): Item {
		const item = this.#items.get(conversation.sessionId) ?? this.#create(conversation.sessionId);
		const last = conversation.lastMessage;
		const texts = [
			userLabel(conversation.user),
			`${sinceLabel(conversation, now)}. ${reasonLabel(conversation.reason)}.`,
			last ? `${authorLabel(last)}: ${excerpt(last.text)}` : "No messages yet.",
			`${assigneeLabel(conversation.assignee, view.me)}. Session ${conversation.sessionId}`,
		];
		texts.forEach((text, i) => {
			const line = item.lines[i];
			if (line && line.textContent !== text) line.textContent = text;
		});
		const current = conversation.sessionId === view.selected;
		item.button.setAttribute("aria-current", String(current));
		item.li.classList.toggle("selected", current);
		item.li.dataset.status = conversation.status;
		item.li.dataset.held = conversation.assignee ? "true" : "false";
		return item;
	}

	#create(sessionId: string): Item {
		const lines = ["who", "since", "last", "holder"].map((name) => el("span", { className: `queue-${name}` }));
		const button = el("button", { type: "button", className: "queue-item" }, ...lines);
		button.addEventListener("click", () => this.#onSelect(sessionId));
		const li = el("li", {}, button);
		li.dataset.sessionId = sessionId;
		const item = { li, button, lines };
		this.#items.set(sessionId, item);
		return item;
	}
}
