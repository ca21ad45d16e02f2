import { describe, expect, it } from "vitest";
import { lastSentenceEnd, REPLY_CHAR_LIMIT, ReplySanitizer } from "../../../src/shared/turn/reply-sanitizer";
import { seededRandom as random } from "../../support/random";

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

/** Pieces of tokens, invisible characters and ordinary reply text, so random replies nest tokens often. */
const SOUP = [
	"<",
	"<<",
	"|",
	"|>",
	">>",
	"[",
	"]",
	"/",
	"eot_id",
	"IN",
	"ST",
	"SYS",
	"s",
	"\u200B",
	"Reset ",
	"it. ",
	"[1]",
	"AI",
	":",
	// Astral characters, which random chunks split between their two halves: a tag character (invisible) and an emoji.
	"\u{E0049}",
	"\u{1F600}",
	// Openings that stay undecided for a while (whitespace, a label, an echo), and sentences long enough to pass the cap.
	" ",
	"\n",
	"Assistant",
	" : ",
	SYSTEM.slice(0, 50),
	"Brightdesk keeps every invoice under Settings. ",
	"x".repeat(90),
];

describe("ReplySanitizer", () => {
	/** Raw model output and the reply it must become, released delta by delta. */
	const STREAMED: [raw: string, text: string][] = [
		[
			"Assistant: To reset your password, open Settings → Security. <|eot_id|>Then click [INST]Reset[/INST]. [1]",
			"To reset your password, open Settings → Security. Then click Reset. [1]",
		],
		// Tokens nested so that removing the inner one completes the outer one.
		["Done. <|eo<|x|>t_id|>Next.", "Done. Next."],
		["[IN[INST]ST]Open Settings.", "Open Settings."],
		["Step <<<|x|>SYS>>one.", "Step one."],
		["Step [IN<|x|>ST]two.", "Step two."],
		["[IN[IN[IN[INST]ST]ST]ST]Deep.", "Deep."],
		// Longer than any token: the hold must not give up at some length.
		[`Step ${"[IN".repeat(30)}${"ST]".repeat(30)}three.`, "Step three."],
		// Zero-width characters inside a token, and between ordinary letters.
		["Go<|eot\u200B_id|> on. [/IN\u2060ST]Fine\u200D.", "Go on. Fine."],
		["AI: Refunds take 5 days. [1]", "Refunds take 5 days. [1]"],
		["Refunds take 5 days [1]. Plans renew yearly [2].", "Refunds take 5 days [1]. Plans renew yearly [2]."],
	];
	const STREAMED_CASES = STREAMED.flatMap(([raw, text]) => CHUNK_SIZES.map((size) => ({ raw, text, size })));

	it.each(STREAMED_CASES)("releases exactly the final text whatever the chunking: $raw in chunks of $size", ({ raw, text, size }) => {
		const result = run(raw, size);
		expect(result.text).toBe(text);
		expect(result.released).toBe(result.text);
	});

	it("releases exactly the final text for random token soup in random chunks", () => {
		const next = random(7);
		const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
		for (let n = 0; n < 500; n++) {
			const raw = Array.from({ length: 1 + Math.floor(next() * 30) }, () => pick(SOUP)).join("");
			const sanitizer = new ReplySanitizer(SYSTEM);
			let released = "";
			for (let i = 0; i < raw.length; ) {
				const size = 1 + Math.floor(next() * 6);
				released += sanitizer.push(raw.slice(i, i + size));
				i += size;
			}
			const finished = sanitizer.finish();
			expect(released + finished.tail, JSON.stringify(raw)).toBe(finished.text);
			// Chunk by chunk, it ends exactly where sanitizing the whole output at once does.
			expect(finished.text, JSON.stringify(raw)).toBe(run(raw, raw.length + 1).text);
			expect(finished.text).not.toMatch(/\u{E0049}/u);
			expect(finished.text, JSON.stringify(raw)).not.toMatch(/<\|[a-z_]{1,40}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?s>/i);
		}
	});

	it("releases citation markers as soon as they arrive", () => {
		const sanitizer = new ReplySanitizer(SYSTEM);
		expect(sanitizer.push("Refunds take 5 days [1")).toBe("Refunds take 5 days [1");
		expect(sanitizer.push("]. Plans renew [")).toBe("]. Plans renew");
		expect(sanitizer.push("2].")).toBe(" [2].");
	});

	it("holds back a bracket that a later token could still complete into a token", () => {
		const sanitizer = new ReplySanitizer(SYSTEM);
		expect(sanitizer.push("Open [IN<|x")).toBe("Open");
		expect(sanitizer.push("|>ST]Settings.")).toBe(" Settings.");
		expect(sanitizer.finish().text).toBe("Open Settings.");
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

	it("past 800 characters releases up to the last whole sentence after every chunk, whatever the spaces and breaks", () => {
		const next = random(11);
		const pieces = [
			"Invoices live under Settings.",
			" [1]",
			" ",
			"\n",
			"\n\n",
			"\u00a0",
			"\u3000",
			"Plans renew yearly!",
			" Why?",
			' "Quoted."',
			" word",
			"\u2014",
		];
		for (let n = 0; n < 200; n++) {
			const sanitizer = new ReplySanitizer(SYSTEM);
			let raw = "Intro.";
			let released = sanitizer.push(raw);
			while (raw.length < 1300) {
				const chunk = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
				raw += chunk;
				released += sanitizer.push(chunk);
				const trimmed = raw.trimEnd().length;
				const expected = trimmed <= 800 ? trimmed : Math.max(800, lastSentenceEnd(raw, Math.min(trimmed, REPLY_CHAR_LIMIT)));
				expect(released.length, JSON.stringify(raw)).toBe(expected);
			}
			const finished = sanitizer.finish();
			expect(released + finished.tail).toBe(finished.text);
		}
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

	it("takes exactly what /\\s/ matches for the space after a sentence, read by character code", () => {
		for (let code = 0; code <= 0xffff; code++) {
			const text = `End.${String.fromCharCode(code)}x`;
			expect(lastSentenceEnd(text, text.length), code.toString(16)).toBe(/\s/.test(String.fromCharCode(code)) ? 4 : 0);
		}
	});

	it("returns 0 when no sentence ends", () => {
		expect(lastSentenceEnd("no end here", 11)).toBe(0);
	});
});
