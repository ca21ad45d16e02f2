/**
 * What 1,000 conversations of 6 turns cost in model spend, with routing off
 * and on: the same scripted conversations (a first question, follow-ups, new
 * topics, a thank-you) on a product started each way, the answer cache off
 * so every turn reaches a model. The tokens and dollars are the product's
 * own counters (chat_ai_tokens_total, chat_ai_cost_dollars_total), read
 * from /api/metrics before and after; the bench prices the same token
 * counts again from the configured prices as a check on the cost counter.
 */
import { FOLLOW_UPS, QUICK_QUESTIONS } from "../load/behaviours/questions";
import { ChatSocket, createSession } from "../load/lib/chat-client";
import { costNanoDollars, DEFAULT_MODEL_PRICES, type ModelPrice, NANO_DOLLARS_PER_DOLLAR } from "../src/shared/ai/pricing";

/** The figure ($8 per 1,000 conversations) assumes conversations of six turns. */
export const CONVERSATION_TURNS = 6;

/**
 * Conversation `i`: a first question, a follow-up, another topic, another follow-up, a third
 * topic and thanks. Deterministic, so both runs ask exactly the same.
 * @example conversation(0) // ["How do I reset my password?", "Thanks! And how do I download a receipt for that?", …]
 */
export function conversation(i: number): string[] {
	const quick = (k: number) => QUICK_QUESTIONS[(i + k) % QUICK_QUESTIONS.length] ?? "";
	const followUp = (k: number) => FOLLOW_UPS[(i + k) % FOLLOW_UPS.length] ?? "";
	return [quick(0), followUp(0), quick(5), followUp(3), quick(11), "Thanks, that helped!"];
}

export interface CostRun {
	routing: "off" | "on";
	conversations: number;
	turns: number;
	errors: number;
	/** Turns the assistant stayed silent for because people had the conversation (CONTRACT §7). */
	handedOver: number;
	/** Tokens per conversation, per model and direction, as the product counted them. */
	tokensPerConversation: Record<string, { input: number; output: number }>;
	/** Model spend per 1,000 conversations, from the product's cost counter. */
	dollarsPer1000: number;
	/** The same token counts priced here from the configured prices (a check on the counter). */
	dollarsPer1000Repriced: number;
	/** Routing decisions, by model and reason (routing on only). */
	routes: Record<string, number>;
	seconds: number;
}

interface Counters {
	tokens: Map<string, { input: number; output: number }>;
	dollars: Map<string, number>;
	routes: Map<string, number>;
	answered: number;
}

/**
 * Runs `count` conversations, `concurrency` at a time, and reads what they cost.
 * `prices` says which price each model's tokens get when repriced: the large one's unless listed.
 */
export async function measureCost(
	url: string,
	routing: "off" | "on",
	count: number,
	prices: { small: readonly string[] },
	log: (text: string) => void,
	concurrency = 4,
): Promise<CostRun> {
	const started = performance.now();
	const before = await settledCounters(url);
	let errors = 0;
	/** Turns sent once the conversation was handed to people (two declines in a row): silent by design, no model call. */
	let handedOver = 0;
	let next = 0;
	const tag = Date.now().toString(36);
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (let i = next++; i < count; i = next++) {
				try {
					const socket = await ChatSocket.connect(url, await createSession(url));
					for (const [turn, text] of conversation(i).entries()) {
						const timing = await socket.send(`cost${tag}c${i}t${turn}`, text, 20_000);
						if (timing.handedOver) handedOver++;
						else if (timing.finalMs === undefined) errors++;
					}
					socket.close();
				} catch {
					errors++;
				}
			}
		}),
	);
	const turns = count * CONVERSATION_TURNS;
	const after = await settledCounters(url, before.answered + turns - errors - handedOver);
	const tokensPerConversation: CostRun["tokensPerConversation"] = {};
	let dollars = 0;
	let repriced = 0;
	for (const [model, total] of after.tokens) {
		const was = before.tokens.get(model) ?? { input: 0, output: 0 };
		const used = { inputTokens: total.input - was.input, outputTokens: total.output - was.output };
		if (used.inputTokens === 0 && used.outputTokens === 0) continue;
		tokensPerConversation[model] = { input: round(used.inputTokens / count), output: round(used.outputTokens / count) };
		const price: ModelPrice = prices.small.includes(model) ? DEFAULT_MODEL_PRICES.small : DEFAULT_MODEL_PRICES.large;
		repriced += costNanoDollars(used, price) / NANO_DOLLARS_PER_DOLLAR;
		dollars += (after.dollars.get(model) ?? 0) - (before.dollars.get(model) ?? 0);
	}
	const routes: Record<string, number> = {};
	for (const [key, n] of after.routes) {
		const added = n - (before.routes.get(key) ?? 0);
		if (added > 0) routes[key] = added;
	}
	const run: CostRun = {
		routing,
		conversations: count,
		turns,
		errors,
		handedOver,
		tokensPerConversation,
		dollarsPer1000: round((dollars / count) * 1000),
		dollarsPer1000Repriced: round((repriced / count) * 1000),
		routes,
		seconds: Math.round((performance.now() - started) / 100) / 10,
	};
	log(
		`cost, routing ${routing}: ${count} conversations, $${run.dollarsPer1000} per 1,000 (${errors} errors, ${handedOver} turns handed to people)`,
	);
	return run;
}

/** Prints both runs side by side. */
export function printCost(off: CostRun, on: CostRun): void {
	console.log(`\nmodel spend per 1,000 conversations of ${CONVERSATION_TURNS} turns (answer cache off: every turn reaches a model)`);
	console.log(`${"routing".padEnd(9)}${"model".padEnd(44)}${"in tok/conv".padEnd(13)}${"out tok/conv".padEnd(14)}$ / 1,000 conv`);
	for (const run of [off, on]) {
		const models = Object.entries(run.tokensPerConversation);
		for (const [i, [model, t]] of models.entries()) {
			const total = i === models.length - 1 ? `${run.dollarsPer1000} (repriced ${run.dollarsPer1000Repriced})` : "";
			const tokens = `${Math.round(t.input)}`.padEnd(13) + `${Math.round(t.output)}`.padEnd(14);
			console.log(`${(i === 0 ? run.routing : "").padEnd(9)}${model.padEnd(44)}${tokens}${total}`);
		}
	}
	const saved = off.dollarsPer1000 > 0 ? Math.round((1 - on.dollarsPer1000 / off.dollarsPer1000) * 1000) / 10 : 0;
	console.log(`routing on saves ${saved} %; its decisions: ${JSON.stringify(on.routes)}`);
}

/**
 * The counters, once they have stopped moving (and, given `answered`, once that many turns are
 * counted): a turn's metrics reach the exposition a second or two after its reply.
 */
async function settledCounters(url: string, answered = 0): Promise<Counters> {
	let last = "";
	const deadline = Date.now() + 30_000;
	for (;;) {
		const counters = parse(await (await fetch(`${url}/api/metrics`)).text());
		const seen = JSON.stringify([...counters.tokens, ...counters.dollars, ...counters.routes, counters.answered]);
		if (seen === last && counters.answered >= answered) return counters;
		if (Date.now() > deadline) throw new Error(`cost: the metrics did not settle (${counters.answered} of ${answered} turns counted)`);
		last = seen;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/** The few series this needs from the exposition. */
function parse(text: string): Counters {
	const counters: Counters = { tokens: new Map(), dollars: new Map(), routes: new Map(), answered: 0 };
	for (const line of text.split("\n")) {
		const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
		if (!match) continue;
		const [, name, labelText = "", value] = match;
		const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
		const n = Number(value);
		if (name === "chat_ai_tokens_total" && labels.model) {
			const entry = counters.tokens.get(labels.model) ?? { input: 0, output: 0 };
			if (labels.direction === "input") entry.input += n;
			else entry.output += n;
			counters.tokens.set(labels.model, entry);
		} else if (name === "chat_ai_cost_dollars_total" && labels.model) counters.dollars.set(labels.model, n);
		else if (name === "chat_ai_routing_total") counters.routes.set(`${labels.model}:${labels.reason}`, n);
		else if (name === "chat_turns_total" && labels.outcome === "answered" && labels.source === "model") counters.answered += n;
	}
	return counters;
}

function round(n: number): number {
	return Math.round(n * 1000) / 1000;
}
