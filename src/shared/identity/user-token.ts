/**
 * User tokens (CONTRACT §2): JWTs the integrator's backend signs with the
 * shared IDENTITY_SECRET, so a session can be *identified* as a user. HS256
 * only, checked with Web Crypto in constant time. The header must say HS256
 * (never `none`, never another algorithm: the algorithm is ours to decide,
 * not the token's), and `exp` is required and at most MAX_LIFETIME_SECONDS
 * ahead, so a leaked token cannot be used for long.
 */
import { z } from "zod";
import { base64url, fromBase64url } from "../base64url";
import { hmacKey } from "../hash";

/** A user token may live at most a day (CONTRACT §2). */
export const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
/** Clocks differ by a little between the integrator's backend and this one. */
const CLOCK_SKEW_SECONDS = 60;
/** Far above any real token; stops a huge string before it is decoded. */
export const MAX_USER_TOKEN_CHARS = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

const headerSchema = z.object({ alg: z.string(), typ: z.string().optional() });
const claimsSchema = z.object({
	sub: z.string().min(1).max(128),
	exp: z.number().int().positive(),
	name: z.string().min(1).max(128).optional(),
	email: z.string().min(3).max(254).optional(),
});

/** Who a verified token says the user is. */
export interface VerifiedUser {
	id: string;
	name?: string;
	email?: string;
	/** When the token stops being valid (epoch seconds). */
	expiresAt: number;
}

export type UserTokenCheck =
	| { ok: true; user: VerifiedUser }
	| { ok: false; reason: "malformed" | "algorithm" | "bad_signature" | "claims" | "expired" | "too_long_lived" };

/** What each refusal tells the integrator (CONTRACT §1: a clear problem, never internals). */
export const USER_TOKEN_PROBLEMS: Record<Exclude<UserTokenCheck, { ok: true }>["reason"], string> = {
	malformed: "The user token is not a compact JWS (header.payload.signature).",
	algorithm: "The user token must be signed with HS256.",
	bad_signature: "The user token's signature does not match.",
	claims: "The user token needs `sub` (1 to 128 characters) and a numeric `exp`; `name` and `email` are optional strings.",
	expired: "The user token has expired.",
	too_long_lived: "The user token's `exp` is more than 24 hours ahead.",
};

/**
 * Checks the algorithm, then the signature, then the claims; never throws.
 * @example await verifyUserToken("dev-identity-secret", token) // { ok: true, user: { id: "usr_ada", … } }
 */
export async function verifyUserToken(secret: string, token: string, now = Date.now()): Promise<UserTokenCheck> {
	if (token.length > MAX_USER_TOKEN_CHARS) return { ok: false, reason: "malformed" };
	const parts = token.split(".");
	if (parts.length !== 3) return { ok: false, reason: "malformed" };
	const [headerText, payloadText, signatureText] = parts as [string, string, string];
	const header = headerSchema.safeParse(decodeJson(headerText));
	if (!header.success) return { ok: false, reason: "malformed" };
	if (header.data.alg !== "HS256") return { ok: false, reason: "algorithm" };
	const signature = fromBase64url(signatureText);
	if (!signature) return { ok: false, reason: "malformed" };
	const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, encoder.encode(`${headerText}.${payloadText}`));
	if (!valid) return { ok: false, reason: "bad_signature" };
	const claims = claimsSchema.safeParse(decodeJson(payloadText));
	if (!claims.success) return { ok: false, reason: "claims" };
	const { sub, exp, name, email } = claims.data;
	const nowSeconds = Math.floor(now / 1000);
	if (exp <= nowSeconds - CLOCK_SKEW_SECONDS) return { ok: false, reason: "expired" };
	if (exp > nowSeconds + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) return { ok: false, reason: "too_long_lived" };
	return { ok: true, user: { id: sub, expiresAt: exp, ...(name ? { name } : {}), ...(email ? { email } : {}) } };
}

/**
 * Signs a user token as an integrator's backend would (the tests, the dev
 * page's demo sign-in and docs/identity.md's Node snippet do the same).
 * @example await signUserToken("dev-identity-secret", { sub: "usr_ada", name: "Ada Lovelace", exp: nowSeconds + 3600 })
 */
export async function signUserToken(secret: string, claims: { sub: string; exp: number; name?: string; email?: string }): Promise<string> {
	const head = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
	const body = base64url(encoder.encode(JSON.stringify(claims)));
	const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${head}.${body}`));
	return `${head}.${body}.${base64url(signature)}`;
}

function decodeJson(part: string): unknown {
	const bytes = fromBase64url(part);
	if (!bytes) return undefined;
	try {
		return JSON.parse(decoder.decode(bytes));
	} catch {
		return undefined;
	}
}
