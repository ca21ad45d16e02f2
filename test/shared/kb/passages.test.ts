import { describe, expect, it } from "vitest";
import { MAX_CHARS, MIN_CHARS, slug, splitArticle } from "../../../src/shared/kb/passages";
import { sampleArticles } from "../../../src/shared/kb/sample-articles";

const para = (words: number, word = "lorem") => Array.from({ length: words }, () => word).join(" ");

describe("splitArticle", () => {
	it("cuts at headings, keeping each section's heading and anchor", () => {
		const body = `${para(70)}.\n\n## Steps to reset your password\n\n${para(70)}.\n\n## If the email does not arrive\n\n${para(70)}.`;
		expect(splitArticle(body).map((p) => [p.order, p.heading, p.anchor])).toEqual([
			[0, null, null],
			[1, "Steps to reset your password", "steps-to-reset-your-password"],
			[2, "If the email does not arrive", "if-the-email-does-not-arrive"],
		]);
	});

	it("joins a short section to the next, under the next one's own heading", () => {
		const passages = splitArticle(`Short intro.\n\n## Details\n\n${para(70)}.`);
		expect(passages).toHaveLength(1);
		expect(passages[0]?.text).toBe(`Short intro.\n\n## Details\n\n${para(70)}.`);
	});

	it("cuts a long section between paragraphs, then between sentences", () => {
		const long = Array.from({ length: 6 }, () => `${para(30)}.`).join("\n\n");
		const passages = splitArticle(`## Long\n\n${long}`);
		expect(passages.length).toBeGreaterThan(1);
		for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(MAX_CHARS);
		expect(passages.every((p) => p.anchor === "long")).toBe(true);
		const sentences = splitArticle(Array.from({ length: 40 }, () => "A sentence of words here.").join(" "));
		expect(sentences.length).toBeGreaterThan(1);
		for (const p of sentences) expect(p.text.length).toBeLessThanOrEqual(MAX_CHARS);
	});

	it("does not take a # inside a code fence for a heading", () => {
		const passages = splitArticle(`${para(70)}\n\n\`\`\`\n# not a heading\n\`\`\``);
		expect(passages).toHaveLength(1);
	});

	it("keeps every line of every sample article, in passages of at most MAX_CHARS, mostly over MIN_CHARS", () => {
		const lengths: number[] = [];
		for (const article of sampleArticles) {
			const passages = splitArticle(article.body);
			const text = passages.map((p) => p.text).join("\n");
			for (const line of article.body.split("\n").filter((l) => l.trim() && !l.startsWith("#"))) expect(text).toContain(line.trim());
			lengths.push(...passages.map((p) => p.text.length));
		}
		expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_CHARS);
		expect(lengths.filter((n) => n >= MIN_CHARS).length / lengths.length).toBeGreaterThan(0.85);
	});
});

it("slugs headings as GitHub does", () => {
	expect(slug("If the password reset email does not arrive")).toBe("if-the-password-reset-email-does-not-arrive");
	expect(slug("Switch from monthly to annual (yearly) billing!")).toBe("switch-from-monthly-to-annual-yearly-billing");
});
