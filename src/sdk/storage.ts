/**
 * Where the SDK keeps what must outlive a page or a process (the session,
 * the unsent outbox): a tiny synchronous key-value interface, the shape of
 * the browser's `Storage`. `localStorage` fits as it is; `memoryStorage` is
 * for tests and short-lived tools; `fileStorage` (Node only) is in
 * src/sdk/node.ts so the browser bundle never sees `node:fs`.
 */

export interface KeyValueStore {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

/**
 * An in-memory store; `data` is exposed for tests.
 * @example const outbox = new Outbox(memoryStorage(), "outbox");
 */
export function memoryStorage(): KeyValueStore & { data: Map<string, string> } {
	const data = new Map<string, string>();
	return {
		data,
		getItem: (key) => data.get(key) ?? null,
		setItem: (key, value) => void data.set(key, value),
		removeItem: (key) => void data.delete(key),
	};
}

/**
 * The browser's `localStorage`, or a memory store where it is missing or
 * refused (Node, some private modes, sandboxed iframes).
 */
export function browserStorage(): KeyValueStore {
	try {
		const storage = Reflect.get(globalThis, "localStorage");
		if (isStore(storage)) return storage;
	} catch {
		// A sandboxed iframe throws a SecurityError on the mere lookup of localStorage.
	}
	return memoryStorage();
}

function isStore(value: unknown): value is KeyValueStore {
	return typeof value === "object" && value !== null && "getItem" in value && "setItem" in value && "removeItem" in value;
}
