/**
 * The SDK for Node: everything of the browser entry plus `fileStorage`, a
 * `KeyValueStore` kept in one JSON file, so a script's session and unsent
 * messages survive a restart. Kept out of src/sdk/index.ts so the browser
 * bundle never imports `node:fs`.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { KeyValueStore } from "./storage";

export * from ".";

/**
 * A store in one JSON file, written through a temporary file and a rename so
 * a crash mid-write leaves the previous contents. Reads the file once.
 * @example const storage = fileStorage(".chat-state.json");
 */
export function fileStorage(path: string): KeyValueStore {
	const data = new Map<string, string>();
	try {
		const json: unknown = JSON.parse(readFileSync(path, "utf8"));
		if (typeof json === "object" && json !== null)
			for (const [key, value] of Object.entries(json)) if (typeof value === "string") data.set(key, value);
	} catch {
		// Missing or corrupt: start empty, as localStorage would.
	}
	const save = () => {
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(`${path}.tmp`, JSON.stringify(Object.fromEntries(data)));
		renameSync(`${path}.tmp`, path);
	};
	return {
		getItem: (key) => data.get(key) ?? null,
		setItem(key, value) {
			data.set(key, value);
			save();
		},
		removeItem(key) {
			if (data.delete(key)) save();
		},
	};
}
