/**
 * Every session the virtual users opened, with the message ids that got a
 * 202 and the sockets that listened, for the end-of-run audit.
 */
import type { ChatSession, ChatSocket } from "../lib/chat-client";

export interface SessionRecord {
	readonly session: ChatSession;
	/** Which behaviour used it, e.g. "quick" or "dropped". */
	readonly kind: string;
	readonly accepted: string[];
	readonly sockets: ChatSocket[];
	/** The iteration ran to its end, so its sockets should have seen every committed message. */
	finished: boolean;
}

/** Far above what any run here opens; a runaway loop fails loudly instead of eating memory. */
const MAX_SESSIONS = 200_000;

export class SessionLog {
	readonly #records: SessionRecord[] = [];
	#frozen = false;

	open(session: ChatSession, kind: string): SessionRecord {
		if (this.#records.length >= MAX_SESSIONS) throw new Error(`more than ${MAX_SESSIONS} sessions`);
		const record: SessionRecord = { session, kind, accepted: [], sockets: [], finished: false };
		if (!this.#frozen) this.#records.push(record);
		return record;
	}

	/** Records a message id the server answered 202 for. */
	accept(record: SessionRecord, id: string): void {
		if (!this.#frozen) record.accepted.push(id);
	}

	attach(record: SessionRecord, socket: ChatSocket): void {
		// A socket opened after the load phase would never be closed by anyone.
		if (this.#frozen) socket.terminate();
		else record.sockets.push(socket);
	}

	finish(record: SessionRecord): void {
		if (!this.#frozen) record.finished = true;
	}

	/** Ends the load phase: later results belong to abandoned iterations. */
	freeze(): void {
		this.#frozen = true;
	}

	/** Drops every socket still open (abandoned iterations); harmless on closed ones. */
	terminateAll(): void {
		for (const record of this.#records) for (const socket of record.sockets) socket.terminate();
	}

	get all(): readonly SessionRecord[] {
		return this.#records;
	}
}
