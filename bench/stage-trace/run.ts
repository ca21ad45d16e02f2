/**
 * Where a primed turn's milliseconds go, stage by stage, in the product and
 * in the bare baseline of the same run (issue 19, item 4). Not part of the
 * shipped code: the stamps live in `instrumentation.patch`, applied on a
 * throwaway branch, because a stamp on every stage of every turn is itself
 * work on the path it measures.
 *
 *   git switch -c stage-trace && git apply bench/stage-trace/instrumentation.patch
 *   npx tsx bench/stage-trace/run.ts [runs, default 2]
 *   git switch - && git branch -D stage-trace
 *
 * Each run starts both servers fresh (instant profile, as bench:overhead does), primes 80
 * sessions, times follow-ups at 40 msg/s for 10 s, then reads each server's stamps
 * (GET /api/__trace: message id, stage, Date.now() inside workerd, where time moves only at I/O).
 * It prints each stage's offset from the message's arrival at the ingress, p50 / p95 / p99.
 *
 * The stages: `in` the POST reaches its route; `acc0` the hub's accept begins; `lim` the
 * per-session message limit has answered (product only; the hub counts it since 12-05); `bc` the user message is broadcast;
 * `sent` the job is on the queue; `resp` the POST's answer is ready; `cons` the consumer has the
 * message; `run0` the hub's runTurn begins; `run1` the turn is opened (its lease written);
 * `gate` that write is confirmed (`storage.sync()`: until then the hub's output gate holds every
 * frame, RPC reply and call it sends); `ans` answerTurn begins; `src` its sources are ready;
 * `gen` the model input is built; `ch1` the provider's first chunk; `fd` the first delta is
 * broadcast (held by the gate while one is closed); `rpc` runTurn's reply reaches the consumer;
 * `bend` the consumer's batch ends (Miniflare delivers a queue's next batch only then).
 */

import { startBaseline, startProduct } from "../../load/lib/servers";
import { answerLengths } from "../measure";
import { primedRun } from "../primed";

type Stamp = [messageId: string, stage: string, at: number];

const runs = Number(process.argv[2] ?? 2);
const plan = { sessions: 80, rate: 40, seconds: 10, throughputRate: 0 };
const offsets: Record<"product" | "baseline", Map<string, number[]>> = { product: new Map(), baseline: new Map() };
/** Each stage's time since the stage before it, turn by turn: where a tail is made, which offsets alone hide. */
const gaps: Record<"product" | "baseline", Map<string, number[]>> = { product: new Map(), baseline: new Map() };
/** The stage each one follows, where both are stamped (the baseline has no `lim`, `run1`, `ans`…). */
const PREVIOUS: Record<string, string[]> = {
	acc0: ["in"],
	lim: ["acc0"],
	bc: ["lim", "acc0"],
	sent: ["bc"],
	cons: ["sent"],
	run0: ["cons"],
	run1: ["run0"],
	ans: ["run1"],
	src: ["ans"],
	gen: ["src"],
	ch1: ["gen"],
	fd: ["ch1", "run0"],
	gate: ["run1"],
	rpc: ["gate", "run0"],
	bend: ["rpc"],
};

const stamps = async (url: string): Promise<Stamp[]> => (await (await fetch(`${url}/api/__trace`)).json()) as Stamp[];

for (let r = 0; r < runs; r++) {
	const product = await startProduct({ profile: "instant" }, { answerCache: true });
	const baseline = await startBaseline({ profile: "instant" }, await answerLengths(product.url));
	try {
		// Alternating order, as bench:overhead does: neither side always runs on the warmer machine.
		for (const server of r % 2 === 0 ? [product, baseline] : [baseline, product]) {
			const name = server === product ? "product" : "baseline";
			let taken: Stamp[] = [];
			const run = await primedRun(server.url, plan, server.pid, {
				// Reading the stamps clears them: the priming turns are dropped, the timed ones kept.
				before: async () => {
					await stamps(server.url);
				},
				after: async () => {
					taken = await stamps(server.url);
				},
			});
			console.log(
				`run ${r + 1} ${name}: first delta p50 ${run.firstDeltaMs.p50} p95 ${run.firstDeltaMs.p95} ms, accept p95 ${run.acceptMs.p95} ms, CPU ${run.cpuMsPerTurn} ms a turn`,
			);
			addOffsets(offsets[name], gaps[name], taken);
		}
	} finally {
		await product.stop();
		await baseline.stop();
	}
}

for (const name of ["product", "baseline"] as const) {
	console.log(`\n${name}: each stage's offset from the message's arrival at the ingress, ms (p50 / p95 / p99, turns)`);
	const rows = [...offsets[name]].sort(
		([, a], [, b]) => percentile(a, 0.5) - percentile(b, 0.5) || percentile(a, 0.95) - percentile(b, 0.95),
	);
	for (const [stage, xs] of rows) {
		const cells = [0.5, 0.95, 0.99].map((q) => String(percentile(xs, q)).padStart(5));
		console.log(`${stage.padEnd(6)}${cells.join(" ")} ${xs.length}`);
	}
	console.log(`${name}: each stage's time since the one it follows, turn by turn, ms (p50 / p95 / p99)`);
	for (const [stage, xs] of gaps[name]) {
		const cells = [0.5, 0.95, 0.99].map((q) => String(percentile(xs, q)).padStart(5));
		console.log(`${stage.padEnd(6)}${cells.join(" ")}`);
	}
}
process.exit(0);

/** Each stamped turn that reached its first delta, as offsets from its arrival ("in") and gaps from the stage before; a stage's first stamp counts. */
function addOffsets(into: Map<string, number[]>, gapsInto: Map<string, number[]>, taken: Stamp[]): void {
	const byMessage = new Map<string, Record<string, number>>();
	for (const [id, stage, at] of taken) {
		const stages = byMessage.get(id) ?? {};
		stages[stage] ??= at;
		byMessage.set(id, stages);
	}
	for (const stages of byMessage.values()) {
		const arrived = stages.in;
		if (arrived === undefined || stages.fd === undefined) continue;
		for (const [stage, at] of Object.entries(stages)) {
			into.set(stage, [...(into.get(stage) ?? []), at - arrived]);
			const previous = PREVIOUS[stage]?.find((p) => stages[p] !== undefined);
			const since = previous === undefined ? undefined : stages[previous];
			if (since !== undefined) gapsInto.set(stage, [...(gapsInto.get(stage) ?? []), at - since]);
		}
	}
}

function percentile(xs: number[], q: number): number {
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
