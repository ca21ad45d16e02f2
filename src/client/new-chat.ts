/**
 * The widget's "New chat" control (issue 17). Starting over erases the
 * current conversation on the server, so the page first asks in plain words
 * (an in-page alert dialog, not `window.confirm`, which headless browsers and
 * some embedders block) and forgets the session locally only once the server
 * has confirmed the erasure. A failed erasure is said, and the conversation is
 * kept, so the user can try again instead of leaving it stored unknowingly.
 */
import { type ChatApi, ProblemError, ProtocolError, type SessionRef } from "../sdk";

/** The dialog's parts, from public/index.html. */
export interface NewChatElements {
	open: HTMLButtonElement;
	dialog: HTMLDialogElement;
	confirm: HTMLButtonElement;
	cancel: HTMLButtonElement;
	/** Live region inside the dialog: progress, then the reason a deletion failed. */
	status: HTMLElement;
}

export interface NewChatOptions {
	api: ChatApi;
	session: SessionRef;
	/** Runs once the server no longer holds the session: forget it locally and start afresh. */
	onErased: () => void;
}

/**
 * Erases the session on the server. A 404 means it is already gone, which is
 * what the user asked for, so it counts as done.
 * @example await eraseSession(api, session);
 */
export async function eraseSession(api: ChatApi, session: SessionRef): Promise<void> {
	try {
		await api.deleteSession(session);
	} catch (error) {
		if (error instanceof ProblemError && error.status === 404) return;
		throw error;
	}
}

/** Wires the control: open asks, cancel keeps everything, confirm erases and then hands over to `onErased`. */
export function wireNewChat(parts: NewChatElements, options: NewChatOptions): void {
	const { open, dialog, confirm, cancel, status } = parts;
	let busy = false;
	const setBusy = (value: boolean) => {
		busy = value;
		confirm.disabled = value;
		cancel.disabled = value;
	};

	open.addEventListener("click", () => {
		status.textContent = "";
		// Modal: the conversation behind it is inert while the user decides.
		dialog.showModal();
		// The safe choice has the focus, so a stray Enter keeps the conversation.
		cancel.focus();
	});
	cancel.addEventListener("click", () => dialog.close());
	dialog.addEventListener("cancel", (event) => {
		// Escape must not hide a deletion that is already under way; its outcome is shown in the dialog.
		if (busy) event.preventDefault();
	});
	dialog.addEventListener("close", () => open.focus());

	confirm.addEventListener("click", async () => {
		if (busy) return;
		setBusy(true);
		status.textContent = "Deleting this conversation…";
		try {
			await eraseSession(options.api, options.session);
		} catch (error) {
			setBusy(false);
			status.textContent = eraseFailure(error);
			return;
		}
		status.textContent = "Deleted. Starting a new chat…";
		options.onErased();
	});
}

/** What the dialog says when the server did not erase the conversation; it is kept either way. */
function eraseFailure(error: unknown): string {
	const kept = "It is still here, and you can try again.";
	if (error instanceof ProblemError) return `Could not delete this conversation (HTTP ${error.status}). ${kept}`;
	if (error instanceof ProtocolError) return `Could not delete this conversation (unexpected answer). ${kept}`;
	// A TypeError from fetch (offline, connection refused) or the request's deadline.
	return `Could not reach the server to delete this conversation. ${kept}`;
}
