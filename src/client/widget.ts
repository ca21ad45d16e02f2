/**
 * The chat widget page: starts or resumes the session and keeps the socket
 * alive through the SDK (src/sdk), and renders the transcript, the replies
 * in progress, the unsent outbox and the connection status.
 */
import {
	ChatApi,
	ChatConnection,
	type ConnectionHost,
	forgetSession,
	newClientId,
	Outbox,
	ProblemError,
	ProtocolError,
	resumeSession,
	type SessionCreated,
} from "../sdk";
import { Confirmations, pageIdentity, wireDemoSignIn } from "./account";
import { wireNewChat } from "./new-chat";
import { People } from "./people";
import { connectionLabel, renderMessage, renderPending, renderStreaming } from "./render";

const MAX_TEXT = 2000;

/** The real browser around the connection: its network state, its tab visibility. */
const browserHost: ConnectionHost = {
	isOnline: () => navigator.onLine,
	on(event, listener) {
		if (event !== "visible") addEventListener(event, listener);
		else
			document.addEventListener("visibilitychange", () => {
				if (document.visibilityState === "visible") listener();
			});
	},
};

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
	const node = document.getElementById(id);
	if (!(node instanceof type)) throw new Error(`#${id} missing`);
	return node;
}

async function main(): Promise<void> {
	// Until the session is ready, a submit must never fall through to a native form post (a reload that loses the text).
	byId("composer", HTMLFormElement).addEventListener("submit", (event) => event.preventDefault());
	const log = byId("transcript", HTMLOListElement);
	const summaryBox = byId("summary", HTMLDetailsElement);
	const summaryText = byId("summary-text", HTMLParagraphElement);
	const unsent = byId("outbox", HTMLOListElement);
	const status = byId("connection", HTMLElement);
	const notice = byId("notice", HTMLElement);
	const form = byId("composer", HTMLFormElement);
	const input = byId("message", HTMLTextAreaElement);
	const send = byId("send", HTMLButtonElement);

	const api = new ChatApi({ baseUrl: location.origin });
	const identity = pageIdentity();
	let session: SessionCreated;
	try {
		session = await resumeSession(
			api,
			localStorage,
			identity.sessionKey,
			identity.userToken ? { userToken: identity.userToken } : undefined,
		);
	} catch (error) {
		status.textContent = startFailure(error);
		return;
	}
	const outboxKey = `support-chat.outbox.${session.sessionId}`;
	const outbox = new Outbox(localStorage, outboxKey);

	let rendered = "";
	/** Bumped when the user marks an answer, so the transcript is drawn again with the mark pressed. */
	let marksVersion = 0;
	const render = () => {
		// Rebuild only when something visible changed; the transcript is small and bounded.
		const messages = transcript.messages;
		const streaming = transcript.streaming;
		const key = JSON.stringify([
			messages.length,
			messages.at(-1)?.seq,
			streaming.map((s) => [s.turn, s.state, s.text.length, s.confirmation?.callId]),
			outbox.items.length,
			transcript.summary?.throughSeq,
			marksVersion,
		]);
		if (key !== rendered) {
			rendered = key;
			const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
			log.replaceChildren(
				...messages.map((m) => renderMessage(m, people)),
				...streaming.map((s) => renderStreaming(s, (r) => confirmations.card(r))),
			);
			unsent.replaceChildren(...outbox.items.map(renderPending));
			unsent.hidden = outbox.items.length === 0;
			// Shown collapsed: the transcript above it stays the record; the summary is what the assistant remembers.
			summaryBox.hidden = transcript.summary === null;
			summaryText.textContent = transcript.summary?.text ?? "";
			if (atBottom) log.scrollTop = log.scrollHeight;
			people.update(messages, outbox.items.length);
		}
		status.textContent = connectionLabel(connection.state);
		status.dataset.state = connection.state.kind;
		send.disabled = outbox.full;
		if (outbox.full) notice.textContent = "Too many unsent messages: wait until you're back online.";
		document.body.dataset.reconnects = String(connection.stats.reconnects);
	};

	// `?heartbeatMs=…&pongTimeoutMs=…` shortens the heartbeat, for diagnosing flaky networks (and for the tests).
	const params = new URLSearchParams(location.search);
	const timing = (name: string) => {
		const value = Number(params.get(name));
		return Number.isInteger(value) && value >= 100 ? { [name]: value } : {};
	};
	const connection = new ChatConnection({
		...timing("heartbeatMs"),
		...timing("pongTimeoutMs"),
		url: api.socketUrl(session.sessionId),
		token: session.token,
		host: browserHost,
		outbox,
	});
	const transcript = connection.transcript;
	const confirmations = new Confirmations(api, session, notice, () => {
		rendered = "";
		render();
	});
	void wireDemoSignIn(byId("demo-sign-in", HTMLElement), identity.userToken ? identity.sessionKey.split(".").at(-1) : undefined);
	connection.on("change", render);
	connection.on("notice", (text) => {
		notice.textContent = text;
	});
	// The countdown in "Reconnecting in N s" needs a tick of its own.
	setInterval(() => {
		if (connection.state.kind === "reconnecting") render();
	}, 250);
	// Exposed for diagnostics and the browser tests: reconnects, last round trip.
	Object.assign(window, { chatStats: connection.stats, chatSession: { sessionId: session.sessionId } });

	/** Queues `text` as the user's message; false (with a notice) when it cannot be. */
	const sendText = (text: string): boolean => {
		if (text.length > MAX_TEXT) {
			notice.textContent = `Messages can be at most ${MAX_TEXT} characters.`;
			return false;
		}
		if (!outbox.add({ id: newClientId(), text, createdAt: new Date().toISOString() })) {
			notice.textContent = "Too many unsent messages: wait until you're back online.";
			return false;
		}
		notice.textContent = "";
		people.wrote();
		render();
		connection.flush();
		return true;
	};
	const people = new People(
		api,
		session,
		{
			talk: byId("talk-to-person", HTMLButtonElement),
			banner: byId("people-status", HTMLElement),
			welcome: byId("welcome", HTMLElement),
			suggestions: byId("suggestions", HTMLUListElement),
			offer: byId("person-offer", HTMLElement),
			offerButton: byId("person-offer-button", HTMLButtonElement),
			rating: byId("rating", HTMLFormElement),
			ratingStatus: byId("rating-status", HTMLElement),
			notice,
		},
		(text) => sendText(text),
		() => {
			marksVersion++;
			render();
		},
	);
	void people.start();

	form.addEventListener("submit", (event) => {
		event.preventDefault();
		const text = input.value.trim();
		if (!text) return;
		if (sendText(text)) input.value = "";
	});
	input.addEventListener("keydown", (event) => {
		if (event.key === "Enter" && !event.shiftKey) {
			event.preventDefault();
			form.requestSubmit();
		}
	});
	wireNewChat(
		{
			open: byId("new-chat", HTMLButtonElement),
			dialog: byId("new-chat-dialog", HTMLDialogElement),
			confirm: byId("new-chat-confirm", HTMLButtonElement),
			cancel: byId("new-chat-cancel", HTMLButtonElement),
			status: byId("new-chat-status", HTMLElement),
		},
		{
			api,
			session,
			onErased: () => {
				// The server has erased it: no reconnect to it, and no text of it (sent or unsent) left in this browser.
				connection.stop();
				forgetSession(localStorage, identity.sessionKey);
				localStorage.removeItem(outboxKey);
				location.reload();
			},
		},
	);
	connection.start();
	render();
}

/** What the page says when no session could be started. */
function startFailure(error: unknown): string {
	if (error instanceof ProblemError) return `Could not start a chat (HTTP ${error.status}).`;
	if (error instanceof ProtocolError) return "Could not start a chat (unexpected answer).";
	return error instanceof Error ? error.message : "Could not start a chat.";
}

void main();
