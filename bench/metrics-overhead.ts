/**
 * The bench's metrics-overhead section (full runs only): the product with
 * metric events shipped and with METRICS=off, both on the instant profile,
 * measured alternately (on, off, off, on, four times) under the same turn-latency
 * workload. Product ÷ baseline ratios elsewhere carry the metrics' cost; here
 * it is isolated: on ÷ off should stay within 1.05. A p95 of this workload
 * swings by about ±7 % between two identical servers, so the section also
 * counts each server's workerd CPU per turn over its rounds: what recording
 * and shipping metrics costs, without the sitting's latency noise.
 */
import { workerdCpuMs } from "../load/lib/cpu";
import type { Percentiles } from "../load/lib/histogram";
import { startProduct } from "../load/lib/servers";
import type { DevServer } from "../test/support/dev-server";
import { TurnSamples, turnLatency } from "./measure";

export interface OverheadResult {
	on: { acceptMs: Percentiles; firstDeltaMs: Percentiles; e2eFinalMs: Percentiles };
	off: { acceptMs: Percentiles; firstDeltaMs: Percentiles; e2eFinalMs: Percentiles };
	/** on ÷ off. */
	ratios: {
		acceptP95: number | null;
		firstDeltaP95: number | null;
		e2eFinalP50: number | null;
		e2eFinalP95: number | null;
		cpuPerTurn: number | null;
	};
	/** Each server's workerd CPU (all its processes) per turn over its rounds, in ms. */
	cpuMsPerTurn: { on: number; off: number };
	errors: number;
}

export async function measureMetricsOverhead(
	servers: DevServer[],
	turns: number,
	sessions: number,
	log: (text: string) => void,
): Promise<OverheadResult> {
	log("metrics overhead: starting the product with metrics on and off");
	const [on, off] = await Promise.all([startProduct({ profile: "instant" }), startProduct({ profile: "instant" }, { metrics: false })]);
	servers.push(on, off);
	const samples = { on: new TurnSamples(), off: new TurnSamples() };
	const cpu = { on: { ms: 0, turns: 0 }, off: { ms: 0, turns: 0 } };
	let errors = 0;
	// ABBA, four times: drift over the section (a warming JIT, a growing
	// store) falls on both sides alike. Even at 1,200 turns a side an A/A run
	// (both off) varies by about ±7 %, so judge the ratio over several runs.
	const order = Array.from({ length: 16 }, (_, i) => ([0, 3].includes(i % 4) ? on : off));
	for (const [round, server] of order.entries()) {
		const name = server === on ? "on" : "off";
		log(`metrics overhead: round ${round + 1} of ${order.length}, metrics ${name}`);
		const cpuBefore = workerdCpuMs(server.pid);
		const r = await turnLatency(server.url, Math.ceil(turns / 2), sessions);
		// The other server idles meanwhile: its own timers (a metrics flush, the cron) land in its own count.
		cpu[name].ms += workerdCpuMs(server.pid) - cpuBefore;
		cpu[name].turns += Math.ceil(turns / 2);
		samples[name].add(r);
		errors += r.errors;
	}
	const summary = (s: TurnSamples) => {
		const { acceptMs, firstDeltaMs, e2eFinalMs } = s.summary();
		return { acceptMs, firstDeltaMs, e2eFinalMs };
	};
	const result = { on: summary(samples.on), off: summary(samples.off) };
	const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 100) / 100);
	const perTurn = (c: { ms: number; turns: number }) => Math.round((c.ms / Math.max(1, c.turns)) * 100) / 100;
	const cpuMsPerTurn = { on: perTurn(cpu.on), off: perTurn(cpu.off) };
	const out: OverheadResult = {
		...result,
		ratios: {
			acceptP95: ratio(result.on.acceptMs.p95, result.off.acceptMs.p95),
			firstDeltaP95: ratio(result.on.firstDeltaMs.p95, result.off.firstDeltaMs.p95),
			e2eFinalP50: ratio(result.on.e2eFinalMs.p50, result.off.e2eFinalMs.p50),
			e2eFinalP95: ratio(result.on.e2eFinalMs.p95, result.off.e2eFinalMs.p95),
			cpuPerTurn: ratio(cpuMsPerTurn.on, cpuMsPerTurn.off),
		},
		cpuMsPerTurn,
		errors,
	};
	console.log(`\nmetrics overhead: ${JSON.stringify(out)}`);
	return out;
}
