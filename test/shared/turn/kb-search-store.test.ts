/**
 * The search cache over the real knowledge base, KV and R2: a repeated query
 * is searched once per knowledge-base version; a later turn's search is
 * refined in the isolate over rankings held in its memory only, so a
 * standalone question another conversation asked needs no round trip; the
 * version is read once per lease, and an edit is visible the moment it
 * returns because it returns only after every lease from before it has run out.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cacheKey, createCache, normalizeQuestion } from "../../../src/shared/cache";
import { knowledgeBase } from "../../../src/shared/stubs";
import { cachedKnowledge, type KnowledgeBaseRpc } from "../../../src/shared/turn/kb-search-store";

/** The real knowledge base, with its searches and rankings counted. */
function countedKnowledgeBase() {
	const kb = knowledgeBase(env);
	const counts = { lookups: 0, ranks: [] as unknown[][] };
	const rpc: KnowledgeBaseRpc = {
		version: () => kb.version(),
		lookup: (query, limit) => {
			counts.lookups++;
			return kb.lookup(query, limit);
		},
		rank: (query, limit, boost, prior) => {
			counts.ranks.push([query, boost, prior]);
			return kb.rank(query, limit, boost, prior);
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

	it("refines a later turn's search over rankings, each asked for once: the same refinement as the knowledge base's own", async () => {
		const { kb, rpc, counts } = countedKnowledgeBase();
		const knowledge = cachedKnowledge(rpc, env);
		const version = await knowledge.version();
		const query = `${unique()} how long is the link valid`;
		const refine = { boost: ["reset-password"], prior: "reset-password" };

		const first = await knowledge.search(query, 3, version, refine);
		const again = await knowledge.search(query, 3, version, refine);
		await knowledge.search(query, 3, version, { ...refine, prior: "gdpr-data-export" });

		expect(again).toEqual(first);
		expect(first).toEqual((await kb.lookup(query, 3, refine)).sources);
		// Held rankings are shared by every turn in the isolate: none may change one.
		expect(Object.isFrozen(first[0])).toBe(true);
		expect(counts.ranks).toEqual([
			[query, ["reset-password"], "reset-password"],
			[query, ["reset-password"], "gdpr-data-export"],
		]);
		expect(counts.lookups).toBe(0);
	});

	it("ranks a standalone later question once for every conversation that asks it, and keeps the ranking in memory only", async () => {
		const { kb, rpc, counts } = countedKnowledgeBase();
		const word = `corbel${unique()}`;
		const id = `kbs-${word}`;
		await kb.put({ id, title: `${word} exports`, body: `${word} exports finish within an hour. ${word} exports are zipped.` });
		const knowledge = cachedKnowledge(rpc, env);
		const version = await knowledge.version();
		const question = `how long do ${word} exports take`;
		// Two conversations, each about another article before this standalone question.
		const inBilling = { boost: ["refund-policy"], ifUnsure: `can i get a refund\n${question}` };
		const inSecurity = { boost: ["reset-password"], ifUnsure: `how do i reset my password\n${question}` };

		const billing = await knowledge.search(question, 3, version, inBilling);
		const security = await knowledge.search(question, 3, version, inSecurity);

		expect(billing[0]?.id).toBe(id);
		expect(security).toEqual(billing);
		expect(counts.ranks).toEqual([[question, [], undefined]]);
		// Nothing went to KV: not even the search its words alone would key.
		expect(await env.CACHE.get(await cacheKey("kb-search", { query: question, limit: 3, kbVersion: version }))).toBeNull();
		await kb.delete(id);
	});

	it("keeps no ranking the knowledge base says is incomplete, nor one of a newer version than the key's", async () => {
		const kb = knowledgeBase(env);
		const version = await kb.version();
		const asked: string[] = [];
		const rpc: KnowledgeBaseRpc = {
			version: () => version,
			lookup: (query, limit) => kb.lookup(query, limit),
			rank: async (query, limit, boost, prior) => {
				asked.push(query);
				const real = await kb.rank(query, limit, boost, prior);
				return query.startsWith("behind") ? { ...real, keepable: false } : { ...real, version: version + 1 };
			},
		};
		const knowledge = cachedKnowledge(rpc, env);
		const behind = `behind ${unique()} how do refunds work`;
		const newer = `newer ${unique()} how do refunds work`;
		for (const query of [behind, behind, newer, newer]) await knowledge.search(query, 3, version, { boost: ["refund-policy"] });
		expect(asked).toEqual([behind, behind, newer, newer]);
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

	it("reflects an edit in a later turn's refined search too: its rankings are held by version", async () => {
		const { kb, rpc } = countedKnowledgeBase();
		const word = `plinthb${unique()}`;
		const id = `kbs-${word}`;
		await kb.put({ id, title: `${word} refunds`, body: `${word} refunds take ten days.` });
		const knowledge = cachedKnowledge(rpc, env);
		const question = `How long do ${word} refunds take?`;
		const refine = { boost: [id], prior: id };
		const before = await knowledge.search(question, 3, await knowledge.version(), refine);
		expect(before.find((s) => s.id === id)?.body).toContain("ten days");

		await kb.put({ id, title: `${word} refunds`, body: `${word} refunds take three days.` });
		const after = await knowledge.search(question, 3, await knowledge.version(), refine);

		expect(after.find((s) => s.id === id)?.body).toContain("three days");
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
			rank: (query, limit, boost, prior) => kb.rank(query, limit, boost, prior),
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
