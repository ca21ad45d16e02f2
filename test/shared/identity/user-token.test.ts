/**
 * User tokens (CONTRACT §2): only an HS256 JWT signed with the shared secret,
 * carrying a `sub` and an `exp` no more than a day ahead, identifies a user.
 * Every other token is refused with the reason the integrator is told, and
 * no string, however odd, makes the check throw. Forged tokens are built here
 * by hand (base64url JSON and Web Crypto HMAC), not with `signUserToken`, so
 * the check is held to the JWS format itself.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64url } from "../../../src/shared/base64url";
import {
	MAX_LIFETIME_SECONDS,
	signUserToken,
	USER_TOKEN_PROBLEMS,
	type UserTokenCheck,
	verifyUserToken,
} from "../../../src/shared/identity/user-token";

const SECRET = "test-identity-secret";
/** A fixed clock, in whole seconds, so `exp` arithmetic is exact. */
const NOW_SECONDS = 1_795_000_000;
const NOW = NOW_SECONDS * 1000;
const HS256 = { alg: "HS256", typ: "JWT" };

const encoder = new TextEncoder();

/** One JWS part: `value` as base64url-encoded JSON. */
function part(value: unknown): string {
	return base64url(encoder.encode(JSON.stringify(value)));
}

/** HMAC-SHA256 of `text`, base64url, computed here independently of the code under test. */
async function hmac(secret: string, text: string): Promise<string> {
	const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
	return base64url(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

/** A compact JWS of `header` and `claims`, signed with `secret`. */
async function forge(header: unknown, claims: unknown, secret = SECRET): Promise<string> {
	const signingInput = `${part(header)}.${part(claims)}`;
	return `${signingInput}.${await hmac(secret, signingInput)}`;
}

/** Claims that verify at NOW. */
const valid = { sub: "usr_ada", exp: NOW_SECONDS + 3600 };

function verify(token: string): Promise<UserTokenCheck> {
	return verifyUserToken(SECRET, token, NOW);
}

describe("verifyUserToken", () => {
	it("verifies a valid HS256 token and returns its sub, name, email and expiry", async () => {
		const token = await forge(HS256, { sub: "usr_ada", name: "Ada Lovelace", email: "ada@example.com", exp: NOW_SECONDS + 3600 });
		expect(await verify(token)).toEqual({
			ok: true,
			user: { id: "usr_ada", name: "Ada Lovelace", email: "ada@example.com", expiresAt: NOW_SECONDS + 3600 },
		});
	});

	it("leaves out name and email when the token has none", async () => {
		expect(await verify(await forge(HS256, valid))).toEqual({ ok: true, user: { id: "usr_ada", expiresAt: valid.exp } });
	});

	it("accepts a header without typ, since only alg matters", async () => {
		expect((await verify(await forge({ alg: "HS256" }, valid))).ok).toBe(true);
	});

	it("refuses a token signed with another secret as bad_signature", async () => {
		expect(await verify(await forge(HS256, valid, "someone-elses-secret"))).toEqual({ ok: false, reason: "bad_signature" });
	});

	it("refuses a payload changed after signing as bad_signature", async () => {
		const [head, , signature] = (await forge(HS256, valid)).split(".");
		const tampered = `${head}.${part({ ...valid, sub: "usr_admin" })}.${signature}`;
		expect(await verify(tampered)).toEqual({ ok: false, reason: "bad_signature" });
	});

	it("refuses a changed signature as bad_signature", async () => {
		const token = await forge(HS256, valid);
		const [head, body, signature = ""] = token.split(".");
		// The first character carries six whole bits of the MAC (the last one also carries padding bits).
		const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
		expect(await verify(`${head}.${body}.${flipped}`)).toEqual({ ok: false, reason: "bad_signature" });
		expect(await verify(`${head}.${body}.${signature.slice(0, 20)}`)).toEqual({ ok: false, reason: "bad_signature" });
	});

	it.each([
		["an empty signature", ""],
		["any signature", "c2lnbmF0dXJl"],
	])('refuses alg "none" with %s as algorithm', async (_what, signature) => {
		const token = `${part({ alg: "none", typ: "JWT" })}.${part(valid)}.${signature}`;
		expect(await verify(token)).toEqual({ ok: false, reason: "algorithm" });
	});

	it('refuses alg "none" even when the HMAC over it is right', async () => {
		expect(await verify(await forge({ alg: "none" }, valid))).toEqual({ ok: false, reason: "algorithm" });
	});

	it.each(["HS512", "RS256", "hs256", "HS256 ", ""])("refuses alg %j as algorithm, even when signed with the secret", async (alg) => {
		expect(await verify(await forge({ alg, typ: "JWT" }, valid))).toEqual({ ok: false, reason: "algorithm" });
	});

	it.each([
		["exp is missing", { sub: "usr_ada" }],
		["exp is a string", { sub: "usr_ada", exp: String(NOW_SECONDS + 3600) }],
		["exp is not a whole number", { sub: "usr_ada", exp: NOW_SECONDS + 0.5 }],
		["exp is null", { sub: "usr_ada", exp: null }],
		["sub is missing", { exp: NOW_SECONDS + 3600 }],
		["sub is empty", { sub: "", exp: NOW_SECONDS + 3600 }],
		["sub is longer than 128 characters", { sub: "u".repeat(129), exp: NOW_SECONDS + 3600 }],
		["sub is a number", { sub: 42, exp: NOW_SECONDS + 3600 }],
		["email is too short", { ...valid, email: "a" }],
		["the payload is an array", [valid]],
	])("refuses a signed token whose %s as claims", async (_what, claims) => {
		expect(await verify(await forge(HS256, claims))).toEqual({ ok: false, reason: "claims" });
	});

	it("accepts a sub of exactly 128 characters", async () => {
		const check = await verify(await forge(HS256, { ...valid, sub: "u".repeat(128) }));
		expect(check.ok && check.user.id).toBe("u".repeat(128));
	});

	it("refuses a signed payload that is not JSON as claims", async () => {
		const signingInput = `${part(HS256)}.${base64url(encoder.encode("not json"))}`;
		expect(await verify(`${signingInput}.${await hmac(SECRET, signingInput)}`)).toEqual({ ok: false, reason: "claims" });
	});

	it("refuses a token that expired more than 60 s ago as expired", async () => {
		expect(await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS - 61 }))).toEqual({ ok: false, reason: "expired" });
		expect(await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS - 60 }))).toEqual({ ok: false, reason: "expired" });
		expect(await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS - 86_400 }))).toEqual({ ok: false, reason: "expired" });
	});

	it("forgives up to 60 s of clock skew on expiry", async () => {
		expect((await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS - 59 }))).ok).toBe(true);
		expect((await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS }))).ok).toBe(true);
	});

	it("judges expiry by the clock it is given", async () => {
		const token = await forge(HS256, valid);
		expect((await verifyUserToken(SECRET, token, NOW)).ok).toBe(true);
		expect(await verifyUserToken(SECRET, token, NOW + 2 * 3600 * 1000)).toEqual({ ok: false, reason: "expired" });
	});

	it("refuses an exp more than 24 h and 60 s ahead as too_long_lived", async () => {
		const exp = NOW_SECONDS + MAX_LIFETIME_SECONDS + 61;
		expect(await verify(await forge(HS256, { ...valid, exp }))).toEqual({ ok: false, reason: "too_long_lived" });
		expect(await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS + 365 * 86_400 }))).toEqual({
			ok: false,
			reason: "too_long_lived",
		});
	});

	it("accepts an exp exactly 24 h ahead, and up to 60 s of skew past it", async () => {
		expect(MAX_LIFETIME_SECONDS).toBe(24 * 60 * 60);
		expect(await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS + MAX_LIFETIME_SECONDS }))).toEqual({
			ok: true,
			user: { id: "usr_ada", expiresAt: NOW_SECONDS + MAX_LIFETIME_SECONDS },
		});
		expect((await verify(await forge(HS256, { ...valid, exp: NOW_SECONDS + MAX_LIFETIME_SECONDS + 60 }))).ok).toBe(true);
	});

	it("refuses strings that are not a compact JWS as malformed", async () => {
		const token = await forge(HS256, valid);
		const [head = "", body = "", signature = ""] = token.split(".");
		const cases = [
			"",
			"not-a-token",
			`${head}.${body}`,
			`${head}.${body}.${signature}.${signature}`,
			`${head}..${body}.${signature}`,
			`%%%.${body}.${signature}`,
			`${head}.${body}.${signature}!`,
			`${head}.${body}.${signature.replaceAll("-", "+").replaceAll("_", "/")}=`,
			`${base64url(encoder.encode("{garbage"))}.${body}.${signature}`,
			`${part({ typ: "JWT" })}.${body}.${signature}`,
			`${part("HS256")}.${body}.${signature}`,
			`${base64url(new Uint8Array([0xff, 0xfe, 0x7b]))}.${body}.${signature}`,
		];
		for (const text of cases) expect(await verify(text), text).toEqual({ ok: false, reason: "malformed" });
	});

	it("refuses a token over 4096 characters as malformed before decoding it, though it is signed and would otherwise verify", async () => {
		// Unknown claims are ignored, so padding only makes the token long.
		const short = await forge(HS256, { ...valid, pad: "x".repeat(100) });
		expect((await verify(short)).ok).toBe(true);
		const long = await forge(HS256, { ...valid, pad: "x".repeat(3100) });
		expect(long.length).toBeGreaterThan(4096);
		expect(await verify(long)).toEqual({ ok: false, reason: "malformed" });
	});

	it("never throws, and refuses every arbitrary string with a known reason", async () => {
		const reasons = Object.keys(USER_TOKEN_PROBLEMS);
		const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/);
		const jsonPart = fc.jsonValue().map(part);
		const anyToken = fc.oneof(
			fc.string({ maxLength: 200 }),
			fc.string({ unit: "grapheme", maxLength: 100 }),
			fc.stringMatching(/^[A-Za-z0-9_.-]{0,120}$/),
			fc.tuple(segment, segment, segment).map((parts) => parts.join(".")),
			fc.tuple(jsonPart, jsonPart, segment).map((parts) => parts.join(".")),
			fc.tuple(fc.constantFrom(part(HS256), part({ alg: "none" })), jsonPart, segment).map((parts) => parts.join(".")),
		);
		await fc.assert(
			fc.asyncProperty(anyToken, async (token) => {
				const check = await verify(token);
				expect(check.ok).toBe(false);
				expect(reasons).toContain(!check.ok && check.reason);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("signUserToken", () => {
	it("signs exactly the standard HS256 JWS an integrator's library would", async () => {
		const claims = { sub: "usr_ada", name: "Ada Lovelace", exp: NOW_SECONDS + 600 };
		expect(await signUserToken(SECRET, claims)).toBe(await forge(HS256, claims));
	});

	it("makes tokens verifyUserToken accepts with the same secret only", async () => {
		const token = await signUserToken(SECRET, { sub: "usr_bob", email: "bob@example.com", exp: NOW_SECONDS + 60 });
		expect(await verify(token)).toEqual({ ok: true, user: { id: "usr_bob", email: "bob@example.com", expiresAt: NOW_SECONDS + 60 } });
		expect(await verifyUserToken("another-secret", token, NOW)).toEqual({ ok: false, reason: "bad_signature" });
	});
});

describe("USER_TOKEN_PROBLEMS", () => {
	it("explains each refusal in a sentence of its own", () => {
		const reasons = ["malformed", "algorithm", "bad_signature", "claims", "expired", "too_long_lived"];
		expect(Object.keys(USER_TOKEN_PROBLEMS).sort()).toEqual([...reasons].sort());
		const messages = Object.values(USER_TOKEN_PROBLEMS);
		for (const message of messages) expect(message).toMatch(/^The user token.+\.$/);
		expect(new Set(messages).size).toBe(messages.length);
	});
});
