/** An in-memory `localStorage` stand-in for the outbox, shared by the client tests. */
import type { KeyValueStore } from "../../src/client/outbox";

export function memoryStore(): KeyValueStore & { data: Map<string, string> } {
	const data = new Map<string, string>();
	return {
		data,
		getItem: (key) => data.get(key) ?? null,
		setItem: (key, value) => void data.set(key, value),
		removeItem: (key) => void data.delete(key),
	};
}
