/**
 * What kind of fact a question asks for, as extractive question answering has worked out since
 * TREC's QA track: "how long" wants a duration, "where" a place in the app, "how much" an amount.
 * A sentence of the right kind can answer a question while repeating none of its words ("how far
 * back does that go?" after a question on audit logs: "Business keeps audit logs for 1 year"),
 * which is how a follow-up usually asks. Pure and deterministic.
 */

export type AnswerType = "duration" | "frequency" | "amount" | "count" | "place" | "hours" | "steps" | "consequence";

interface Kind {
	type: AnswerType;
	/** How a question asks for it. Its words name nothing the answer must repeat (`withoutAsking`). */
	asks: RegExp;
	/** What a sentence of this kind contains. */
	answers: RegExp;
}

const UNITS = "(?:second|minute|hour|business day|working day|day|week|month|year)s?";

const KINDS: readonly Kind[] = [
	{
		type: "duration",
		asks: /\bhow (?:long|quickly|fast|soon|far back)\b|\bhow many (?:seconds|minutes|hours|days|weeks|months|years)\b/gi,
		answers: new RegExp(
			`\\b\\d+\\s*(?:-\\s*)?${UNITS}\\b|\\bimmediately\\b|\\binstantly\\b|\\bright away\\b|\\bwithin (?:a|an|one) ${UNITS}\\b`,
			"i",
		),
	},
	{
		type: "frequency",
		asks: /\bhow (?:often|frequently)\b/gi,
		answers: new RegExp(
			`\\bevery (?:\\d+ )?${UNITS}|\\b(?:hourly|daily|weekly|monthly|nightly)\\b|\\b(?:once|twice|\\d+ times) (?:a|an|per) \\w+`,
			"i",
		),
	},
	{
		type: "amount",
		asks: /\bhow much\b|\b(?:cheapest|cheaper|priciest)\b/gi,
		answers: /[$€£]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:usd|eur|gbp|gb|tb|mb|%|percent)\b|\bper (?:member|seat|user)\b/i,
	},
	// "how many times": "times" names nothing the answer repeats ("retries … 3 times" loses it as a count).
	{ type: "count", asks: /\bhow many(?: times)?\b/gi, answers: /\b\d+\b|\bunlimited\b/i },
	{
		type: "place",
		asks: /\bwhere (?:do|can|is|are|would|should|does)\b|\bwhich (?:page|menu|tab|screen|button)\b/gi,
		answers: /→|\bgo to\b|\bopen [A-Z"]|\bclick\b/,
	},
	{
		// "how do I …", "what should I try?": what to do, as a help center writes it ("To link a task, include its ID …",
		// "Click …", "Go to …").
		type: "steps",
		asks: /\bhow (?:do|can|could|should|would) (?:i|we|you)\b|\bhow to\b|\bwhat (?:do|should|can|could) (?:i|we) (?:do|try)\b/gi,
		answers: /→|\bgo to\b|\bclick\b|^\d+[.)] |^to [^,.]+, [a-z]/i,
	},
	{
		// "what would we lose?" after a downgrade, "what happens to my comments?" after a deletion: what
		// changes, stops, stays or becomes of something, as an article states an action's effects.
		type: "consequence",
		asks: /\bwhat (?:would|will|do|does|did|could) (?:we|i|you|they|it) lose\b|\bwhat (?:happens|will happen|would happen|changes)\b/gi,
		answers:
			/^(?:- )?(?:if|after|when|once|until)\b|\b(?:becomes?|stops?|stay|stays|moves? to|turns? off|read-only|view-only|no longer|loses?|drops?|keeps?|(?:is|are) (?:removed|deleted|kept|lost)|as created by)\b/i,
	},
	{
		type: "hours",
		asks: /\bwhat (?:hours|times?|days)\b|\bwhen (?:is|are) (?:you|your|the)\b|\bopening hours\b/gi,
		answers: /\b\d{1,2}:\d{2}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekends?|24\/7)\b/i,
	},
];

/**
 * The kinds of fact `question` asks for; none for a yes-or-no question or a request.
 * @example answerTypes("how far back does that go?") // ["duration"]
 */
export function answerTypes(question: string): AnswerType[] {
	return KINDS.filter((kind) => new RegExp(kind.asks.source, "i").test(question)).map((kind) => kind.type);
}

/**
 * Whether `sentence` holds a fact of one of `types`.
 * @example answersType("Links expire after 60 minutes.", ["duration"]) // true
 */
export function answersType(sentence: string, types: readonly AnswerType[]): boolean {
	return KINDS.some((kind) => types.includes(kind.type) && kind.answers.test(sentence));
}

/**
 * `question` without the words that ask for a kind of fact: "far" in "how far back" and "quickly"
 * in "how quickly" say what kind of answer is wanted, not what it is about.
 * @example withoutAsking("how quickly do they reply?") // " do they reply?"
 */
export function withoutAsking(question: string): string {
	return KINDS.reduce((text, kind) => text.replace(kind.asks, " "), question);
}
