/**
 * The zero-config provider for `npm run dev`, tests and benchmarks: a
 * deterministic, knowledge-base-grounded responder. It answers the user's
 * latest messages from the retrieved articles and streams the answer in
 * word-sized chunks, paced like a model. It simulates two models: the large
 * one, and, when routing is on, a small one that is faster and declines what
 * its top article does not answer (local-answer.ts).
 */
import { dependsOnContext, leanedOn, opensNewTopic } from "../text/follow-up";
import { localAccountStep } from "./local-account";
import { composeAnswer, isGreeting } from "./local-answer";
import { LOCAL_MODELS } from "./local-models";
import type { AiProvider, CompletionRequest } from "./provider";
import { ToolCallAssembler } from "./tool-calls";

/** Characters per streamed chunk, roughly three words, like a model's token bursts. */
export const LOCAL_CHUNK_CHARS = 16;

interface Pacing {
	firstChunkDelayMs?: number;
	chunkDelayMs: number;
}

/**
 * @example localProvider({ chunkDelayMs: 15, small: { chunkDelayMs: 6 } }).smallModel // "local-8b/grounded-extractive-v24"
 */
export function localProvider(options: Pacing & { small?: Pacing | undefined }): AiProvider {
	const { small } = options;
	return {
		name: "local",
		model: LOCAL_MODELS.large,
		smallModel: small ? LOCAL_MODELS.small : undefined,
		async *stream(request: CompletionRequest) {
			const smallOne = small !== undefined && request.model === LOCAL_MODELS.small;
			const pacing = smallOne ? small : options;
			const { question, context } = understood(request);
			// Account questions: the function calls a hosted model makes, in Workers AI's own shape and read as its
			// adapter reads them, or the reply from their results (local-account.ts).
			const step = localAccountStep(question, request);
			if (step?.kind === "call") {
				if (pacing.firstChunkDelayMs ?? pacing.chunkDelayMs) await scheduler.wait(pacing.firstChunkDelayMs ?? pacing.chunkDelayMs);
				const calls = new ToolCallAssembler();
				calls.add(step.pieces);
				request.tools?.called(calls.finish());
				return;
			}
			const firstName = request.user?.name?.split(/\s+/)[0];
			// The small one declines what leans on the conversation; a later turn that stands alone it answers alone.
			const answer =
				step?.text ??
				(firstName && isGreeting(question)
					? `Hi ${firstName}! How can I help you today? I can answer questions about the product and look up your plan and invoices.`
					: smallOne
						? composeAnswer(question, request.sources, "small", dependsOnContext(question) ? context : undefined)
						: composeAnswer(question, request.sources, "large", context));
			for (const [i, chunk] of chunkText(answer, LOCAL_CHUNK_CHARS).entries()) {
				if (request.signal?.aborted) return;
				const pause = i === 0 ? (pacing.firstChunkDelayMs ?? pacing.chunkDelayMs) : pacing.chunkDelayMs;
				if (pause > 0) await scheduler.wait(pause);
				yield chunk;
			}
		},
	};
}

/**
 * The trailing run of user messages (a coalesced turn asks all of them at once) and the earlier
 * questions it may lean on, as a model reading the transcript would: none once it opens a new
 * topic ("another question: …").
 */
function understood(request: CompletionRequest): { question: string; context?: string } {
	const asked: string[] = [];
	// Function calls and their results after the question (an account turn's later rounds) are not part of it.
	let i = request.messages.findLastIndex((m) => m.role === "user");
	for (; i >= 0; i--) {
		const message = request.messages[i];
		if (message?.role !== "user") break;
		asked.unshift(message.content);
	}
	const question = asked.join("\n");
	if (opensNewTopic(question)) return { question };
	const earlier = request.messages.slice(0, Math.max(0, i + 1)).flatMap((m) => (m.role === "user" ? [m.content] : []));
	const context = leanedOn(earlier);
	return context.length ? { question, context: context.join("\n") } : { question };
}

/**
 * Splits text into chunks of about `size` characters, breaking after spaces.
 * @example chunkText("one two three", 8) // ["one two ", "three"]
 */
export function chunkText(text: string, size: number): string[] {
	const chunks: string[] = [];
	let start = 0;
	while (start < text.length) {
		let end = Math.min(text.length, start + size);
		const space = text.lastIndexOf(" ", end);
		if (end < text.length && space > start) end = space + 1;
		chunks.push(text.slice(start, end));
		start = end;
	}
	return chunks;
}
