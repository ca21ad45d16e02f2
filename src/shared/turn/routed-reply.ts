/**
 * A reply under model routing: the rule (model-routing.ts) picks the model;
 * a turn sent to the small one streams through a decline gate, and a turn
 * the small model declines is answered again by the large one, with the
 * user none the wiser: nothing of a declined reply ever reaches a socket.
 *
 * A decline, precisely. The gate holds the small model's text back until
 * its opening is decided: the opening ends at the reply's first citation of
 * a retrieved article (`[n]`, as citations.ts reads it), or at the first
 * sentence end past its first MIN_OPENING_CHARS characters, whichever comes
 * first. The reply is a decline when
 * - its opening says it cannot answer (DECLINE_PATTERN), or
 * - it ends inside its opening without citing a retrieved article, though
 *   articles were retrieved (a grounded answer cites; one that cites nothing
 *   has not used the help center), or it is empty.
 * Once released, text is never taken back (deltas stay prefixes of the final
 * text, CONTRACT §4), so a reply that turns vague after its first sentence
 * stands. Holding only the opening costs the small model's turns a sentence
 * of latency, not the whole reply.
 */

import type { AiProvider, Source } from "../ai/provider";
import { isolateMetrics } from "../metrics/recorder";
import type { Message } from "../schemas/message";
import { DECLINE_PATTERN } from "../text/decline";
import { contextFreeQuestion } from "./answer-cache";
import { citationsFor } from "./citations";
import type { ReplySink } from "./delta-coalescer";
import { type Route, type RouteInput, routeTurn } from "./model-routing";

/** What the turn answers, as answer-turn.ts holds it. */
export interface RoutedTurn {
	summary: string | null;
	history: Message[];
	replyTo: string[];
}

/** A sentence ending before this many characters ("Sure.", "Hi!") does not decide the opening yet. */
export const MIN_OPENING_CHARS = 40;

/** A sentence ends at . ! ? (maybe closing a quote or bracket) before a space, or at a line break. */
const SENTENCE_END = /[.!?]["')\]]?\s|\n/;

/** Thrown through the small model's stream once its reply is a decline: it stops that stream. */
class Declined extends Error {
	override readonly name = "Declined";
}

/**
 * Runs `generate` on the model routing picks for `turn`, and once more on the large model if
 * the small one declines. Without a small model (routing off) it is `generate` on the large one.
 * @example await routedReply(turn, sources, provider, deltas, (p, sink) => generateReply(turn, sources, p, sink, signal))
 */
export async function routedReply<T>(
	turn: RoutedTurn,
	sources: readonly Source[],
	provider: AiProvider,
	sink: ReplySink,
	generate: (provider: AiProvider, sink: ReplySink) => Promise<T | undefined>,
): Promise<T | undefined> {
	const small = provider.smallModel;
	if (small === undefined) return generate(provider, sink);
	const route = routeTurn(routeInput(turn, sources));
	counted(route);
	if (route.model === "large") return generate(onModel(provider, provider.model), sink);
	try {
		return await generate(onModel(provider, small), new DeclineGate(sink, sources));
	} catch (error) {
		if (!(error instanceof Declined)) throw error;
	}
	counted({ model: "large", reason: "declined" });
	console.log(JSON.stringify({ event: "model_escalated", from: small, to: provider.model, routed: route.reason }));
	return generate(onModel(provider, provider.model), sink);
}

/** The rule's inputs for a turn: its position, its retrieval and how long its question is. */
export function routeInput(turn: RoutedTurn, sources: readonly Source[]): RouteInput {
	const asked = turn.history.filter((m) => turn.replyTo.includes(m.id)).map((m) => m.text);
	return {
		firstTurn: contextFreeQuestion(turn) !== undefined,
		scores: sources.map((s) => s.score),
		questionChars: asked.join("\n").length,
	};
}

function counted(route: Route | { model: "large"; reason: "declined" }): void {
	isolateMetrics.count("chat_ai_routing_total", { model: route.model, reason: route.reason });
}

/** `provider` with every call on `model` (the usage counter downstream sees which). */
function onModel(provider: AiProvider, model: string): AiProvider {
	return {
		name: provider.name,
		model: provider.model,
		smallModel: provider.smallModel,
		stream: (request) => provider.stream({ ...request, model }),
	};
}

/**
 * Holds the small model's reply until its opening is decided (see the header): then releases
 * it to `out` and passes everything after straight through, or throws Declined.
 */
export class DeclineGate implements ReplySink {
	readonly #out: ReplySink;
	readonly #sources: readonly Source[];
	#held = "";
	#open = false;

	constructor(out: ReplySink, sources: readonly Source[]) {
		this.#out = out;
		this.#sources = sources;
	}

	get owned(): boolean {
		return this.#out.owned;
	}

	add(text: string): void {
		if (this.#open) {
			this.#out.add(text);
			return;
		}
		this.#held += text;
		if (DECLINE_PATTERN.test(this.#held)) throw new Declined("the small model's reply opens with a decline");
		const cites = citationsFor(this.#held, this.#sources).length > 0;
		// Only a sentence ending past the first MIN_OPENING_CHARS counts: "Sure! " opens nothing yet.
		if (cites || SENTENCE_END.test(this.#held.slice(MIN_OPENING_CHARS - 1))) this.#release();
	}

	async flush(): Promise<boolean> {
		if (!this.#open) {
			if (this.#held.trim() === "") throw new Declined("the small model's reply is empty");
			if (this.#sources.length > 0 && citationsFor(this.#held, this.#sources).length === 0) {
				throw new Declined("the small model's reply cites none of the retrieved articles");
			}
			this.#release();
		}
		return this.#out.flush();
	}

	#release(): void {
		this.#open = true;
		if (this.#held) this.#out.add(this.#held);
		this.#held = "";
	}
}
