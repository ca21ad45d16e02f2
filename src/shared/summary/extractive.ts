/**
 * The running summary without a model: used by the local provider (dev,
 * tests, benchmarks) and as the shape a summary keeps when there is no model
 * to trust. It only copies text: each user message becomes an `Asked:` line,
 * each answer an `Answered:` line with its first sentences. Nothing is
 * rephrased or merged, so a fact in the summary is a fact someone stated.
 *
 * Under the size cap it keeps the start of the conversation (who the customer
 * is and what they came for, usually said first) and the latest exchanges,
 * and replaces the middle with one omission marker whose count accumulates
 * across calls, so summarizing incrementally never loses the opening.
 */
import type { Message } from "../schemas/message";
import { sanitizeText } from "../turn/template-tokens";
import { SUMMARY_CHAR_LIMIT, type SummaryInput } from "./input";

/** The earliest lines kept once the summary is full; the rest of the limit goes to the latest ones. */
const HEAD_CHAR_BUDGET = 1500;
const QUESTION_CHAR_LIMIT = 200;
const ANSWER_CHAR_LIMIT = 240;
const SOURCE_TITLE_CHAR_LIMIT = 80;
const ANSWER_SENTENCES = 2;

const MARKER = /^- … \((\d+) earlier lines? omitted\)$/;
/** Room for the marker whatever its count becomes, so the cap holds without a second pass. */
const MARKER_RESERVE = markerLine(Number.MAX_SAFE_INTEGER).length + 1;

/**
 * @example
 * extractiveSummary({ previous: null, messages: [question, answer] })
 * // "- Asked: Can I get a refund?\n- Answered: Annual plans are refundable within 30 days. (source: Refund policy)"
 */
export function extractiveSummary(input: SummaryInput): string {
	const previous = (input.previous ?? "").split("\n").filter((line) => line.trim() !== "");
	const fresh = input.messages.flatMap((message) => {
		const line = lineFor(message);
		return line ? [line] : [];
	});
	return fitToLimit([...previous, ...fresh]);
}

function lineFor(message: Message): string | undefined {
	switch (message.role) {
		case "user": {
			const question = clip(oneLine(message.text), QUESTION_CHAR_LIMIT);
			return question ? `- Asked: ${question}` : undefined;
		}
		case "assistant": {
			const answer = firstSentences(oneLine(message.text.replace(/\s?\[\d{1,2}\]/g, "")));
			if (!answer) return undefined;
			const titles = [...new Set((message.citations ?? []).map((c) => clip(oneLine(c.title), SOURCE_TITLE_CHAR_LIMIT)))].filter(Boolean);
			return `- Answered: ${answer}${titles.length ? ` (source: ${titles.join(", ")})` : ""}`;
		}
		case "agent": {
			const answer = firstSentences(oneLine(message.text));
			return answer
				? `- ${clip(oneLine(message.author?.name ?? "A person"), SOURCE_TITLE_CHAR_LIMIT)} (support) replied: ${answer}`
				: undefined;
		}
		case "system": {
			// Only failed-turn notices say something about the conversation; their wording is ours, not a fact.
			if (message.status !== "failed") return undefined;
			const count = Math.max(1, message.replyTo?.length ?? 0);
			return `- Could not answer: ${count} question${count === 1 ? "" : "s"}`;
		}
	}
}

/**
 * Keeps every line when they fit; otherwise the earliest lines, one marker and
 * the latest lines. An existing marker marks where the gap already is: the gap
 * widens there, so the head chosen the first time stays the head for good.
 */
function fitToLimit(lines: string[]): string {
	let omitted = 0;
	let gap: number | undefined;
	const kept: string[] = [];
	for (const line of lines) {
		const marker = MARKER.exec(line);
		if (!marker) {
			kept.push(line);
			continue;
		}
		omitted += Number(marker[1]);
		gap ??= kept.length;
	}
	const withMarker = (head: string[], count: number, tail: string[]) =>
		(count > 0 ? [...head, markerLine(count), ...tail] : [...head, ...tail]).join("\n");

	const whole = withMarker(kept.slice(0, gap ?? kept.length), omitted, kept.slice(gap ?? kept.length));
	if (whole.length <= SUMMARY_CHAR_LIMIT) return whole;

	let headEnd = 0;
	let used = 0;
	for (const line of kept.slice(0, gap ?? kept.length)) {
		if (used + line.length + 1 > HEAD_CHAR_BUDGET) break;
		used += line.length + 1;
		headEnd++;
	}
	let tailStart = kept.length;
	for (let i = kept.length - 1; i >= headEnd; i--) {
		const line = kept[i] ?? "";
		if (used + line.length + 1 + MARKER_RESERVE > SUMMARY_CHAR_LIMIT) break;
		used += line.length + 1;
		tailStart = i;
	}
	return withMarker(kept.slice(0, headEnd), omitted + (tailStart - headEnd), kept.slice(tailStart));
}

function markerLine(count: number): string {
	return `- … (${count} earlier line${count === 1 ? "" : "s"} omitted)`;
}

/** One line per entry: a newline in a message must not be able to forge another entry or a marker. */
function oneLine(text: string): string {
	return sanitizeText(text).replace(/\s+/g, " ").trim();
}

/** The first sentences that fit, whole; a first sentence too long for the limit is cut at a word. */
function firstSentences(text: string): string {
	// A sentence ends at punctuation followed by a space, so "app.example.com" or "2.5" stay whole.
	const sentences = text.split(/(?<=[.!?]["')]?)\s+/);
	let out = "";
	for (const sentence of sentences.slice(0, ANSWER_SENTENCES)) {
		const longer = out ? `${out} ${sentence}` : sentence;
		if (longer.length > ANSWER_CHAR_LIMIT) break;
		out = longer;
	}
	return out || clip(text, ANSWER_CHAR_LIMIT);
}

/** Cuts at a word boundary and says so with an ellipsis, never mid-surrogate. */
function clip(text: string, limit: number): string {
	if (text.length <= limit) return text;
	const space = text.lastIndexOf(" ", limit - 1);
	const cut = text.slice(0, space > limit / 2 ? space : limit - 1).replace(/[\uD800-\uDBFF]$/, "");
	return `${cut}…`;
}
