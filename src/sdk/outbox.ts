/**
 * Messages typed but not yet confirmed by the server, in order, with their
 * client-generated ids. Bounded (a full outbox refuses more, and the page
 * says so) and persisted, so a reload or a crash loses nothing; resending
 * after a reconnect is harmless because the server is idempotent on ids.
 */
import type { KeyValueStore } from "./storage";

export const OUTBOX_LIMIT = 100;

export interface PendingMessage {
	id: string;
	text: string;
	createdAt: string;
}

export class Outbox {
	readonly #store: KeyValueStore;
	readonly #key: string;
	readonly #limit: number;
	#items: PendingMessage[];

	constructor(store: KeyValueStore, key: string, limit = OUTBOX_LIMIT) {
		this.#store = store;
		this.#key = key;
		this.#limit = limit;
		this.#items = load(store, key).slice(0, limit);
	}

	get items(): readonly PendingMessage[] {
		return this.#items;
	}

	get full(): boolean {
		return this.#items.length >= this.#limit;
	}

	/** Adds a message; false when the outbox is full. */
	add(message: PendingMessage): boolean {
		if (this.full) return false;
		if (this.#items.some((m) => m.id === message.id)) return true;
		this.#items.push(message);
		this.#save();
		return true;
	}

	/** The server confirmed (or refused for good) this id. */
	remove(id: string): void {
		const before = this.#items.length;
		this.#items = this.#items.filter((m) => m.id !== id);
		if (this.#items.length !== before) this.#save();
	}

	#save(): void {
		try {
			if (this.#items.length === 0) this.#store.removeItem(this.#key);
			else this.#store.setItem(this.#key, JSON.stringify(this.#items));
		} catch {
			// Storage full or disabled (private mode): the outbox still works for this page's lifetime.
		}
	}
}

function load(store: KeyValueStore, key: string): PendingMessage[] {
	try {
		const value: unknown = JSON.parse(store.getItem(key) ?? "[]");
		if (!Array.isArray(value)) return [];
		return value.filter(
			(m): m is PendingMessage =>
				typeof m === "object" && m !== null && typeof m.id === "string" && typeof m.text === "string" && typeof m.createdAt === "string",
		);
	} catch {
		return [];
	}
}

/**
 * A client-generated message id matching the contract's `^[A-Za-z0-9_-]{1,64}$`.
 * @example newClientId() // "c_3f9a…"
 */
export function newClientId(prefix = "c"): string {
	return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}
