/**
 * Word-level text helpers shared by knowledge-base search (FTS5 query
 * building) and the local AI provider (sentence scoring).
 */

const STOPWORDS = new Set(
	(
		"a about after all also am an and any are as at be been before but by can could did do does doing for from get got had has have " +
		"how i if in into is it its just let me my no not of on or our out please so some than that the their them then there these they " +
		"this to too up us was we were what when where which who why will with would you your yours hi hello hey thanks thank ok okay want " +
		"need help like know tell show"
	).split(" "),
);

/** Cheap suffix stripping so "refunds", "refunded" and "refunding" meet. */
export function stem(word: string): string {
	if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
	if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
	if (word.length > 4 && word.endsWith("es") && !word.endsWith("ses")) return word.slice(0, -2);
	if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
	return word;
}

/** Lower-cased words of two or more letters or digits, in order. */
export function words(text: string): string[] {
	return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}

/**
 * The meaningful, stemmed terms of a text, without duplicates.
 * @example terms("How do I get a refund?") // ["refund"]
 */
export function terms(text: string): string[] {
	return [
		...new Set(
			words(text)
				.filter((w) => !STOPWORDS.has(w))
				.map(stem),
		),
	];
}

/**
 * The meaningful words of a text, unstemmed, without duplicates; FTS5's
 * porter tokenizer does its own stemming.
 * @example keywords("How do I get refunds?") // ["refunds"]
 */
export function keywords(text: string): string[] {
	return [...new Set(words(text).filter((w) => !STOPWORDS.has(w)))];
}
