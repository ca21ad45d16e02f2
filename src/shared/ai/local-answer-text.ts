/**
 * The local model's text handling: an article body split into sentences and list items, and
 * picked sentences joined back into an answer, lists kept as lists.
 */
import type { Passage } from "./local-answer-check";

/** Sentences and list items of a markdown body, with the markdown stripped. */
export function splitPassages(markdown: string): string[] {
	const out: string[] = [];
	for (const rawLine of markdown.split("\n")) {
		const line = rawLine.trim();
		if (!line || line.startsWith("#") || line.startsWith("|") || line.startsWith("```")) continue;
		const item = /^([-*+]|\d+[.)])\s+/.exec(line);
		const text = stripInline(item ? line.slice(item[0].length) : line);
		if (item) out.push(`${/^\d/.test(item[1] ?? "") ? `${item[1]} ` : "- "}${text}`);
		// A sentence ends at . ! ? followed by a space, so "github.com" and "3.5" stay whole.
		else out.push(...(text.match(/\S.*?(?:[.!?]+["')\]]?(?=\s|$)|$)/g) ?? []).map((s) => s.trim()).filter(Boolean));
	}
	return out;
}

function stripInline(text: string): string {
	return text
		.replace(/\*\*(.+?)\*\*|__(.+?)__/g, "$1$2")
		.replace(/`([^`]+)`/g, "$1")
		.replace(/\[([^\]]+)\]\([^)]+\)/g, "$1");
}

/** A chosen sentence that introduces steps ("…:") brings the list that follows it. */
export function withFollowingSteps(chosen: Passage[], all: Passage[]): Passage[] {
	const out: Passage[] = [];
	for (const passage of chosen) {
		if (!out.includes(passage)) out.push(passage);
		if (!passage.text.endsWith(":")) continue;
		const steps = all.filter((p) => p.source === passage.source && p.order > passage.order && p.order <= passage.order + 6);
		for (const step of steps) {
			if (!/^(\d+[.)]|-) /.test(step.text)) break;
			if (!out.includes(step)) out.push(step);
		}
	}
	return out.sort((a, b) => a.order - b.order);
}

const LIST_ITEM = /^(\d+[.)]|-) /;

/**
 * Joins passages in article order. A run of consecutive list items stays a
 * list (numbered only when it starts at step 1); a lone list item reads as a
 * sentence.
 */
export function render(passages: Passage[]): string {
	const groups: Passage[][] = [];
	for (const passage of [...passages].sort((a, b) => a.order - b.order)) {
		const last = groups.at(-1);
		const previous = last?.at(-1);
		const continuesList = previous && LIST_ITEM.test(previous.text) && LIST_ITEM.test(passage.text) && passage.order === previous.order + 1;
		if (last && continuesList) last.push(passage);
		else groups.push([passage]);
	}
	let text = "";
	let afterList = false;
	for (const group of groups) {
		const first = group[0];
		if (!first) continue;
		if (group.length === 1) {
			const sentence = first.text.replace(LIST_ITEM, "");
			text += text === "" ? sentence : text.endsWith(":") || afterList ? `\n${sentence}` : ` ${sentence}`;
			afterList = false;
			continue;
		}
		const numbered = /^1[.)] /.test(first.text);
		const list = group.map((p) => (numbered ? p.text : `- ${p.text.replace(LIST_ITEM, "")}`)).join("\n");
		text += text === "" ? list : `\n${list}`;
		afterList = true;
	}
	return text;
}
