import { describe, expect, it } from "vitest";
import { asksForPerson } from "../../../src/shared/text/person-request";

describe("asksForPerson", () => {
	it.each([
		"can I talk to a human?",
		"agent please",
		"Agent!",
		"this bot isnt helping, I want a real person",
		"I need to speak with someone from support",
		"transfer me to a representative",
		"can you connect me with an agent",
		"get me a human",
		"human",
	])("%j asks for a person", (text) => {
		expect(asksForPerson(text)).toBe(true);
	});

	it.each([
		"Can I assign a task to a person?",
		"How do I add a member to my workspace?",
		"What does the user agent string look like in the audit log?",
		"Is support available on weekends?",
		"How many people can join the Team plan?",
		"who is the human resources contact for invoices?",
	])("%j does not", (text) => {
		expect(asksForPerson(text)).toBe(false);
	});
});
