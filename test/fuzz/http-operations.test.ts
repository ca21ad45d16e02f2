/**
 * The HTTP fuzz covers the API as documented: the operations it draws are
 * exactly the OpenAPI document's minus an explicit, reasoned exclusion list
 * (plus unknown paths), and the operations it handles apart stay handled:
 * erasures reach only disposable sessions, and an operation fuzzed with
 * invalid bodies only is never sent one the Worker accepts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { bodyAsText } from "./http-bodies";
import { type HttpCase, httpCase, UNKNOWN_ROUTE } from "./http-cases";
import {
	DOCUMENTED_OPERATIONS,
	ERASING,
	EXCLUDED,
	FUZZED_OPERATIONS,
	fuzzedOperation,
	INVALID_BODIES_ONLY,
	MODELLED,
	SCHEMA_COMPONENTS,
} from "./http-operations";
import { build, type Fixtures } from "./http-request";
import { conforms, resolveSchema } from "./schema-arbitrary";
import { type PoolSession, workerFetch } from "./support";

/** Enough cases that each of some 25 operations is drawn dozens of times. */
const SAMPLE: HttpCase[] = fc.sample(httpCase, { numRuns: 2500, seed: 18 });

function fakeSession(name: string): PoolSession {
	return {
		sessionId: `ses_${name}`,
		token: `v1.ses_${name}.9999999999.signature`,
		expiresAt: "2099-01-01T00:00:00.000Z",
		ip: "10.0.0.1",
		users: new Map(),
		deleted: false,
	};
}

describe("the HTTP fuzz's operations", () => {
	const documented = DOCUMENTED_OPERATIONS.map((op) => op.key).sort();
	const fuzzed = FUZZED_OPERATIONS.map((op) => op.key).sort();

	it("are the document's operations minus the excluded ones, each exclusion with its reason", () => {
		expect(documented.length).toBeGreaterThanOrEqual(25);
		expect(fuzzed).toEqual(documented.filter((key) => !(key in EXCLUDED)));
		for (const [key, reason] of Object.entries(EXCLUDED)) {
			expect(documented, `${key} is excluded but not documented: a stale exclusion`).toContain(key);
			expect(reason.length).toBeGreaterThan(0);
		}
	});

	it("restrict and model only operations the fuzz drives", () => {
		for (const key of [...ERASING, ...Object.keys(INVALID_BODIES_ONLY), ...Object.values(MODELLED)]) {
			expect(fuzzed, `${key} is handled apart but not fuzzed`).toContain(key);
		}
	});

	it("count every DELETE of a path that names a session as erasing, so that none can reach the pool", () => {
		const sessionDeletes = FUZZED_OPERATIONS.filter(
			(op) => op.method === "DELETE" && op.pathParams.some((param) => param.kind === "session"),
		).map((op) => op.key);
		expect(sessionDeletes.sort()).toEqual([...ERASING].sort());
	});

	it("are all drawn by the case generator, and nothing else but unknown paths", () => {
		const drawn = new Set(SAMPLE.map((c) => c.operation));
		expect([...drawn].sort()).toEqual([...fuzzed, UNKNOWN_ROUTE].sort());
	});

	it("erase only disposable sessions, whichever operation a case was drawn for", () => {
		const fixtures: Fixtures = {
			pool: [fakeSession("pool1"), fakeSession("pool2")],
			disposable: [fakeSession("spare1"), fakeSession("spare2")],
			expired: new Map(),
			neverCreated: "v1.ses_never.9999999999.signature",
			jobs: [],
			agentToken: "agt_fake.token",
		};
		const erasing = SAMPLE.map((c) => build(c, fixtures)).filter((built) => built.served !== undefined && ERASING.has(built.served));
		expect(erasing.length).toBeGreaterThan(20);
		for (const built of erasing) {
			if (built.target) expect(fixtures.disposable, `${built.served} ${built.path}`).toContain(built.target);
			// The path only: a token in the query may well be a pool session's.
			const route = built.path.split("?")[0] ?? "";
			for (const session of fixtures.pool) expect(route).not.toContain(session.sessionId);
		}
	});

	it("judge bodies as the document does: every request body's own examples conform", () => {
		const examples = FUZZED_OPERATIONS.flatMap((op) =>
			(resolveSchema(op.body, SCHEMA_COMPONENTS).examples ?? []).map((example) => ({ op, example })),
		);
		expect(examples.length).toBeGreaterThanOrEqual(5);
		for (const { op, example } of examples) expect(conforms(op.body, example, SCHEMA_COMPONENTS), op.key).toBe(true);
	});

	it("never send a body that an operation fuzzed with invalid bodies only would accept: the Worker refuses every one", async () => {
		for (const key of Object.keys(INVALID_BODIES_ONLY)) {
			const op = FUZZED_OPERATIONS.find((candidate) => candidate.key === key);
			if (!op) throw new Error(`${key} is not fuzzed`);
			// Every case drawn on this path, whatever its operation: a wild method can turn it into this one.
			const bodies = SAMPLE.filter((c) => fuzzedOperation(c.operation)?.template === op.template && c.body !== undefined).flatMap((c) =>
				c.body ? [c.body] : [],
			);
			expect(bodies.length).toBeGreaterThan(20);
			for (const [i, body] of bodies.entries()) {
				const response = await workerFetch(op.template.replace(/\{[^}]+\}/g, "x1"), {
					method: op.method,
					headers: {
						Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`,
						"Content-Type": "application/json",
						"CF-Connecting-IP": `10.253.0.${i % 250}`,
					},
					body: body.kind === "text" ? body.text : body.bytes,
				});
				const text = await response.text();
				expect(response.status, `${key} accepted ${bodyAsText(body).slice(0, 200)}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
			}
		}
	});
});
