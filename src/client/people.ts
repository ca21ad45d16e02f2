/**
 * The widget's side of the people behind the assistant (CONTRACT §7): the welcome with popular
 * questions on an empty chat, the "Talk to a person" control, the visible waiting state while
 * people answer, the marks on each answer (an unhelpful one offers a person), and the rating asked
 * for once an agent resolves the conversation.
 *
 * The session's status is the server's: it is read at start and again whenever a `system`
 * message arrives, since every change of hands comes with one (handed over, joined, handed back,
 * resolved).
 */
import type { ChatApi, Message, SessionInfo, SessionRef } from "../sdk";
import { type AnswerMarks, el } from "./render";

export interface PeopleElements {
	talk: HTMLButtonElement;
	banner: HTMLElement;
	welcome: HTMLElement;
	suggestions: HTMLUListElement;
	offer: HTMLElement;
	offerButton: HTMLButtonElement;
	rating: HTMLFormElement;
	ratingStatus: HTMLElement;
	notice: HTMLElement;
}

export class People implements AnswerMarks {
	readonly #api: ChatApi;
	readonly #session: SessionRef;
	readonly #ui: PeopleElements;
	readonly #ask: (text: string) => void;
	readonly #changed: () => void;
	readonly #marks = new Map<string, boolean>();
	#status: SessionInfo["status"] = "open";
	#assignee: SessionInfo["assignee"] = null;
	#lastSystemSeq = 0;
	#rated = false;

	/** `ask` sends a suggested question as the user's own; `changed` re-renders what depends on the marks. */
	constructor(api: ChatApi, session: SessionRef, ui: PeopleElements, ask: (text: string) => void, changed: () => void) {
		this.#api = api;
		this.#session = session;
		this.#ui = ui;
		this.#ask = ask;
		this.#changed = changed;
		ui.talk.addEventListener("click", () => void this.#handOff());
		ui.offerButton.addEventListener("click", () => void this.#handOff());
		ui.rating.addEventListener("submit", (event) => {
			event.preventDefault();
			void this.#rate();
		});
	}

	/** Reads the session's status, and fills the welcome's suggestions (they may be none yet). */
	async start(): Promise<void> {
		await this.#refresh();
		try {
			const { questions } = await this.#api.popularQuestions(4);
			this.#ui.suggestions.replaceChildren(
				...questions.map(({ text }) => {
					const button = el("button", { type: "button", textContent: text, className: "suggestion" });
					button.addEventListener("click", () => this.#ask(text));
					return el("li", {}, button);
				}),
			);
		} catch {
			// Suggestions are a convenience: the welcome stands without them.
		}
	}

	/** After each render: the welcome on an empty chat, and a status read when a new `system` message arrived. */
	update(messages: readonly Message[], pending: number): void {
		this.#ui.welcome.hidden = messages.length > 0 || pending > 0;
		const lastSystem = messages.findLast((m) => m.role === "system");
		if (lastSystem && lastSystem.seq > this.#lastSystemSeq) {
			this.#lastSystemSeq = lastSystem.seq;
			void this.#refresh();
		}
	}

	/** The user wrote: a resolved conversation reopens for the assistant (CONTRACT §7). */
	wrote(): void {
		if (this.#status === "closed") {
			this.#status = "open";
			this.#show();
		}
	}

	markOf(messageId: string): boolean | undefined {
		return this.#marks.get(messageId);
	}

	mark(messageId: string, helpful: boolean): void {
		this.#marks.set(messageId, helpful);
		this.#changed();
		this.#ui.offer.hidden = helpful || this.#status !== "open";
		void this.#api.sendFeedback(this.#session, { messageId, helpful }).catch(() => {
			this.#ui.notice.textContent = "Your feedback could not be sent.";
		});
	}

	async #handOff(): Promise<void> {
		this.#ui.talk.disabled = true;
		try {
			await this.#api.requestHandoff(this.#session);
			this.#ui.offer.hidden = true;
			await this.#refresh();
		} catch {
			this.#ui.notice.textContent = "Could not reach a person just now; please try again.";
		} finally {
			this.#ui.talk.disabled = false;
		}
	}

	async #rate(): Promise<void> {
		const data = new FormData(this.#ui.rating);
		const rating = Number(data.get("rating"));
		if (!(rating >= 1 && rating <= 5)) {
			this.#ui.ratingStatus.textContent = "Choose a rating from 1 to 5.";
			return;
		}
		const comment = String(data.get("comment") ?? "").trim();
		try {
			await this.#api.sendFeedback(this.#session, comment ? { rating, comment } : { rating });
			this.#rated = true;
			this.#ui.ratingStatus.textContent = "Thank you for your rating!";
			for (const control of this.#ui.rating.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLTextAreaElement>(
				"input, button, textarea",
			)) {
				control.disabled = true;
			}
		} catch {
			this.#ui.ratingStatus.textContent = "Your rating could not be sent; please try again.";
		}
	}

	async #refresh(): Promise<void> {
		try {
			const info = await this.#api.getSession(this.#session);
			this.#status = info.status;
			this.#assignee = info.assignee;
		} catch {
			return;
		}
		this.#show();
	}

	#show(): void {
		const { banner, talk, rating, offer } = this.#ui;
		const escalated = this.#status === "escalated";
		talk.hidden = escalated;
		if (escalated) offer.hidden = true;
		banner.hidden = !escalated;
		banner.textContent = this.#assignee
			? `${this.#assignee.name} from the support team is with you.`
			: "Waiting for a person. A person will reply here; you can close this page and come back.";
		// Asked for once the conversation is resolved, and kept (thanked) once given.
		rating.hidden = this.#status !== "closed" && !this.#rated;
	}
}
