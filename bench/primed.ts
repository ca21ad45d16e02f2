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
import { busiestThread, type ThreadTimes, workerdCpuMs, workerdThreadTimes } from "../load/lib/cpu";
import { median, type Percentiles } from "../load/lib/histogram";
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
	/** How long that thread waited for a core per timed turn: runnable, but the machine's cores were busy. */
	busiestThreadWaitMsPerTurn?: number;
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
		const threadsBefore = pid === undefined ? new Map<string, ThreadTimes>() : workerdThreadTimes(pid);
		const timed = await openLoop(sockets, plan.rate, plan.seconds, followUp);
		await timedStep.after?.();
		const perTurn = (ms: number) => Math.round((ms / Math.max(1, timed.sent)) * 10) / 10;
		const cpu = pid === undefined ? {} : cpuPerTurn(pid, cpuBefore, threadsBefore, perTurn);
		// A throughput rate of 0 skips the flood (bench:overhead -- --flood 0, for CPU per turn at one rate).
		if (plan.throughputRate === 0) return { ...summary(timed), ...cpu, throughput: 0, throughputErrors: 0 };
		await new Promise((r) => setTimeout(r, 1000));
		const flood = await openLoop(sockets, plan.throughputRate, plan.seconds, followUp);
		return { ...summary(timed), ...cpu, throughput: flood.completedPerSecond, throughputErrors: flood.errors };
	} finally {
		for (const socket of sockets) socket.close();
	}
}

/** The workerd processes' CPU per turn since the readings before the timed step, and their busiest thread's CPU and wait for a core. */
function cpuPerTurn(
	pid: number,
	cpuBefore: number,
	threadsBefore: Map<string, ThreadTimes>,
	perTurn: (ms: number) => number,
): Pick<PrimedRun, "cpuMsPerTurn" | "busiestThreadCpuMsPerTurn" | "busiestThreadWaitMsPerTurn"> {
	const busiest = busiestThread(threadsBefore, workerdThreadTimes(pid));
	return {
		cpuMsPerTurn: perTurn(workerdCpuMs(pid) - cpuBefore),
		busiestThreadCpuMsPerTurn: perTurn(busiest.cpuMs),
		busiestThreadWaitMsPerTurn: perTurn(busiest.waitMs),
	};
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
	/** Each repetition's runs and ratios, in the order measured. */
	reps: { product: PrimedRun; baseline: PrimedRun; ratios: PrimedRatios }[];
	/** Each ratio's median over the repetitions. */
	ratios: PrimedRatios;
	/** Each ratio's lowest and highest repetition. */
	ranges: Record<keyof PrimedRatios, [number, number]>;
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
 * after the other, `reps` times with the order alternating and fresh sessions each time, each
 * ratio's median reported with its range (one 15 s step read a first-delta ratio of 0.95 in one
 * full run and 1.7 in the next, on code whose six probe runs read 1.19: docs/benchmarks.md);
 * `servers` collects them so the bench's deadline can stop them.
 */
export async function measurePrimed(
	servers: DevServer[],
	plan: PrimedPlan & { reps: number },
	lengths: ReplyLengths,
	log: (text: string) => void,
): Promise<PrimedSection> {
	log("primed sessions: starting the product (answer cache on) and the baseline");
	const product = await startProduct({ profile: "instant" }, { answerCache: true });
	servers.push(product);
	const baseline = await startBaseline({ profile: "instant" }, lengths);
	servers.push(baseline);
	const reps: PrimedSection["reps"] = [];
	for (let rep = 0; rep < plan.reps; rep++) {
		const order = rep % 2 === 0 ? [product, baseline] : [baseline, product];
		const runs = new Map<DevServer, PrimedRun>();
		for (const server of order) {
			log(`primed sessions (${rep + 1} of ${plan.reps}): ${server === product ? "product" : "baseline"}`);
			runs.set(server, await primedRun(server.url, plan, server.pid));
		}
		const [p, b] = [runs.get(product), runs.get(baseline)];
		if (!p || !b) throw new Error("primed: a system was not measured");
		reps.push({ product: p, baseline: b, ratios: primedRatios(p, b) });
	}
	const of = (figure: keyof PrimedRatios) => reps.map((r) => r.ratios[figure]);
	const med = (figure: keyof PrimedRatios) => median(of(figure));
	const range = (figure: keyof PrimedRatios): [number, number] => [Math.min(...of(figure)), Math.max(...of(figure))];
	const ratios: PrimedRatios = {
		firstDeltaP95: med("firstDeltaP95"),
		finalP95: med("finalP95"),
		acceptP95: med("acceptP95"),
		throughput: med("throughput"),
	};
	const ranges = {
		firstDeltaP95: range("firstDeltaP95"),
		finalP95: range("finalP95"),
		acceptP95: range("acceptP95"),
		throughput: range("throughput"),
	};
	const section: PrimedSection = { plan, reps, ratios, ranges };
	console.log(
		`\nprimed sessions (${plan.sessions}, follow-ups at ${plan.rate} msg/s for ${plan.seconds} s; completions at ${plan.throughputRate} msg/s; ${plan.reps} repetitions), product ÷ baseline, median [range]:`,
	);
	for (const figure of ["firstDeltaP95", "finalP95", "acceptP95", "throughput"] as const) {
		console.log(`  ${figure.padEnd(14)}${ratios[figure]} [${ranges[figure][0]}–${ranges[figure][1]}]`);
	}
	for (const [i, r] of reps.entries()) {
		console.log(
			`  repetition ${i + 1}: accept p95 ${r.product.acceptMs.p95} / ${r.baseline.acceptMs.p95} ms; first delta p95 ${r.product.firstDeltaMs.p95} / ${r.baseline.firstDeltaMs.p95} ms; final p95 ${r.product.finalMs.p95} / ${r.baseline.finalMs.p95} ms; replies/s ${r.product.throughput} / ${r.baseline.throughput}; CPU ms per turn ${r.product.cpuMsPerTurn} / ${r.baseline.cpuMsPerTurn}`,
		);
	}
	return section;
}
