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
import { busiestThreadMs, workerdCpuMs, workerdThreadCpuMs } from "../load/lib/cpu";
import type { Percentiles } from "../load/lib/histogram";
import { startBaseline, startProduct } from "../load/lib/servers";
import type { DevServer } from "../test/support/dev-server";
import { type ArrivalLatencies, connectSessions, openLoop, QUESTIONS, type ReplyLengths } from "./measure";

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
	/** CPU time of the server's workerd processes per timed turn, when its pid was given. */
	cpuMsPerTurn?: number;
	/** The same, of its busiest thread alone (the one that runs the Worker's isolate). */
	busiestThreadCpuMsPerTurn?: number;
	/** Turns sent in the timed step. */
	timedTurns: number;
}

/** Called around the timed step only (not the connects and priming before it): a profiler starts and stops here. */
export interface TimedStepHooks {
	before?: () => Promise<void>;
	after?: () => Promise<void>;
}

/** Opens `plan.sessions` sessions, primes each with one untimed turn, then times turns at the plan's two rates. */
export async function primedRun(url: string, plan: PrimedPlan, pid?: number, timedStep: TimedStepHooks = {}): Promise<PrimedRun> {
	const sockets = await connectSessions(url, plan.sessions);
	try {
		await prime(sockets);
		await timedStep.before?.();
		const cpuBefore = pid === undefined ? 0 : workerdCpuMs(pid);
		const threadsBefore = pid === undefined ? new Map<string, number>() : workerdThreadCpuMs(pid);
		const timed = await openLoop(sockets, plan.rate, plan.seconds, followUp);
		await timedStep.after?.();
		const perTurn = (ms: number) => Math.round((ms / Math.max(1, timed.sent)) * 10) / 10;
		const cpu =
			pid === undefined
				? {}
				: {
						cpuMsPerTurn: perTurn(workerdCpuMs(pid) - cpuBefore),
						busiestThreadCpuMsPerTurn: perTurn(busiestThreadMs(threadsBefore, workerdThreadCpuMs(pid))),
					};
		// A throughput rate of 0 skips the flood (bench:overhead -- --flood 0, for CPU per turn at one rate).
		if (plan.throughputRate === 0) return { ...summary(timed), ...cpu, throughput: 0, throughputErrors: 0 };
		await new Promise((r) => setTimeout(r, 1000));
		const flood = await openLoop(sockets, plan.throughputRate, plan.seconds, followUp);
		return { ...summary(timed), ...cpu, throughput: flood.completedPerSecond, throughputErrors: flood.errors };
	} finally {
		for (const socket of sockets) socket.close();
	}
}

function summary(timed: ArrivalLatencies) {
	return {
		timedTurns: timed.sent,
		acceptMs: timed.accept.summary(),
		firstDeltaMs: timed.firstDelta.summary(),
		finalMs: timed.final.summary(),
		errors: timed.errors,
	};
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

export interface PrimedSection {
	plan: PrimedPlan;
	product: PrimedRun;
	baseline: PrimedRun;
	ratios: PrimedRatios;
}

export interface PrimedRatios {
	firstDeltaP95: number;
	finalP95: number;
	acceptP95: number;
	throughput: number;
}

/** The four ratios, product ÷ baseline, to two places (NaN where the baseline measured 0). */
export function primedRatios(p: PrimedRun, b: PrimedRun): PrimedRatios {
	const r = (x: number, y: number) => (y === 0 ? Number.NaN : Math.round((x / y) * 100) / 100);
	return {
		firstDeltaP95: r(p.firstDeltaMs.p95, b.firstDeltaMs.p95),
		finalP95: r(p.finalMs.p95, b.finalMs.p95),
		acceptP95: r(p.acceptMs.p95, b.acceptMs.p95),
		throughput: r(p.throughput, b.throughput),
	};
}

/**
 * The bench's primed section: fresh servers (the product as shipped), product and baseline one
 * after the other; `servers` collects them so the bench's deadline can stop them.
 */
export async function measurePrimed(
	servers: DevServer[],
	plan: PrimedPlan,
	lengths: ReplyLengths,
	log: (text: string) => void,
): Promise<PrimedSection> {
	log("primed sessions: starting the product (answer cache on) and the baseline");
	const product = await startProduct({ profile: "instant" }, { answerCache: true });
	servers.push(product);
	const baseline = await startBaseline({ profile: "instant" }, lengths);
	servers.push(baseline);
	log("primed sessions: product");
	const p = await primedRun(product.url, plan, product.pid);
	log("primed sessions: baseline");
	const b = await primedRun(baseline.url, plan, baseline.pid);
	const section = { plan, product: p, baseline: b, ratios: primedRatios(p, b) };
	console.log(
		`\nprimed sessions (${plan.sessions}, follow-ups at ${plan.rate} msg/s for ${plan.seconds} s; completions at ${plan.throughputRate} msg/s), product ÷ baseline:`,
	);
	console.log(
		`accept p95 ${p.acceptMs.p95} / ${b.acceptMs.p95} ms = ${section.ratios.acceptP95}; first delta p95 ${p.firstDeltaMs.p95} / ${b.firstDeltaMs.p95} ms = ${section.ratios.firstDeltaP95}; final p95 ${p.finalMs.p95} / ${b.finalMs.p95} ms = ${section.ratios.finalP95}; replies/s ${p.throughput} / ${b.throughput} = ${section.ratios.throughput}; CPU ms per turn ${p.cpuMsPerTurn} / ${b.cpuMsPerTurn}`,
	);
	return section;
}
