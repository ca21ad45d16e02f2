/**
 * Identified users over HTTP (CONTRACT §2, §8): user tokens at session
 * creation (a verified one identifies the session; a forged, expired,
 * `alg: none` or too long-lived one is a 401 problem), the confirmation
 * route, the operators' list of tool calls, erasing a user everywhere, and
 * the development-only demo sign-in.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { base64url } from "../../src/shared/base64url";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { signUserToken, verifyUserToken } from "../../src/shared/identity/user-token";
import { userDirectory } from "../../src/shared/stubs";
import { profileKey, toolResultKey } from "../../src/shared/tools/account-cache";
import { problemSchema, request, sessionSchema } from "../support/api";

const admin = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };
const json = { "Content-Type": "application/json" };
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown>, secret: string = DEV_DEFAULTS.identitySecret) {
	return signUserToken(secret, claims as { sub: string; exp: number });
}

function createWith(body: unknown) {
	return request("/api/sessions", { method: "POST", headers: json, body: JSON.stringify(body) });
}

async function created(body: unknown) {
	const response = await createWith(body);
	expect(response.status).toBe(201);
	return sessionSchema.parse(await response.json());
}

function info(session: { sessionId: string; token: string }) {
	return request(`/api/sessions/${session.sessionId}`, { headers: { Authorization: `Bearer ${session.token}` } });
}

describe("user tokens at session creation", () => {
	it("identify the session as the token's subject; a bare userId is only a label", async () => {
		const identified = await created({ userToken: await token({ sub: "usr_ada", name: "Ada Lovelace", exp: now() + 600 }) });
		expect(await (await info(identified)).json()).toMatchObject({
			user: { id: "usr_ada", name: "Ada Lovelace" },
			pendingConfirmations: [],
		});
		const labelled = await created({ userId: "usr_ada" });
		expect(await (await info(labelled)).json()).toMatchObject({ user: null });
	});

	it.each([
		["signed with another secret", () => token({ sub: "usr_ada", exp: now() + 600 }, "not-the-secret"), /signature/],
		["expired", () => token({ sub: "usr_ada", exp: now() - 120 }), /expired/],
		["without exp", () => token({ sub: "usr_ada" }), /exp/],
		["more than 24 h ahead", () => token({ sub: "usr_ada", exp: now() + 25 * 3600 }), /24 hours/],
		["alg none", async () => unsigned({ alg: "none", typ: "JWT" }, { sub: "usr_ada", exp: now() + 600 }), /HS256/],
		["alg HS512", async () => unsigned({ alg: "HS512" }, { sub: "usr_ada", exp: now() + 600 }), /HS256/],
		["not a JWT", async () => "hello", /compact JWS/],
	])("refuses a token %s with a 401 problem", async (_name, make, detail) => {
		const response = await createWith({ userToken: await make() });
		expect(response.status).toBe(401);
		expect(response.headers.get("Content-Type")).toMatch(/application\/problem\+json/);
		const problem = problemSchema.parse(await response.json());
		expect(problem.detail).toMatch(detail);
		expect(JSON.stringify(problem)).not.toMatch(/dev-identity-secret|at .*\.ts/);
	});

	it("refuses an empty or oversized token field as invalid input", async () => {
		expect((await createWith({ userToken: "" })).status).toBe(400);
		expect((await createWith({ userToken: "x".repeat(5000) })).status).toBe(400);
	});
});

describe("the confirmation route", () => {
	it("needs the session's token, a JSON boolean, and a confirmation that exists", async () => {
		const session = await created({});
		const path = `/api/sessions/${session.sessionId}/confirmations/call_nope`;
		const auth = { Authorization: `Bearer ${session.token}`, ...json };
		expect((await request(path, { method: "POST", headers: json, body: '{"approve":true}' })).status).toBe(401);
		expect((await request(path, { method: "POST", headers: auth, body: '{"approve":"yes"}' })).status).toBe(400);
		const missing = await request(path, { method: "POST", headers: auth, body: '{"approve":true}' });
		expect(missing.status).toBe(404);
		expect(problemSchema.parse(await missing.json()).detail).toMatch(/No such confirmation/);
		expect(
			(
				await request(`/api/sessions/${session.sessionId}/confirmations/bad%20id`, {
					method: "POST",
					headers: auth,
					body: '{"approve":true}',
				})
			).status,
		).toBe(404);
	});
});

describe("operators", () => {
	it("list a session's tool calls with the admin token only", async () => {
		const session = await created({});
		const path = `/api/admin/sessions/${session.sessionId}/tool-calls`;
		expect((await request(path)).status).toBe(401);
		expect(await (await request(path, { headers: admin })).json()).toEqual({ calls: [] });
		expect((await request("/api/admin/sessions/ses_unknown/tool-calls", { headers: admin })).status).toBe(404);
	});

	it("erase a user: every session identified or labelled with the id, the cached profile and tool results", async () => {
		const user = `usr_erase_${crypto.randomUUID().slice(0, 8)}`;
		const identified = await created({ userToken: await token({ sub: user, exp: now() + 600 }) });
		const labelled = await created({ userId: user });
		const other = await created({ userId: "usr_someone_else" });
		const keys = await Promise.all([profileKey(user), toolResultKey(user, "get_subscription"), toolResultKey(user, "list_invoices")]);
		for (const key of keys) await env.CACHE.put(key, "cached");
		expect(await userDirectory(env, user).sessions()).toEqual([identified.sessionId, labelled.sessionId]);

		expect((await request(`/api/admin/users/${user}`, { method: "DELETE" })).status).toBe(401);
		expect((await request(`/api/admin/users/${user}`, { method: "DELETE", headers: admin })).status).toBe(204);
		expect((await info(identified)).status).toBe(404);
		expect((await info(labelled)).status).toBe(404);
		expect((await info(other)).status).toBe(200);
		for (const key of keys) expect(await env.CACHE.get(key)).toBeNull();
		expect(await userDirectory(env, user).sessions()).toEqual([]);
		// Again: nothing left, still a 204.
		expect((await request(`/api/admin/users/${user}`, { method: "DELETE", headers: admin })).status).toBe(204);
	});

	it("forget a session in the user's directory when the session itself is erased", async () => {
		const user = `usr_own_${crypto.randomUUID().slice(0, 8)}`;
		const session = await created({ userId: user });
		const erased = await request(`/api/sessions/${session.sessionId}`, {
			method: "DELETE",
			headers: { Authorization: `Bearer ${session.token}` },
		});
		expect(erased.status).toBe(204);
		expect(await userDirectory(env, user).sessions()).toEqual([]);
	});
});

describe("the demo sign-in (development only)", () => {
	it("mints a verifiable token for a sample user, and refuses anyone else", async () => {
		expect(await (await request("/api/dev/user-token")).json()).toEqual({ users: ["usr_ada", "usr_grace"] });
		const minted = await request("/api/dev/user-token", { method: "POST", headers: json, body: '{"userId":"usr_grace"}' });
		const { userToken } = (await minted.json()) as { userToken: string };
		expect(await verifyUserToken(DEV_DEFAULTS.identitySecret, userToken)).toMatchObject({
			ok: true,
			user: { id: "usr_grace", name: "Grace Hopper" },
		});
		expect((await request("/api/dev/user-token", { method: "POST", headers: json, body: '{"userId":"usr_mallory"}' })).status).toBe(400);
	});

	it("does not exist in production", async () => {
		const production = {
			...env,
			ENVIRONMENT: "production",
			SESSION_SECRET: "s".repeat(40),
			ADMIN_TOKEN: "a".repeat(40),
			IDENTITY_SECRET: "i".repeat(40),
		};
		expect((await request("/api/dev/user-token", {}, production)).status).toBe(404);
		expect((await request("/api/dev/user-token", { method: "POST", headers: json, body: '{"userId":"usr_ada"}' }, production)).status).toBe(
			404,
		);
	});
});

/** A token whose header names another algorithm, with a signature that is not HS256's. */
function unsigned(header: object, claims: object): string {
	const encode = (value: object) => base64url(new TextEncoder().encode(JSON.stringify(value)));
	return `${encode(header)}.${encode(claims)}.${header && "alg" in header && header.alg === "none" ? "" : base64url(new Uint8Array(64))}`;
}
