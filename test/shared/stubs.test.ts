/**
 * Object ids are derived once per name and kept (stubs.ts): the same name
 * gives the same id without hashing it again, different names different ids,
 * and the kept names are bounded, least recently used leaving first. A kept
 * id addresses the same object on later calls (across real requests, every
 * end-to-end test does it).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { idFor, KEPT_IDS, sessionHub } from "../../src/shared/stubs";
import { createSession, postMessage } from "../support/api";

/** A namespace that counts the names it is asked to hash. */
function countingNamespace(): Pick<DurableObjectNamespace, "idFromName"> & { hashed: string[] } {
	const hashed: string[] = [];
	return {
		hashed,
		idFromName(name: string) {
			hashed.push(name);
			return env.SESSION_HUB.idFromName(name);
		},
	};
}

describe("idFor", () => {
	it("hashes a name once, and keeps the id it got", () => {
		const namespace = countingNamespace();
		const first = idFor(namespace, "ses_a");
		expect(idFor(namespace, "ses_a")).toBe(first);
		expect(idFor(namespace, "ses_b").equals(first)).toBe(false);
		expect(namespace.hashed).toEqual(["ses_a", "ses_b"]);
		expect(first.equals(env.SESSION_HUB.idFromName("ses_a"))).toBe(true);
	});

	it("keeps at most KEPT_IDS names, dropping the least recently used", () => {
		const namespace = countingNamespace();
		idFor(namespace, "first");
		idFor(namespace, "second");
		for (let i = 0; i < KEPT_IDS - 2; i++) idFor(namespace, `filler-${i}`);
		// Used again: "first" is now the most recent, "second" the least.
		idFor(namespace, "first");
		idFor(namespace, "one too many");
		namespace.hashed.length = 0;
		idFor(namespace, "first");
		expect(namespace.hashed).toEqual([]);
		idFor(namespace, "second");
		expect(namespace.hashed).toEqual(["second"]);
	});

	it("addresses the same object on later calls", async () => {
		const session = await createSession();
		// Each call below makes its stub from the id the session's creation kept.
		for (let n = 0; n < 3; n++) {
			const posted = await postMessage(session, { id: `m${n}`, text: `Question ${n}?` });
			expect(posted.status).toBe(202);
		}
		expect(await sessionHub(env, session.sessionId).info()).toMatchObject({ sessionId: session.sessionId, lastSeq: 3 });
	});
});
