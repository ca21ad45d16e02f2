/**
 * The widget's side of identified users (CONTRACT §2, §8): which user token
 * the page was given, the confirmation card for a back-office write, and,
 * in development only, a demo sign-in as one of the sample back office's
 * users.
 *
 * The integrator's page passes the signed user token in the link that opens
 * the chat, as a fragment (never sent to any server, and removed from the
 * address bar at once):
 *
 *   https://support.example.com/#userToken=<JWT from your backend>
 *
 * or, where the widget's script is included in a page, before it loads:
 *
 *   <script>window.supportChatConfig = { userToken: "<JWT from your backend>" };</script>
 *
 * Each user gets a session of their own (and anonymous visitors theirs), kept
 * under a storage key of its own, so signing in or out never mixes two
 * people's conversations.
 */
import type { ChatApi, SessionRef, StreamingReply } from "../sdk";
import { ProblemError } from "../sdk";
import { el } from "./render";

/** The tab's user token (from the link or the demo sign-in): per tab, gone when it closes. */
const TOKEN_KEY = "support-chat.user-token";

declare global {
	interface Window {
		supportChatConfig?: { userToken?: string };
	}
}

/** The user token the page was given (or the demo sign-in's), and the session storage key for that user. */
export function pageIdentity(): { userToken?: string; sessionKey: string } {
	const linked = new URLSearchParams(location.hash.slice(1)).get("userToken");
	if (linked) {
		sessionStorage.setItem(TOKEN_KEY, linked);
		// Out of the address bar and the history: a copied link must not carry it.
		history.replaceState(null, "", location.pathname + location.search);
	}
	const token = window.supportChatConfig?.userToken ?? sessionStorage.getItem(TOKEN_KEY) ?? undefined;
	const subject = token ? subjectOf(token) : undefined;
	if (!token || !subject) return { sessionKey: "support-chat.session" };
	return { userToken: token, sessionKey: `support-chat.session.user.${subject}` };
}

/** The token's `sub`, read without verifying (the server verifies): only to keep each user's session apart. */
function subjectOf(token: string): string | undefined {
	try {
		const payload = token.split(".")[1] ?? "";
		const claims: unknown = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/")));
		const sub = typeof claims === "object" && claims !== null && "sub" in claims ? claims.sub : undefined;
		return typeof sub === "string" && /^[\w.@:-]{1,128}$/.test(sub) ? sub : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Development only: buttons that sign the demo in as a sample user (the server mints the token,
 * and answers 404 in production, where the bar stays hidden).
 */
export async function wireDemoSignIn(bar: HTMLElement, signedInAs: string | undefined): Promise<void> {
	const probe = await fetch("/api/dev/user-token").catch(() => undefined);
	if (!probe?.ok) return;
	const choose = async (userId: string | null) => {
		if (userId === null) sessionStorage.removeItem(TOKEN_KEY);
		else {
			const response = await fetch("/api/dev/user-token", {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ userId }),
			});
			if (!response.ok) return;
			const { userToken } = (await response.json()) as { userToken: string };
			sessionStorage.setItem(TOKEN_KEY, userToken);
		}
		location.reload();
	};
	const button = (label: string, userId: string | null) => {
		const node = el("button", { type: "button", textContent: label });
		node.setAttribute("aria-pressed", String((signedInAs ?? null) === userId));
		node.addEventListener("click", () => void choose(userId));
		return node;
	};
	bar.replaceChildren(
		el("span", { textContent: "Demo sign-in:" }),
		button("Ada (usr_ada)", "usr_ada"),
		button("Grace (usr_grace)", "usr_grace"),
		button("Anonymous", null),
	);
	bar.hidden = false;
}

/**
 * The confirmation card of a turn waiting for the user (CONTRACT §8): what will happen, Approve,
 * Decline. The answer goes over HTTP (it survives a socket that is reconnecting); the server's
 * next `status` frame takes the card away.
 */
export class Confirmations {
	readonly #answering = new Set<string>();

	constructor(
		private readonly api: ChatApi,
		private readonly session: SessionRef,
		private readonly notice: HTMLElement,
		private readonly changed: () => void,
	) {}

	card(reply: StreamingReply): HTMLElement | undefined {
		const confirmation = reply.confirmation;
		if (reply.state !== "confirming" || !confirmation) return undefined;
		const busy = this.#answering.has(confirmation.callId);
		const button = (label: string, approve: boolean) => {
			const node = el("button", { type: "button", textContent: label, className: approve ? "approve" : "decline", disabled: busy });
			node.addEventListener("click", () => void this.#answer(confirmation.callId, approve));
			return node;
		};
		return el(
			"section",
			{ className: "confirm-card", ariaLabel: "Confirm this action" },
			el("h3", { textContent: "Confirm this action" }),
			el("p", { className: "confirm-summary", textContent: confirmation.summary }),
			el("div", { className: "confirm-actions" }, button("Approve", true), button("Decline", false)),
		);
	}

	async #answer(callId: string, approve: boolean): Promise<void> {
		if (this.#answering.has(callId)) return;
		this.#answering.add(callId);
		this.changed();
		try {
			await this.api.confirm(this.session, callId, approve);
			this.notice.textContent = "";
		} catch (error) {
			this.#answering.delete(callId);
			this.notice.textContent =
				error instanceof ProblemError && error.status === 404
					? "That request has expired. Ask again if you still want it."
					: "Your answer could not be sent. Please try again.";
			this.changed();
		}
	}
}
