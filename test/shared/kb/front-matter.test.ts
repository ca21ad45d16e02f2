import { describe, expect, it } from "vitest";
import { parseArticle, parseArticles } from "../../../src/shared/kb/front-matter";

const HEAD =
	"---\nid: refund-policy\ntitle: Refund policy, in short\nurl: https://help.brightdesk.example/articles/refund-policy\ntags: [refunds, billing]\n";
const GOOD = `${HEAD}---\n## Refunds\n\nWithin 30 days.\n\n---\n\nA rule above is Markdown, not front matter.\n`;

describe("parseArticle", () => {
	it("reads the front matter and the body exactly as written", () => {
		expect(parseArticle("refund-policy.md", GOOD)).toEqual({
			id: "refund-policy",
			title: "Refund policy, in short",
			url: "https://help.brightdesk.example/articles/refund-policy",
			tags: ["refunds", "billing"],
			body: "## Refunds\n\nWithin 30 days.\n\n---\n\nA rule above is Markdown, not front matter.",
		});
	});

	it.each([
		["no opening line", GOOD.slice(4), /^refund-policy\.md: must start with a "---" line/],
		["no closing line", `${HEAD}Body.\n`, /^refund-policy\.md: has no "---" line closing the front matter/],
		["no final newline", `${HEAD}---\nBody.`, /^refund-policy\.md: must end with a newline/],
		["CRLF line endings", GOOD.replaceAll("\n", "\r\n"), /^refund-policy\.md: has CR/],
		["a line that is not key: value", GOOD.replace("tags:", "tags :"), /^refund-policy\.md: front matter line 5: "tags :/],
		["a key given twice", GOOD.replace("tags:", "title: Again\ntags:"), /^refund-policy\.md: front matter line 5: title appears twice/],
		["a quoted value", GOOD.replace("title: Refund policy, in short", 'title: "Refund policy"'), /is not a plain YAML value/],
		["a value with ': '", GOOD.replace("title: Refund policy, in short", "title: Refunds: the policy"), /is not a plain YAML value/],
		["an unclosed list", GOOD.replace("tags: [refunds, billing]", "tags: [refunds, billing"), /opens a list that it does not close/],
		["an unknown key", GOOD.replace("tags:", "author: Ann\ntags:"), /^refund-policy\.md: .*author/s],
		["a missing field", GOOD.replace(/url: .*\n/, ""), /^refund-policy\.md: .*url/s],
		["a url that is not https", GOOD.replace("https://", "http://"), /^refund-policy\.md: .*url/s],
		["an empty list of tags", GOOD.replace("[refunds, billing]", "[]"), /^refund-policy\.md: .*tags/s],
		["a tag that is not kebab-case", GOOD.replace("billing]", "Billing Plans]"), /^refund-policy\.md: .*tags/s],
		["an empty body", `${HEAD}---\n\n`, /^refund-policy\.md: .*body/s],
		[
			"a body that ends in a blank line",
			GOOD.replace(/\n$/, "\n\n"),
			/^refund-policy\.md: .*must not start or end with blank space.*body/s,
		],
	])("fails loudly, naming the file, on %s", (_, text, message) => {
		expect(() => parseArticle("refund-policy.md", text)).toThrow(message);
	});
});

describe("parseArticles", () => {
	it("keeps the given order", () => {
		const other = GOOD.replace("id: refund-policy", "id: request-refund");
		const ids = parseArticles([
			["request-refund.md", other],
			["refund-policy.md", GOOD],
		]).map((article) => article.id);
		expect(ids).toEqual(["request-refund", "refund-policy"]);
	});

	it("refuses a file not named after its id", () => {
		expect(() => parseArticles([["refunds.md", GOOD]])).toThrow("refunds.md: must be named after its id, refund-policy.md");
	});

	it("refuses a file listed twice", () => {
		expect(() =>
			parseArticles([
				["refund-policy.md", GOOD],
				["refund-policy.md", GOOD],
			]),
		).toThrow("refund-policy.md: listed twice");
	});
});
