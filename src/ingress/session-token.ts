/**
 * Session tokens: `v1.<sessionId>.<expiresAtEpochSeconds>.<hmac>`, signed with
 * HMAC-SHA-256 over the first three parts. Verification is stateless and
 * constant-time (`crypto.subtle.verify`).
 */
import { LRUCache } from "lru-cache";
import { base64url, fromBase64url } from "../shared/base64url";
import { hmacKey } from "../shared/hash";

const encoder = new TextEncoder();

/**
 * Signs a token for one session.
 * @example await signSessionToken("secret", "ses_1", new Date(Date.now() + 3600_000))
 */
export async function signSessionToken(secret: string, sessionId: string, expiresAt: Date): Promise<string> {
	const payload = `v1.${sessionId}.${Math.floor(expiresAt.getTime() / 1000)}`;
	const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(payload));
	return `${payload}.${base64url(signature)}`;
}

export type TokenCheck = { ok: true; sessionId: string } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/**
 * Tokens whose signature this isolate has checked, per secret, with their session and expiry
 * (seconds): a session's every POST and reconnect presents the same token, and the HMAC check
 * was the accept path's largest cost after the hub itself (bench/overhead.ts). Only valid
 * signatures are kept, so a forged token is checked every time. Bounded, least recently used out.
 */
const verified = new LRUCache<string, { secret: string; sessionId: string; expires: number }>({ max: 4096 });

/** Checks the signature first, then the expiry; never throws. */
export async function verifySessionToken(secret: string, token: string, now = Date.now()): Promise<TokenCheck> {
	const known = verified.get(token);
	if (known?.secret === secret)
		return known.expires * 1000 <= now ? { ok: false, reason: "expired" } : { ok: true, sessionId: known.sessionId };
	const parts = token.split(".");
	if (parts.length !== 4 || parts[0] !== "v1") return { ok: false, reason: "malformed" };
	const [version, sessionId, expires, signature] = parts as [string, string, string, string];
	const signatureBytes = fromBase64url(signature);
	if (!signatureBytes || !/^\d{1,12}$/.test(expires)) return { ok: false, reason: "malformed" };
	const valid = await crypto.subtle.verify(
		"HMAC",
		await hmacKey(secret),
		signatureBytes,
		encoder.encode(`${version}.${sessionId}.${expires}`),
	);
	if (!valid) return { ok: false, reason: "bad_signature" };
	verified.set(token, { secret, sessionId, expires: Number(expires) });
	if (Number(expires) * 1000 <= now) return { ok: false, reason: "expired" };
	return { ok: true, sessionId };
}
