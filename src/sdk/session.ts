/**
 * Starts or resumes a session whose token is kept in storage, so a reload (or
 * a new tab, or the next run of a script) continues the same conversation
 * until the token expires.
 */
import type { CreateSession } from "../shared/schemas/http";
import type { ChatApi } from "./api";
import { type SessionCreated, sessionCreatedSchema } from "./responses";
import type { KeyValueStore } from "./storage";

export const SESSION_KEY = "support-chat.session";
/** Start a fresh session a little before the token would expire mid-conversation. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The stored session while its token is fresh, else a new one (stored).
 * @example const session = await resumeSession(api, browserStorage());
 */
export async function resumeSession(
	api: ChatApi,
	storage: KeyValueStore,
	key = SESSION_KEY,
	body?: CreateSession,
): Promise<SessionCreated> {
	const stored = readSession(storage, key);
	if (stored && Date.parse(stored.expiresAt) - EXPIRY_MARGIN_MS > Date.now()) return stored;
	const created = await api.createSession(body);
	try {
		storage.setItem(key, JSON.stringify(created));
	} catch {
		// Storage full or refused: the session still works, for this page or process only.
	}
	return created;
}

export function forgetSession(storage: KeyValueStore, key = SESSION_KEY): void {
	storage.removeItem(key);
}

function readSession(storage: KeyValueStore, key: string): SessionCreated | undefined {
	try {
		const parsed = sessionCreatedSchema.safeParse(JSON.parse(storage.getItem(key) ?? "null"));
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined;
	}
}
