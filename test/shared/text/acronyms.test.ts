import { describe, expect, it } from "vitest";
import { expandAcronyms } from "../../../src/shared/text/acronyms";

const DPA = "The Brightdesk DPA includes the EU Standard Contractual Clauses and the list of subprocessors.";
const SLACK = "Each member can get direct messages from the Brightdesk Slack app. Do more with Slack.";

describe("expandAcronyms", () => {
	it("spells out an acronym the articles never use as the words they do use, plural or not", () => {
		expect(expandAcronyms("does it include the SCCs?", [DPA])).toBe("does it include the Standard Contractual Clauses?");
		expect(expandAcronyms("could I get them as slack DMs instead?", [SLACK])).toBe("could I get them as slack direct messages instead?");
	});

	it("leaves an acronym the articles use, one no run of words spells, and words in lower case as typed", () => {
		expect(expandAcronyms("is the DPA signed?", [DPA])).toBe("is the DPA signed?");
		expect(expandAcronyms("do you have an SLA?", [DPA])).toBe("do you have an SLA?");
		expect(expandAcronyms("any scc info?", [DPA])).toBe("any scc info?");
	});

	it("prefers a run in capitals, and spells a two-letter acronym only with words that mean something", () => {
		expect(expandAcronyms("what is a CS?", ["contact sales or a Customer Success manager"])).toBe("what is a Customer Success?");
		// "Do more" is two words, but "do" names nothing: no spelling of "DM" here.
		expect(expandAcronyms("any DMs?", ["Do more with Slack."])).toBe("any DMs?");
	});
});
