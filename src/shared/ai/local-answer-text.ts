/**
 * The local model's text handling: an article body split into sentences and list items, and
 * picked sentences joined back into an answer, lists kept as lists.
 */
/** A sentence or list item of an article; a bulleted item says which section heading it sits under. */
export interface TextUnit {
	text: string;
	/**
	 * The heading of the section a bulleted item sits under: "- 100 GB of file storage" means nothing
	 * without "Team plan: $8 per member …", and a reader takes the two together.
	 */
	label?: string | undefined;
	/**
	 * The heading of the section it sits in, whatever it is: a numbered step under "Quick fixes for
	 * mobile sync problems" is a fix (local-answer.ts, FIX_SECTION), though the heading does not
	 * label it (a step reads on its own).
	 */
	section?: string | undefined;
}

/** A sentence or list item of one of the articles an answer is composed from, scored against the question. */
export interface Passage extends TextUnit {
	/** The terms of its text. */
	terms: ReadonlySet<string>;
	/** The terms of its label, for a bulleted item under a heading. */
	labelTerms?: ReadonlySet<string> | undefined;
	/** Which article (its index among the sources), and where in it. */
	source: number;
	order: number;
	score: number;
}

/** Sentences and list items of a markdown body, with the markdown stripped. */
export function splitPassages(markdown: string): TextUnit[] {
	const out: TextUnit[] = [];
	let heading: string | undefined;
	let section: string | undefined;
	for (const rawLine of markdown.split("\n")) {
		const line = rawLine.trim();
		const title = /^#{2,6}\s+(.+)$/.exec(line);
		if (title) {
			heading = stripInline(title[1] ?? "").trim();
			section = heading;
		}
		if (!line || line.startsWith("#") || line.startsWith("|") || line.startsWith("```")) continue;
		const item = /^([-*+]|\d+[.)])\s+/.exec(line);
		const text = stripInline(item ? line.slice(item[0].length) : line);
		const numbered = /^\d/.test(item?.[1] ?? "");
		if (item && numbered) out.push({ text: `${item[1]} ${text}`, section });
		else if (item) out.push(heading ? { text: `- ${text}`, label: heading, section } : { text: `- ${text}`, section });
		else {
			// A list introduced by a sentence of its own ("After a trial ends on the Free plan:") reads under that.
			if (text.endsWith(":")) heading = undefined;
			// A sentence ends at . ! ? followed by a space, so "github.com" and "3.5" stay whole.
			out.push(...(text.match(/\S.*?(?:[.!?]+["')\]]?(?=\s|$)|$)/g) ?? []).flatMap((s) => (s.trim() ? [{ text: s.trim(), section }] : [])));
		}
	}
	return out;
}

/**
 * The text a passage's facts are read from: a bulleted item with the heading it sits under.
 * @example factText({ text: "- 100 GB of file storage", label: "Team plan: $8 per member" }) // "Team plan: $8 per member: 100 GB …"
 */
export function factText(passage: TextUnit): string {
	return passage.label ? `${passage.label}: ${passage.text.replace(LIST_ITEM, "")}` : passage.text;
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
		const continuesList =
			previous &&
			LIST_ITEM.test(previous.text) &&
			LIST_ITEM.test(passage.text) &&
			passage.order === previous.order + 1 &&
			previous.label === passage.label;
		if (last && continuesList) last.push(passage);
		else groups.push([passage]);
	}
	let text = "";
	let afterList = false;
	let labelled: string | undefined;
	for (const group of groups) {
		const first = group[0];
		if (!first) continue;
		// Items under a heading read under it, once for a run of them: "Team plan: $8 …" then its features.
		if (first.label !== undefined && LIST_ITEM.test(first.text)) {
			const items = group.map((p) => `- ${p.text.replace(LIST_ITEM, "")}`).join("\n");
			// A heading that already punctuates ("Team plan: $8 …") leads in as it is; a bare one gets a colon.
			const block = first.label === labelled ? items : `${first.label}${/[:.!?]/.test(first.label) ? "" : ":"}\n${items}`;
			text += text === "" ? block : `\n${block}`;
			labelled = first.label;
			afterList = true;
			continue;
		}
		labelled = undefined;
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
