/**
 * An article as the passages it is searched and cited by: its sections, cut
 * at its headings, each about 300 to 800 characters. A section shorter than
 * MIN_CHARS joins the next one (a heading with one line under it is not worth
 * a passage of its own); one longer than MAX_CHARS is cut between paragraphs,
 * or between sentences when a paragraph alone is too long. Each passage keeps
 * the heading it sits under and that heading's anchor, so a citation can link
 * to the section that answered (GitHub's slug rules: lower case, spaces to
 * hyphens, punctuation dropped).
 */

export interface Passage {
	/** 0-based position in the article. */
	order: number;
	/** The heading it sits under, or null for the article's opening. */
	heading: string | null;
	/** The heading's anchor (`#anchor` on the article's URL), or null for the opening. */
	anchor: string | null;
	/** The passage's markdown, without its own heading line (a short section joined to it keeps its heading inside). */
	text: string;
}

export const MIN_CHARS = 300;
export const MAX_CHARS = 800;

/**
 * @example splitArticle("Intro text.\n\n## Steps\n\n1. Do this.") // [{ order: 0, heading: null, … }, …] (merged when short)
 */
export function splitArticle(body: string): Passage[] {
	const sections: { heading: string | null; text: string }[] = [];
	let current: { heading: string | null; lines: string[] } = { heading: null, lines: [] };
	let fenced = false;
	for (const line of body.split("\n")) {
		if (line.trimStart().startsWith("```")) fenced = !fenced;
		const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
		if (heading?.[1]) {
			sections.push({ heading: current.heading, text: current.lines.join("\n").trim() });
			current = { heading: heading[1], lines: [] };
		} else current.lines.push(line);
	}
	sections.push({ heading: current.heading, text: current.lines.join("\n").trim() });

	const merged: { heading: string | null; text: string }[] = [];
	for (const section of sections.filter((s) => s.text !== "")) {
		const previous = merged.at(-1);
		if (previous && previous.text.length < MIN_CHARS) {
			// The short one keeps its place and heading; what follows joins it under its own markdown heading.
			previous.text = `${previous.text}\n\n${section.heading ? `## ${section.heading}\n\n` : ""}${section.text}`;
		} else merged.push({ ...section });
	}

	const passages: Passage[] = [];
	for (const section of merged) {
		for (const text of cut(section.text)) {
			passages.push({ order: passages.length, heading: section.heading, anchor: section.heading ? slug(section.heading) : null, text });
		}
	}
	return passages;
}

/** A section's text in pieces of at most MAX_CHARS, cut between paragraphs, else between sentences. */
function cut(text: string): string[] {
	if (text.length <= MAX_CHARS) return [text];
	const units = text.split(/\n\s*\n/).flatMap((paragraph) => (paragraph.length <= MAX_CHARS ? [paragraph] : sentences(paragraph)));
	const pieces: string[] = [];
	let piece = "";
	for (const unit of units) {
		if (piece && piece.length + unit.length + 2 > MAX_CHARS) {
			pieces.push(piece);
			piece = unit;
		} else piece = piece ? `${piece}\n\n${unit}` : unit;
	}
	if (piece) pieces.push(piece);
	return pieces;
}

function sentences(paragraph: string): string[] {
	return paragraph.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g)?.map((s) => s.trim()) ?? [paragraph];
}

/**
 * GitHub's heading anchor.
 * @example slug("If the password reset email does not arrive") // "if-the-password-reset-email-does-not-arrive"
 */
export function slug(heading: string): string {
	return heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s-]/gu, "")
		.trim()
		.replace(/\s/g, "-");
}
