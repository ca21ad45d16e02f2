/**
 * The primed-sessions measurement: many sessions that already have a turn
 * behind them, so every timed turn is a follow-up that misses the answer
 * cache and pays the full per-turn path (history, retrieval through the
 * search cache, admission, model, commit). The product runs as shipped
 * (answer cache on), the baseline as always; both with the instant profile.
 * Messages arrive at a fixed rate (the probe: 40 msg/s over 80
 * sessions), then at twice that to compare throughput.
 */
import type { ChatSocket } from "../load/lib/chat-client";
import type { Percentiles } from "../load/lib/histogram";
import { connectSessions, openLoop, QUESTIONS } from "./measure";

export interface PrimedPlan {
	sessions: number;
	rate: number;
	seconds: number;
	throughputRate: number;
}

export interface PrimedRun {
	acceptMs: Percentiles;
	firstDeltaMs: Percentiles;
	finalMs: Percentiles;
	errors: number;
	/** Replies completed per second at `throughputRate` msg/s. */
	throughput: number;
	throughputErrors: number;
}

/** Opens `plan.sessions` sessions, primes each with one untimed turn, then times turns at the plan's two rates. */
export async function primedRun(url: string, plan: PrimedPlan): Promise<PrimedRun> {
	const sockets = await connectSessions(url, plan.sessions);
	try {
		await prime(sockets);
		const timed = await openLoop(sockets, plan.rate, plan.seconds, followUp);
		await new Promise((r) => setTimeout(r, 1000));
		const flood = await openLoop(sockets, plan.throughputRate, plan.seconds, followUp);
		return {
			acceptMs: timed.accept.summary(),
			firstDeltaMs: timed.firstDelta.summary(),
			finalMs: timed.final.summary(),
			errors: timed.errors,
			throughput: flood.completedPerSecond,
			throughputErrors: flood.errors,
		};
	} finally {
		for (const socket of sockets) socket.close();
	}
}

/** One untimed first turn per session, 8 at a time, so that what follows is a conversation. */
async function prime(sockets: ChatSocket[]): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			for (let i = next++; i < sockets.length; i = next++) {
				const timing = await sockets[i]?.send(`prime-${i}-${Date.now().toString(36)}`, QUESTIONS[i % QUESTIONS.length] ?? "", 30_000);
				if (timing?.finalMs === undefined) throw new Error(`primed: session ${i} got no reply to its first turn`);
			}
		}),
	);
}

/** Follow-ups vary, so the search cache sees a realistic mix of hits and misses. */
function followUp(i: number): string {
	return QUESTIONS[(i * 7 + 3) % QUESTIONS.length] ?? "";
}
