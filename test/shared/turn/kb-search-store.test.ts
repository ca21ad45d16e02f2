/**
 * The search cache over the real knowledge base, KV and R2: a repeated query
 * is searched once per knowledge-base version, a conversation's own search stays in the isolate, the version is read once per
 * lease, and an edit is visible the moment it returns because it returns only
 * after every lease from before it has run out.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cacheKey, createCache, normalizeQuestion } from "../../../src/shared/cache";
import { knowledgeBase } from "../../../src/shared/stubs";
import { cachedKnowledge, type KnowledgeBaseRpc } from "../../../src/shared/turn/kb-search-store";

/** The real knowledge base, with its full-text lookups counted. */
function countedKnowledgeBase() {
	const kb = knowledgeBase(env);
	const counts = { lookups: 0 };
	const rpc: KnowledgeBaseRpc = {
		version: () => kb.version(),
		lookup: (query, limit) => {
			counts.lookups++;
			return kb.lookup(query, limit);
		},
	};
	return { kb, rpc, counts };
}

const unique = () => crypto.randomUUID().replace(/[\d-]/g, "q").slice(0, 10);

describe("knowledge-base search cache", () => {
	it("searches a repeated query once per version and serves the same articles", async () => {
		const { kb, rpc, counts } = countedKnowledgeBase();
		const word = `plinth${unique()}`;
		await kb.put({ id: `kbs-${word}`, title: `${word} shipping`, body: `${word} parcels ship within two days.` });
		const knowledge = cachedKnowledge(rpc, env);
		const version = await knowledge.version();

		const first = await knowledge.search(`How fast do ${word} parcels ship?`, 3, version);
		const again = await knowledge.search(`how fast do ${word} parcels ship`, 3, version);

		expect(first.map((s) => s.id)).toContain(`kbs-${word}`);
		expect(again).toEqual(first);
		expect(counts.lookups).toBe(1);
		await kb.delete(`kbs-${word}`);
	});

	it("keys a search on how the conversation refines it: another conversation's article is searched again, and passed on", async () => {
		const kb = knowledgeBase(env);
		const seen: unknown[] = [];
		const rpc: KnowledgeBaseRpc = {
			version: () => kb.version(),
			lookup: (query, limit, refine) => {
				seen.push(refine);
				return kb.lookup(query, limit, refine);
			},
		};
		const knowledge = cachedKnowledge(rpc, env);
		const version = await knowledge.version();
		const query = `${unique()} how long is the link valid`;
		await knowledge.search(query, 3, version, { boost: ["reset-password"], prior: "reset-password" });
		await knowledge.search(query, 3, version, { boost: ["reset-password"], prior: "reset-password" });
		await knowledge.search(query, 3, version, { boost: ["reset-password"], prior: "gdpr-data-export" });
		expect(seen).toEqual([
			{ boost: ["reset-password"], prior: "reset-password" },
			{ boost: ["reset-password"], prior: "gdpr-data-export" },
		]);
	});

	it("keeps a search its conversation refines in this isolate's memory only; a context-free one goes to KV too", async () => {
		const { kb, rpc, counts } = countedKnowledgeBase();
		const word = `corbel${unique()}`;
		await kb.put({ id: `kbs-${word}`, title: `${word} exports`, body: `${word} exports finish within an hour.` });
		const knowledge = cachedKnowledge(rpc, env);
		const version = await knowledge.version();
		const question = `how long do ${word} exports take`;
		const refine = { boost: [`kbs-${word}`], prior: `kbs-${word}` };
		const refinedKey = await cacheKey("kb-search", { query: question, limit: 3, kbVersion: version, ...refine });
		const plainKey = await cacheKey("kb-search", { query: question, limit: 3, kbVersion: version });

		const refined = await knowledge.search(question, 3, version, refine);
		const again = await knowledge.search(question, 3, version, refine);
		await knowledge.search(question, 3, version);

		expect(again).toEqual(refined);
		expect(counts.lookups).toBe(2);
		expect(await env.CACHE.get(refinedKey)).toBeNull();
		expect(await env.CACHE.get(plainKey)).not.toBeNull();
		await kb.delete(`kbs-${word}`);
	});

	it("reflects an edit the moment it returns: the new version misses and finds the new text", async () => {
		const { kb, rpc, counts } = countedKnowledgeBase();
		const word = `gantry${unique()}`;
		const id = `kbs-${word}`;
		await kb.put({ id, title: `${word} refunds`, body: `${word} refunds take ten days.` });
		const knowledge = cachedKnowledge(rpc, env);
		const question = `How long do ${word} refunds take?`;
		const before = await knowledge.search(question, 3, await knowledge.version());
		expect(before.find((s) => s.id === id)?.body).toContain("ten days");

		await kb.put({ id, title: `${word} refunds`, body: `${word} refunds take three days.` });
		const after = await knowledge.search(question, 3, await knowledge.version());

		expect(after.find((s) => s.id === id)?.body).toContain("three days");
		expect(counts.lookups).toBe(2);
		await kb.delete(id);
	});

	it("reads the version once per lease, yet an edit that has returned is seen by the next read", async () => {
		const kb = knowledgeBase(env);
		let reads = 0;
		const rpc: KnowledgeBaseRpc = {
			version: () => {
				reads++;
				return kb.version();
			},
			lookup: (query, limit) => kb.lookup(query, limit),
		};
		const word = `lintel${unique()}`;
		// An edit first: it returns once any lease this isolate held has run out, so the counting starts clean.
		await kb.put({ id: `kbs-${word}`, title: `${word} exports`, body: `${word} exports run nightly.` });
		const knowledge = cachedKnowledge(rpc, env);

		const [first, joined] = await Promise.all([knowledge.version(), knowledge.version()]);
		const again = await knowledge.version();
		expect([joined, again]).toEqual([first, first]);
		expect(reads).toBe(1);

		await kb.put({ id: `kbs-${word}`, title: `${word} exports`, body: `${word} exports run hourly.` });
		expect(await knowledge.version()).toBe(first + 1);
		expect(reads).toBe(2);
		await kb.delete(`kbs-${word}`);
	});

	it("searches again rather than trusting an unreadable cached value", async () => {
		const { kb, rpc, counts } = countedKnowledgeBase();
		const word = `quoin${unique()}`;
		await kb.put({ id: `kbs-${word}`, title: `${word} invoices`, body: `${word} invoices are emailed monthly.` });
		const knowledge = cachedKnowledge(rpc, env);
		const version = await knowledge.version();
		const question = `When are ${word} invoices sent?`;
		const key = await cacheKey("kb-search", { query: normalizeQuestion(question), limit: 3, kbVersion: version });
		await createCache(env).set(key, "kb-search", JSON.stringify([{ id: 7 }]));

		const found = await knowledge.search(question, 3, version);

		expect(found.map((s) => s.id)).toContain(`kbs-${word}`);
		expect(counts.lookups).toBe(1);
		await kb.delete(`kbs-${word}`);
	});
});
