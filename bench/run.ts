/**
 * `npm run bench [-- --quick]`: the product against a bare baseline
 * (bench/baseline), both on `wrangler dev --local` in the same run, under
 * identical workloads, measured alternately so that neither gets a quieter
 * machine. Prints a table and writes bench/results/latest.json plus a dated
 * copy. Absolute times on a shared machine are noise; the ratios hold.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { ChatSocket, createSession } from "../load/lib/chat-client";
import type { Percentiles } from "../load/lib/histogram";
import { sampleRss } from "../load/lib/rss";
import { startBaseline, startProduct } from "../load/lib/servers";
import type { DevServer } from "../test/support/dev-server";
import { arrivalLatency, drain, QUESTIONS, replay100, socketConnects, throughputKnee, turnLatency } from "./measure";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, "chunk-delay": { type: "string", default: "0" } } });
const quick = values.quick ?? false;
const chunkDelay = Number(values["chunk-delay"]);
const plan = quick
	? {
			turns: 40,
			sessions: 4,
			rates: [5, 10, 15, 20, 25, 30, 40],
			stepSeconds: 3,
			sockets: 200,
			socketSessions: 20,
			replays: 3,
			realisticSeconds: 8,
		}
	: {
			turns: 300,
			sessions: 4,
			rates: [5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 80],
			stepSeconds: 10,
			sockets: 1000,
			socketSessions: 100,
			replays: 10,
			realisticSeconds: 30,
		};
/** The realistic profile's arrival rates (msg/s) over REALISTIC_SESSIONS sessions, and the first-delta target. */
const REALISTIC_RATES = [1, 4, 10];
const REALISTIC_SESSIONS = 40;
/** 400 ms of model time to the first token plus at most 150 ms of pipeline. */
const FIRST_DELTA_TARGET_MS = 550;

interface RunMetrics {
	acceptMs: Percentiles;
	firstDeltaMs: Percentiles;
	e2eFinalMs: Percentiles;
	throughputMsgsPerSec: number;
	throughputSteps: { rate: number; e2eFinalP95: number; errorRate: number; ok: boolean }[];
	wsConnectMs: Percentiles;
	replay100Ms: Percentiles;
	rssPeakMb: number;
	errors: number;
}

const servers: DevServer[] = [];
const deadline = setTimeout(
	async () => {
		console.error("bench: hard deadline reached, aborting");
		await Promise.all(servers.map((server) => server.stop()));
		process.exit(2);
	},
	(quick ? 3 : 15) * 60_000,
);
const started = performance.now();
try {
	log(`starting the product (chunk delay ${chunkDelay} ms)`);
	const product = await startProduct({ profile: "instant", chunkDelayMs: chunkDelay });
	servers.push(product);
	const replyChars = await medianAnswerLength(product.url);
	log(`product answers median ${replyChars} characters; starting the baseline with the same reply length`);
	const baseline = await startBaseline({ profile: "instant", chunkDelayMs: chunkDelay }, replyChars);
	servers.push(baseline);

	const systems = { product, baseline } as const;
	const rss = { product: sampleRss(product.pid), baseline: sampleRss(baseline.pid) };
	const partial: Record<keyof typeof systems, Partial<RunMetrics> & { errors: number }> = {
		product: { errors: 0 },
		baseline: { errors: 0 },
	};

	// Each measurement runs on both systems back to back, the order alternating, before the next begins.
	let flip = false;
	const both = async (name: string, measure: (system: keyof typeof systems, url: string) => Promise<void>) => {
		const order: (keyof typeof systems)[] = flip ? ["baseline", "product"] : ["product", "baseline"];
		flip = !flip;
		for (const system of order) {
			log(`${name}: ${system}`);
			await measure(system, systems[system].url);
		}
	};

	await both("turn latency", async (system, url) => {
		const r = await turnLatency(url, plan.turns, plan.sessions);
		Object.assign(partial[system], {
			acceptMs: r.accept.summary(),
			firstDeltaMs: r.firstDelta.summary(),
			e2eFinalMs: r.e2eFinal.summary(),
		});
		partial[system].errors += r.errors;
	});
	await both("throughput knee", async (system, url) => {
		const r = await throughputKnee(url, plan.rates, plan.stepSeconds, 40);
		log(`  drained ${system} in ${await drain(url)} ms`);
		partial[system].throughputMsgsPerSec = r.knee;
		partial[system].throughputSteps = r.steps.map(({ rate, e2eFinalP95, errorRate, ok }) => ({ rate, e2eFinalP95, errorRate, ok }));
	});
	await both("socket connects", async (system, url) => {
		const r = await socketConnects(url, plan.sockets, plan.socketSessions, 50);
		partial[system].wsConnectMs = r.latency.summary();
		partial[system].errors += r.errors;
	});
	await both("replay of 100 messages", async (system, url) => {
		const r = await replay100(url, plan.replays);
		partial[system].replay100Ms = r.latency.summary();
		partial[system].errors += r.errors;
	});
	partial.product.rssPeakMb = rss.product.stop();
	partial.baseline.rssPeakMb = rss.baseline.stop();
	// The realistic section needs its own servers (the profile is a startup variable); free the cores first.
	await Promise.all(servers.splice(0).map((server) => server.stop()));
	const realistic = await measureRealistic(replyChars);

	const runs = { product: complete(partial.product), baseline: complete(partial.baseline) };
	const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 100) / 100);
	const result = {
		date: new Date().toISOString(),
		mode: quick ? "quick" : "full",
		chunkDelayMs: chunkDelay,
		replyChars,
		durationSeconds: Math.round((performance.now() - started) / 1000),
		machine: machine(),
		runs,
		ratios: {
			throughput: ratio(runs.product.throughputMsgsPerSec, runs.baseline.throughputMsgsPerSec),
			e2eFinalP50: ratio(runs.product.e2eFinalMs.p50, runs.baseline.e2eFinalMs.p50),
			e2eFinalP95: ratio(runs.product.e2eFinalMs.p95, runs.baseline.e2eFinalMs.p95),
			firstDeltaP95: ratio(runs.product.firstDeltaMs.p95, runs.baseline.firstDeltaMs.p95),
			acceptP95: ratio(runs.product.acceptMs.p95, runs.baseline.acceptMs.p95),
			rssPeak: ratio(runs.product.rssPeakMb, runs.baseline.rssPeakMb),
		},
		realistic,
	};
	mkdirSync("bench/results", { recursive: true });
	const dated = `bench/results/${result.date.replaceAll(":", "-").slice(0, 19)}-${result.mode}.json`;
	writeFileSync(dated, `${JSON.stringify(result, null, 2)}\n`);
	copyFileSync(dated, "bench/results/latest.json");
	printTable(result.runs, result.ratios);
	log(`wrote ${dated} and bench/results/latest.json in ${result.durationSeconds} s`);
	// Outside the throughput steps (which push past the knee on purpose) every turn must be answered.
	if (runs.product.errors > 0) {
		console.error(`bench: the product failed ${runs.product.errors} requests or turns outside the throughput steps`);
		process.exitCode = 1;
	}
	// A coarse regression guard (the precise figure is the full run's): twice the first-delta target.
	for (const step of realistic.product) {
		if (step.firstDeltaMs.p95 > 2 * FIRST_DELTA_TARGET_MS || step.errors > 0) {
			console.error(`bench: realistic profile at ${step.rate} msg/s: first delta p95 ${step.firstDeltaMs.p95} ms, ${step.errors} errors`);
			process.exitCode = 1;
		}
	}
} finally {
	clearTimeout(deadline);
	for (const server of servers) await server.stop();
}

interface RealisticStep {
	rate: number;
	sent: number;
	firstDeltaMs: Percentiles;
	finalMs: Percentiles;
	errors: number;
	busySends: number;
}

/**
 * The `realistic` profile (first token after 400 ms, ~40 tokens/s) at fixed
 * arrival rates over 40 sessions, on both systems: does a message's first
 * token wait for other sessions' replies?
 */
async function measureRealistic(replyChars: number) {
	log("realistic profile: starting the product and the baseline");
	const product = await startProduct({ profile: "realistic" });
	servers.push(product);
	const baseline = await startBaseline({ profile: "realistic" }, replyChars);
	servers.push(baseline);
	const steps: Record<"product" | "baseline", RealisticStep[]> = { product: [], baseline: [] };
	for (const [i, rate] of REALISTIC_RATES.entries()) {
		const order = i % 2 === 0 ? (["product", "baseline"] as const) : (["baseline", "product"] as const);
		for (const system of order) {
			const url = system === "product" ? product.url : baseline.url;
			log(`realistic ${rate} msg/s: ${system}`);
			const r = await arrivalLatency(url, rate, plan.realisticSeconds, REALISTIC_SESSIONS);
			steps[system].push({
				rate,
				sent: r.sent,
				firstDeltaMs: r.firstDelta.summary(),
				finalMs: r.final.summary(),
				errors: r.errors,
				busySends: r.busySends,
			});
			// arrivalLatency waited for every reply, so nothing is queued; a moment lets sockets close.
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	const ratios = REALISTIC_RATES.map((rate) => {
		const p = steps.product.find((s) => s.rate === rate);
		const b = steps.baseline.find((s) => s.rate === rate);
		return {
			rate,
			firstDeltaP95: p && b && b.firstDeltaMs.p95 > 0 ? Math.round((p.firstDeltaMs.p95 / b.firstDeltaMs.p95) * 100) / 100 : null,
		};
	});
	console.log(
		`\nrealistic profile, ${REALISTIC_SESSIONS} sessions, ${plan.realisticSeconds} s per rate (target: first delta p95 ≤ ${FIRST_DELTA_TARGET_MS} ms)`,
	);
	console.log(`${"rate".padEnd(10)}${"system".padEnd(10)}${"first delta p50/p95/p99".padEnd(26)}${"final p50/p95/p99".padEnd(26)}errors`);
	for (const rate of REALISTIC_RATES) {
		for (const system of ["product", "baseline"] as const) {
			const s = steps[system].find((x) => x.rate === rate);
			if (!s) continue;
			const p = (x: Percentiles) => `${x.p50} / ${x.p95} / ${x.p99}`;
			console.log(`${`${rate}/s`.padEnd(10)}${system.padEnd(10)}${p(s.firstDeltaMs).padEnd(26)}${p(s.finalMs).padEnd(26)}${s.errors}`);
		}
	}
	return {
		sessions: REALISTIC_SESSIONS,
		secondsPerRate: plan.realisticSeconds,
		targetFirstDeltaP95Ms: FIRST_DELTA_TARGET_MS,
		...steps,
		ratios,
	};
}

function complete(m: Partial<RunMetrics> & { errors: number }): RunMetrics {
	const empty: Percentiles = { p50: 0, p95: 0, p99: 0, n: 0 };
	return {
		acceptMs: m.acceptMs ?? empty,
		firstDeltaMs: m.firstDeltaMs ?? empty,
		e2eFinalMs: m.e2eFinalMs ?? empty,
		throughputMsgsPerSec: m.throughputMsgsPerSec ?? 0,
		throughputSteps: m.throughputSteps ?? [],
		wsConnectMs: m.wsConnectMs ?? empty,
		replay100Ms: m.replay100Ms ?? empty,
		rssPeakMb: m.rssPeakMb ?? 0,
		errors: m.errors,
	};
}

/** The product's typical answer length on the bench questions, so the baseline streams as much. */
async function medianAnswerLength(url: string): Promise<number> {
	const socket = await ChatSocket.connect(url, await createSession(url));
	const lengths: number[] = [];
	socket.onFrame = (frame) => {
		if (frame.type === "message" && frame.role === "assistant" && typeof frame.text === "string") lengths.push(frame.text.length);
	};
	for (const [i, question] of QUESTIONS.entries()) await socket.send(`warm${i}`, question, 10_000);
	socket.close();
	lengths.sort((a, b) => a - b);
	return lengths[Math.floor(lengths.length / 2)] ?? 480;
}

function machine() {
	const version = (command: string, args: string[]) => {
		try {
			return execFileSync(command, args, { encoding: "utf8" }).trim();
		} catch {
			return "unknown";
		}
	};
	return {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model ?? "unknown",
		memoryGb: Math.round(totalmem() / 2 ** 30),
		node: process.version,
		wrangler: version("wrangler", ["--version"]).split("\n").at(-1) ?? "unknown",
		platform: `${process.platform}-${process.arch}`,
	};
}

function printTable(runs: Record<"product" | "baseline", RunMetrics>, ratios: Record<string, number | null>): void {
	const p = (x: Percentiles) => `${x.p50} / ${x.p95} / ${x.p99}`.padEnd(20);
	const rows: [string, string, string][] = [
		["accept p50/p95/p99 ms", p(runs.product.acceptMs), p(runs.baseline.acceptMs)],
		["first delta p50/p95/p99 ms", p(runs.product.firstDeltaMs), p(runs.baseline.firstDeltaMs)],
		["e2e final p50/p95/p99 ms", p(runs.product.e2eFinalMs), p(runs.baseline.e2eFinalMs)],
		["throughput knee msgs/s", String(runs.product.throughputMsgsPerSec), String(runs.baseline.throughputMsgsPerSec)],
		["ws connect p50/p95/p99 ms", p(runs.product.wsConnectMs), p(runs.baseline.wsConnectMs)],
		["replay 100 p50/p95/p99 ms", p(runs.product.replay100Ms), p(runs.baseline.replay100Ms)],
		["peak workerd RSS MB", String(runs.product.rssPeakMb), String(runs.baseline.rssPeakMb)],
		["errors", String(runs.product.errors), String(runs.baseline.errors)],
	];
	console.log(`\n${"metric".padEnd(30)}${"product".padEnd(22)}baseline`);
	for (const [name, a, b] of rows) console.log(`${name.padEnd(30)}${a.padEnd(22)}${b}`);
	console.log("\nratios (product / baseline):");
	for (const [name, value] of Object.entries(ratios)) console.log(`  ${name.padEnd(16)}${value ?? "n/a"}`);
}

function log(text: string): void {
	console.log(`[bench ${Math.round((performance.now() - started) / 1000)}s] ${text}`);
}
