/**
 * `npm run bench:overhead [-- --runs 4] [-- --seconds 15] [-- --profile] [-- --metrics off]`:
 * where a turn's time and CPU go, product against the bare baseline. Each
 * run starts both servers fresh (instant profile; the product as shipped,
 * answer cache on), primes 80 sessions with one turn each, and times
 * follow-ups arriving at 40 msg/s (`--rate`), then the completions per
 * second at 80 msg/s (`--flood`, 0 to skip) (bench/primed.ts). Reports the
 * median and range of the four ratios over the runs, the CPU milliseconds
 * each system's workerd processes spent per timed turn (and their busiest
 * thread alone, the one that bounds throughput, with how long it waited for
 * a core), and with `--profile` the product isolate's
 * heaviest functions (a V8 sampling profile taken during the timed step of
 * the last run; sampling itself costs a few per cent, so the timed figures
 * of that run are a little pessimistic) and both isolates' samples per turn.
 * `--metrics off` runs the product with METRICS=off, to see what metric
 * shipping costs.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CpuProfile, profileIsolate } from "../load/lib/cpu";
import { median } from "../load/lib/histogram";
import { startBaseline, startProduct } from "../load/lib/servers";
import type { DevServer } from "../test/support/dev-server";
import { answerLengths } from "./measure";
import { type PrimedPlan, type PrimedRatios, type PrimedRun, primedRatios, primedRun, type TimedStepHooks } from "./primed";

const { values } = parseArgs({
	options: {
		runs: { type: "string", default: "4" },
		seconds: { type: "string", default: "15" },
		rate: { type: "string", default: "40" },
		flood: { type: "string", default: "80" },
		profile: { type: "boolean", default: false },
		/** `off` runs the product with METRICS=off: how much of the overhead is metric shipping. */
		metrics: { type: "string", default: "on" },
	},
});
const runs = Number(values.runs);
const plan: PrimedPlan = { sessions: 80, rate: Number(values.rate), seconds: Number(values.seconds), throughputRate: Number(values.flood) };

interface Sample {
	run: PrimedRun;
	cpuMsPerTurn: number;
	busiestThreadCpuMsPerTurn: number;
	busiestThreadWaitMsPerTurn: number;
}

const results: { product: Sample; baseline: Sample; ratios: PrimedRatios }[] = [];
let profile: CpuProfile | undefined;
/** The baseline's isolate over its own timed step of the same run: what the runtime does per turn on each side. */
let baselineProfile: CpuProfile | undefined;
for (let r = 0; r < runs; r++) {
	const servers: DevServer[] = [];
	try {
		const product = await startProduct({ profile: "instant" }, { answerCache: true, metrics: values.metrics !== "off" });
		servers.push(product);
		const baseline = await startBaseline({ profile: "instant" }, await answerLengths(product.url));
		servers.push(baseline);
		const order = r % 2 === 0 ? ([product, baseline] as const) : ([baseline, product] as const);
		const samples = new Map<DevServer, Sample>();
		for (const server of order) {
			// The profile covers the timed step alone: session creation and priming would otherwise fill it.
			let profiling: Awaited<ReturnType<typeof profileIsolate>> | undefined;
			const timedStep: TimedStepHooks =
				values.profile && r === runs - 1
					? {
							before: async () => {
								profiling = await profileIsolate(server.inspectorPort, server === product ? "support-chat" : "bare-baseline");
							},
							after: async () => {
								const taken = await profiling?.stop();
								if (server === product) profile = taken;
								else baselineProfile = taken;
							},
						}
					: {};
			const run = await primedRun(server.url, plan, server.pid, timedStep);
			samples.set(server, {
				run,
				cpuMsPerTurn: run.cpuMsPerTurn ?? Number.NaN,
				busiestThreadCpuMsPerTurn: run.busiestThreadCpuMsPerTurn ?? Number.NaN,
				busiestThreadWaitMsPerTurn: run.busiestThreadWaitMsPerTurn ?? Number.NaN,
			});
			log(`run ${r + 1} ${server === product ? "product" : "baseline"}: ${JSON.stringify(samples.get(server))}`);
		}
		const p = samples.get(product);
		const b = samples.get(baseline);
		if (!p || !b) throw new Error("a system was not measured");
		results.push({ product: p, baseline: b, ratios: primedRatios(p.run, b.run) });
	} finally {
		for (const server of servers) await server.stop();
	}
}

const spread = (xs: number[]) => `${Math.round(median(xs) * 100) / 100} [${Math.min(...xs)}–${Math.max(...xs)}]`;

console.log(
	`\nprimed sessions: ${plan.sessions} sessions, ${plan.rate} msg/s for ${plan.seconds} s, then ${plan.throughputRate} msg/s; ${runs} runs`,
);
console.log(`${"figure".padEnd(22)}${"product".padEnd(22)}${"baseline".padEnd(22)}product ÷ baseline`);
const rows: [string, (s: Sample) => number, keyof PrimedRatios | undefined][] = [
	["accept p95 (ms)", (s) => s.run.acceptMs.p95, "acceptP95"],
	["first delta p95 (ms)", (s) => s.run.firstDeltaMs.p95, "firstDeltaP95"],
	["final p95 (ms)", (s) => s.run.finalMs.p95, "finalP95"],
	["replies/s @ 80 msg/s", (s) => s.run.throughput, "throughput"],
	["CPU ms per turn", (s) => s.cpuMsPerTurn, undefined],
	["busiest thread's", (s) => s.busiestThreadCpuMsPerTurn, undefined],
	["its wait for a core", (s) => s.busiestThreadWaitMsPerTurn, undefined],
];
for (const [label, pick, ratio] of rows) {
	const product = results.map((x) => pick(x.product));
	const baseline = results.map((x) => pick(x.baseline));
	const ratioCell = ratio
		? spread(results.map((x) => x.ratios[ratio]))
		: spread(results.map((_, i) => Math.round(((product[i] ?? 0) / (baseline[i] || 1)) * 100) / 100));
	console.log(`${label.padEnd(22)}${spread(product).padEnd(22)}${spread(baseline).padEnd(22)}${ratioCell}`);
}
const errors = results.reduce((sum, x) => sum + x.product.run.errors + x.baseline.run.errors, 0);
if (errors > 0) console.log(`errors in timed steps: ${errors}`);
if (profile) {
	console.log(
		`\nproduct isolate, sampled during the last run: ${profile.busyMs} ms busy (${profile.busySamples} samples), ${profile.idleMs} ms idle; heaviest by self time:`,
	);
	const share = (samples: number) => `${((samples / Math.max(1, profile?.busySamples ?? 1)) * 100).toFixed(1)} %`;
	for (const f of profile.functions.slice(0, 40)) {
		console.log(
			`${String(f.selfMs).padStart(8)} self ${String(f.totalMs).padStart(8)} total ${share(f.selfSamples).padStart(7)} of samples  ${f.name}`,
		);
		for (const caller of f.callers?.slice(0, 4) ?? []) console.log(`${String(caller.ms).padStart(8)}      from ${caller.name}`);
	}
	// Where the work hangs: the project's functions by the share of samples with them anywhere on the stack.
	console.log("\nheaviest by samples under them (the work each stage does, its callees included):");
	const ours = profile.functions.filter((f) => f.name.includes(".js:")).sort((a, b) => b.totalSamples - a.totalSamples);
	for (const f of ours.slice(0, 50)) console.log(`${share(f.totalSamples).padStart(7)} of samples  ${f.name}`);
}
const last = results.at(-1);
if (profile && baselineProfile && last) {
	// Samples per timed turn of the runtime's own functions (no script location: SQLite, sockets, queues, RPC), on each side.
	const turns = { product: last.product.run.timedTurns, baseline: last.baseline.run.timedTurns };
	const runtime = (p: CpuProfile) => new Map(p.functions.filter((f) => !f.name.includes(".js:")).map((f) => [f.name, f.selfSamples]));
	const [ours, bare] = [runtime(profile), runtime(baselineProfile)];
	const perTurn = (samples: number, n: number) => Math.round((samples / Math.max(1, n)) * 100) / 100;
	console.log("\nsamples per timed turn, runtime functions and the whole isolate (product, baseline, difference):");
	const names = [...new Set([...ours.keys(), ...bare.keys()])]
		.map((name) => ({ name, p: perTurn(ours.get(name) ?? 0, turns.product), b: perTurn(bare.get(name) ?? 0, turns.baseline) }))
		.sort((x, y) => y.p - y.b - (x.p - x.b));
	const all = {
		name: "(all busy samples)",
		p: perTurn(profile.busySamples, turns.product),
		b: perTurn(baselineProfile.busySamples, turns.baseline),
	};
	for (const { name, p, b } of [all, ...names.slice(0, 25)]) {
		console.log(`${String(p).padStart(8)} ${String(b).padStart(8)} ${String(Math.round((p - b) * 100) / 100).padStart(8)}  ${name}`);
	}
}
writeFileSync(
	"bench/results/overhead-latest.json",
	`${JSON.stringify({ date: new Date().toISOString(), plan, results, profile, baselineProfile }, null, 2)}\n`,
);

function log(text: string): void {
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
}
