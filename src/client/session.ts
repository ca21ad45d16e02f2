/**
 * Starts or resumes the visitor's session: the token lives in localStorage,
 * so a reload (or a new tab) continues the same conversation until the
 * token expires.
 */

export interface StoredSession {
	sessionId: string;
	token: string;
	expiresAt: string;
}

const KEY = "support-chat.session";
/** Start a fresh session a little before the token would expire mid-conversation. */
const EXPIRY_MARGIN_MS = 60_000;

export async function startSession(storage: Storage, origin: string): Promise<StoredSession> {
	const stored = read(storage);
	if (stored && Date.parse(stored.expiresAt) - EXPIRY_MARGIN_MS > Date.now()) return stored;
	const response = await fetch(`${origin}/api/sessions`, { method: "POST" });
	if (!response.ok) throw new Error(`Could not start a chat (HTTP ${response.status}).`);
	const created: unknown = await response.json();
	if (!isSession(created)) throw new Error("Could not start a chat (unexpected answer).");
	storage.setItem(KEY, JSON.stringify(created));
	return created;
}

export function forgetSession(storage: Storage): void {
	storage.removeItem(KEY);
}

function read(storage: Storage): StoredSession | undefined {
	try {
		const value: unknown = JSON.parse(storage.getItem(KEY) ?? "null");
		return isSession(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

function isSession(value: unknown): value is StoredSession {
	return (
		typeof value === "object" &&
		value !== null &&
		"sessionId" in value &&
		typeof value.sessionId === "string" &&
		"token" in value &&
		typeof value.token === "string" &&
		"expiresAt" in value &&
		typeof value.expiresAt === "string"
	);
}
