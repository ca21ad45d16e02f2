import { describe, expect, it } from "vitest";
import { localProvider } from "../../../src/shared/ai/local";
import type { AiProvider, CompletionRequest } from "../../../src/shared/ai/provider";
import { withTimeout } from "../../../src/shared/ai/with-timeout";
import { PermanentError, TransientError } from "../../../src/shared/errors";
import type { Message } from "../../../src/shared/schemas/message";
import { extractiveSummary } from "../../../src/shared/summary/extractive";
import { SUMMARY_SYSTEM_PROMPT, summaryPrompt } from "../../../src/shared/summary/prompt";
import { SUMMARY_CHAR_LIMIT, SUMMARY_MAX_TOKENS, type SummaryInput, summarize } from "../../../src/shared/summary/summarize";

function message(seq: number, role: Message["role"], text: string): Message {
	return { seq, id: `m${seq}`, role, text, createdAt: "2026-01-01T00:00:00.000Z", status: "complete" };
}

const INPUT: SummaryInput = {
	previous: "- Asked: What is SSO?",
	messages: [message(2, "user", "And SCIM?"), message(3, "assistant", "SCIM is on the Enterprise plan. [1]")],
};

/** A provider named like a remote adapter that yields `chunks` (or throws `error`) and records each request. */
function fakeProvider(chunks: string[], error?: Error) {
	const requests: CompletionRequest[] = [];
	const provider: AiProvider = {
		name: "workers-ai",
		model: "fake-model",
		smallModel: undefined,
		async *stream(request) {
			requests.push(request);
			if (error) throw error;
			yield* chunks;
		},
	};
	return { provider, requests };
}

describe("summarize", () => {
	it("asks a remote provider with the summary prompt, no sources and the summary token budget", async () => {
		const { provider, requests } = fakeProvider(["The user asked ", "about SSO and SCIM."]);
		const signal = new AbortController().signal;
		expect(await summarize(provider, INPUT, signal)).toBe("The user asked about SSO and SCIM.");
		expect(requests).toHaveLength(1);
		expect(requests[0]?.maxTokens).toBe(SUMMARY_MAX_TOKENS);
		expect(requests[0]?.sources).toEqual([]);
		expect(requests[0]?.signal).toBe(signal);
		expect(requests[0]?.messages[0]).toEqual({ role: "system", content: SUMMARY_SYSTEM_PROMPT });
		expect(requests[0]?.messages).toEqual(summaryPrompt(INPUT));
	});

	it("strips template tokens and surrounding whitespace from the model's summary", async () => {
		const { provider } = fakeProvider(["  The user <|eot", "_id|>asked [IN[INST]ST]about SSO.</s>\n"]);
		expect(await summarize(provider, INPUT)).toBe("The user asked about SSO.");
	});

	it("throws a TransientError when the model's summary is empty once cleaned", async () => {
		const { provider } = fakeProvider([" ", "<|eot_id|>", "\n"]);
		await expect(summarize(provider, INPUT)).rejects.toBeInstanceOf(TransientError);
	});

	it("caps a long summary at SUMMARY_CHAR_LIMIT, on a sentence when one ends late enough", async () => {
		const { provider } = fakeProvider(Array.from({ length: 400 }, (_, i) => `Fact number ${i} holds. `));
		const summary = await summarize(provider, INPUT);
		expect(summary.length).toBeLessThanOrEqual(SUMMARY_CHAR_LIMIT);
		expect(summary.length).toBeGreaterThan(SUMMARY_CHAR_LIMIT - 30);
		expect(summary.endsWith("holds.")).toBe(true);
	});

	it("caps a summary without sentence ends at exactly SUMMARY_CHAR_LIMIT", async () => {
		const { provider } = fakeProvider(["x".repeat(SUMMARY_CHAR_LIMIT * 2)]);
		expect(await summarize(provider, INPUT)).toHaveLength(SUMMARY_CHAR_LIMIT);
	});

	it("passes provider errors through unchanged", async () => {
		const refused = new PermanentError("refused");
		await expect(summarize(fakeProvider([], refused).provider, INPUT)).rejects.toBe(refused);
		const busy = new TransientError("busy", { retryAfterSeconds: 5 });
		await expect(summarize(fakeProvider([], busy).provider, INPUT)).rejects.toBe(busy);
	});

	it("calls the model through a wrapper, which keeps the provider's name", async () => {
		const { provider, requests } = fakeProvider(["Summary."]);
		expect(await summarize(withTimeout(provider, 1000), INPUT)).toBe("Summary.");
		expect(requests).toHaveLength(1);
	});

	it("returns the extractive summary for the local provider, wrapped or not", async () => {
		const local = localProvider({ chunkDelayMs: 0 });
		const expected = extractiveSummary(INPUT);
		expect(expected).toBe("- Asked: What is SSO?\n- Asked: And SCIM?\n- Answered: SCIM is on the Enterprise plan.");
		expect(await summarize(local, INPUT)).toBe(expected);
		expect(await summarize(withTimeout(local, 1000), INPUT)).toBe(expected);
	});
});
