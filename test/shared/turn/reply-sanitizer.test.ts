import { describe, expect, it } from "vitest";
import { lastSentenceEnd, REPLY_CHAR_LIMIT, ReplySanitizer } from "../../../src/shared/turn/reply-sanitizer";

const SYSTEM = "You are the customer-support assistant for this product. Answer the user's latest question using only the articles.";

/** Streams `raw` in chunks of `size`, returning what was released and the finished reply. */
function run(raw: string, size: number, system = SYSTEM) {
	const sanitizer = new ReplySanitizer(system);
	let released = "";
	for (let i = 0; i < raw.length; i += size) released += sanitizer.push(raw.slice(i, i + size));
	const finished = sanitizer.finish();
	return { released: released + finished.tail, releasedBeforeFinish: released, ...finished };
}

const CHUNK_SIZES = [1, 2, 3, 5, 7, 16, 64, 10_000];

describe("ReplySanitizer", () => {
	it.each(CHUNK_SIZES)("releases exactly the final text whatever the chunking (chunks of %i)", (size) => {
		const raw = "Assistant: To reset your password, open Settings → Security. <|eot_id|>Then click [INST]Reset[/INST]. [1]";
		const result = run(raw, size);
		expect(result.text).toBe("To reset your password, open Settings → Security. Then click Reset. [1]");
		expect(result.released).toBe(result.text);
	});

	it("strips template tokens anywhere in the reply", () => {
		expect(run("<|begin_of_text|>Hello<|eot_id|> there </s>[/INST]", 3).text).toBe("Hello there");
	});

	it("strips a leading Assistant: label but keeps the word elsewhere", () => {
		expect(run("Assistant:  The assistant can help.", 2).text).toBe("The assistant can help.");
	});

	it("strips an echoed system prompt", () => {
		const result = run(`${SYSTEM}\n\nRefunds take 5 days. [1]`, 4);
		expect(result.text).toBe("Refunds take 5 days. [1]");
		expect(result.released).toBe(result.text);
	});

	it("keeps a reply that merely starts like the system prompt", () => {
		expect(run("You are welcome to upgrade at any time.", 3).text).toBe("You are welcome to upgrade at any time.");
	});

	it("keeps brackets that are not template tokens", () => {
		expect(run("See [1] and [Settings] <b>.", 1).text).toBe("See [1] and [Settings] <b>.");
	});

	it("holds back a possible partial token until it is decided", () => {
		const sanitizer = new ReplySanitizer(SYSTEM);
		expect(sanitizer.push("Done.<|eo")).toBe("Done.");
		expect(sanitizer.push("t_id|>")).toBe("");
		expect(sanitizer.finish()).toEqual({ tail: "", text: "Done.", status: "complete" });
	});

	it("does not release trailing whitespace that the final text trims", () => {
		const result = run("Hello there.   \n\n", 1);
		expect(result.releasedBeforeFinish).toBe("Hello there.");
		expect(result.text).toBe("Hello there.");
	});

	it.each(CHUNK_SIZES)("caps a long reply on a sentence boundary, released text always a prefix (chunks of %i)", (size) => {
		const sentence = "Brightdesk keeps every invoice under Settings → Billing → Invoices. ";
		const result = run(sentence.repeat(40), size);
		expect(result.status).toBe("truncated");
		expect(result.text.length).toBeLessThanOrEqual(REPLY_CHAR_LIMIT);
		expect(result.text.endsWith("Invoices.")).toBe(true);
		expect(result.released).toBe(result.text);
	});

	it("cuts at a word with an ellipsis when no sentence ends in reach", () => {
		const result = run("word ".repeat(400), 7);
		expect(result.status).toBe("truncated");
		expect(result.text.endsWith("…")).toBe(true);
		expect(result.text.length).toBeLessThanOrEqual(REPLY_CHAR_LIMIT + 1);
		expect(result.released).toBe(result.text);
	});

	it("reports full once the stream is far past the cap", () => {
		const sanitizer = new ReplySanitizer(SYSTEM);
		sanitizer.push("x".repeat(REPLY_CHAR_LIMIT * 2 + 1));
		expect(sanitizer.full).toBe(true);
	});
});

describe("lastSentenceEnd", () => {
	it("finds the end of the last full sentence, keeping its citation marker", () => {
		const text = "First one. Second one [2]. Third";
		expect(text.slice(0, lastSentenceEnd(text, text.length))).toBe("First one. Second one [2].");
		const cited = "First one. [1] Then more";
		expect(cited.slice(0, lastSentenceEnd(cited, cited.length))).toBe("First one. [1]");
	});

	it("returns 0 when no sentence ends", () => {
		expect(lastSentenceEnd("no end here", 11)).toBe(0);
	});
});
