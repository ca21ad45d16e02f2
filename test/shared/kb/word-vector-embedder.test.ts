import { describe, expect, it } from "vitest";
import { bundledWordVectors } from "../../../src/shared/kb/bundled-word-vectors";
import { dot } from "../../../src/shared/kb/embedder";
import { wordVectorEmbedder } from "../../../src/shared/kb/word-vector-embedder";
import { sifWeight } from "../../../src/shared/kb/word-vector-table";

describe("the bundled word vectors", () => {
	const table = bundledWordVectors();

	it("hold one row of components per word, most frequent first", () => {
		expect(table.words.length).toBeGreaterThan(19_000);
		expect(table.ranks).toHaveLength(table.words.length);
		expect(table.vectors).toHaveLength(table.words.length * table.dimensions);
		expect(table.common).toHaveLength(table.dimensions);
		expect(table.ranks).toEqual([...table.ranks].sort((a, b) => a - b));
		// The help center's own words are in, however rare in general English.
		for (const word of ["workspace", "refund", "prorated", "saml"]) expect(table.words).toContain(word);
	});

	it("weigh a word by how rare it is", () => {
		expect(sifWeight(0)).toBeLessThan(0.1);
		expect(sifWeight(15_977)).toBeGreaterThan(0.99);
	});
});

describe("the word-vector embedder", () => {
	const embedder = wordVectorEmbedder(bundledWordVectors());
	const cosine = async (a: string, b: string) => {
		const [x, y] = await embedder.embed([a, b]);
		return dot(x ?? [], y ?? []);
	};

	it("is deterministic and returns unit vectors of its dimensions", async () => {
		const [a, b] = await embedder.embed(["How do I reset my password?", "How do I reset my password?"]);
		expect(a).toEqual(b);
		expect(a).toHaveLength(100);
		expect(dot(a ?? [], a ?? [])).toBeCloseTo(1);
	});

	it("places a paraphrase with no word in common near its meaning, and an unrelated text far", async () => {
		const refund = "Annual plans are refundable pro-rata within 30 days of purchase.";
		const paraphrase = await cosine("can I get my money back?", refund);
		expect(paraphrase).toBeGreaterThan(
			(await cosine("can I get my money back?", "Connect Slack to post task updates in a channel.")) + 0.1,
		);
		const phone = await cosine("my phone app isn't updating", "The mobile app does not sync");
		expect(phone).toBeGreaterThan((await cosine("my phone app isn't updating", "Invoices list every payment and its tax.")) + 0.3);
	});

	it("reads inflections it lacks as their base word, and gives text with no known word the zero vector", async () => {
		expect(bundledWordVectors().words).not.toContain("signups");
		expect(await cosine("daily signups", "daily signup")).toBeCloseTo(1);
		const [none] = await embedder.embed(["zxqv the of"]);
		expect(none?.every((x) => x === 0)).toBe(true);
	});
});
