/**
 * `npm run bench [-- --quick] [-- --save]`: the product against a bare baseline
 * (bench/baseline), both on `wrangler dev --local` in the same run, under
 * identical workloads, measured alternately so that neither gets a quieter
 * machine. Prints a table and writes bench/results/latest.json (ignored by
 * git); `--save` also writes a dated copy, to be committed on purpose.
 * Absolute times on a shared machine are noise; the ratios hold.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { ChatSocket, createSession } from "../load/lib/chat-client";
import type { Percentiles } from "../load/lib/histogram";
import { Latency, median } from "../load/lib/histogram";
import { sampleRss } from "../load/lib/rss";
import { startBaseline, startProduct } from "../load/lib/servers";
import { LOCAL_MODELS } from "../src/shared/ai/local-models";
import { DEV_DEFAULTS } from "../src/shared/config";
import { cacheStatsSchema, jobStatusSchema, warmStartedSchema } from "../src/shared/schemas/responses";
import type { DevServer } from "../test/support/dev-server";
import { seededRandom } from "../test/support/random";
import { measureCost, printCost } from "./cost";
import { faqQuestions, zipfSampler } from "./faq-questions";
import { measureHistory } from "./history";
import {
	answerLengths,
	arrivalLatency,
	drain,
	type ReplyLengths,
	replay100,
	socketConnects,
	TurnSamples,
	throughputKnee,
	turnLatency,
} from "./measure";
import { measureMetricsOverhead } from "./metrics-overhead";
import { measurePrimed } from "./primed";
import { measureSharedStream } from "./shared-stream";

const { values } = parseArgs({
	options: {
		quick: { type: "boolean", default: false },
		save: { type: "boolean", default: false },
		"chunk-delay": { type: "string", default: "0" },
	},
});
const quick = values.quick ?? false;
const chunkDelay = Number(values["chunk-delay"]);
const plan = quick
	? {
			turns: 40,
			sessions: 4,
			rates: [5, 10, 20, 30, 40],
			stepSeconds: 3,
			sockets: 200,
			socketSessions: 20,
			replays: 3,
			realisticSeconds: 5,
			cacheQuestions: 60,
			cacheTurns: 48,
			cacheMisses: 12,
			history: { messages: 300, replays: 3, summarySessions: 5 },
			costConversations: 8,
			primed: { sessions: 80, rate: 40, seconds: 5, throughputRate: 80, reps: 1 },
			kneeReps: 1,
			latencyReps: 1,
		}
	: {
			turns: 300,
			sessions: 4,
			// Finer where the knees are, and well past the baseline's: with 60 then 80, a knee anywhere in between read as
			// 60; a baseline that held at 80 was capped there, and one that held at 100 (three times in the 15:56 run of
			// 12-05) at 100 (it held 110 in a probe straight after). Without wrangler's trace collector on the thread
			// (12-06) the baseline held the old top step, 150, once: the ladder goes to 200.
			rates: [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200],
			stepSeconds: 10,
			sockets: 1000,
			socketSessions: 100,
			replays: 10,
			realisticSeconds: 30,
			cacheQuestions: 500,
			cacheTurns: 400,
			cacheMisses: 60,
			history: { messages: 1000, replays: 10, summarySessions: 10 },
			costConversations: 48,
			primed: { sessions: 80, rate: 40, seconds: 10, throughputRate: 80, reps: 3 },
			kneeReps: 3,
			latencyReps: 3,
		};
const ADMIN_HEADERS = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` };
/** The realistic profile's arrival rates (msg/s) over REALISTIC_SESSIONS sessions, and the first-delta target. */
const REALISTIC_RATES = [1, 4, 10];
/**
 * Enough sessions that no message goes to a session still waiting for its previous reply (a "busy
 * send", printed): such a message waits for that reply to end, by design one turn at a time per
 * session, and the section measures a turn's first delta, not that wait. 40 sufficed for replies of
 * ~3 s; at five sentences (~4.4 s, 2026-12-04) 10 msg/s needs ~44 sessions streaming at once, and
 * 3 busy sends of 50 put the product's p95 at ~700 ms and its p99 at ~3.9 s.
 */
const REALISTIC_SESSIONS = 80;
/** 400 ms of model time to the first token plus at most 150 ms of pipeline. */
const FIRST_DELTA_TARGET_MS = 550;
/** Sessions per shared-stream burst: the issue's eight, asking the same fresh question at once. */
const SHARED_STREAM_SESSIONS = 8;

interface RunMetrics {
	acceptMs: Percentiles;
	firstDeltaMs: Percentiles;
	e2eFinalMs: Percentiles;
	/** Each turn-latency pass's first-delta p95, in the order measured (the three figures above pool the passes). */
	firstDeltaP95ByPass: number[];
	/** The median of `throughputKnees`. */
	throughputMsgsPerSec: number;
	/** The knee of each repetition, in the order measured. */
	throughputKnees: number[];
	throughputSteps: { rep: number; rate: number; attempt: number; e2eFinalP95: number; errorRate: number; ok: boolean }[];
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
	// A full run took about 25 minutes once the knee went past 100 msg/s three times a system (2026-12-05), 28 once
	// both systems ran without wrangler's trace collector (2026-12-06).
	(quick ? 6 : 45) * 60_000,
);
const started = performance.now();
try {
	log(`starting the product (chunk delay ${chunkDelay} ms)`);
	const product = await startProduct({ profile: "instant", chunkDelayMs: chunkDelay });
	servers.push(product);
	const lengths = await answerLengths(product.url);
	const replyChars = lengths.median;
	log(`product answers median ${replyChars} characters; starting the baseline with the product's reply length for each question`);
	const baseline = await startBaseline({ profile: "instant", chunkDelayMs: chunkDelay }, lengths);
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

	// One closed-loop pass read a first-delta ratio of 1.11 in one full run and 1.44 in the next (2026-12-05), and the
	// first pass runs on servers just started: a full run pools latencyReps passes a system, the order alternating,
	// as the metrics-overhead section pools its rounds, and records each pass's first-delta p95.
	const pooled = { product: new TurnSamples(), baseline: new TurnSamples() };
	for (let rep = 0; rep < plan.latencyReps; rep++) {
		await both(`turn latency (${rep + 1} of ${plan.latencyReps})`, async (system, url) => {
			const r = await turnLatency(url, plan.turns, plan.sessions);
			pooled[system].add(r);
			Object.assign(partial[system], pooled[system].summary());
			partial[system].errors += r.errors;
		});
	}
	// Near saturation a step's p95 swings with the sitting (the same code's knee read 50 in one full run and 70 in a
	// probe an hour later), so each system's knee is measured kneeReps times, the order alternating, and the median taken.
	const knees: Record<keyof typeof systems, number[]> = { product: [], baseline: [] };
	for (let rep = 0; rep < plan.kneeReps; rep++) {
		await both(`throughput knee (${rep + 1} of ${plan.kneeReps})`, async (system, url) => {
			const r = await throughputKnee(url, plan.rates, plan.stepSeconds, 40);
			log(`  knee ${r.knee} msgs/s; drained ${system} in ${await drain(url)} ms`);
			knees[system].push(r.knee);
			partial[system].throughputKnees = knees[system];
			partial[system].throughputMsgsPerSec = median(knees[system]);
			partial[system].throughputSteps = [
				...(partial[system].throughputSteps ?? []),
				...r.steps.map(({ rate, attempt, e2eFinalP95, errorRate, ok }) => ({ rep, rate, attempt, e2eFinalP95, errorRate, ok })),
			];
		});
	}
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
	// Model spend with routing off, on the pipeline's product (one model); the history server below measures it on.
	const costOff = await measureCost(product.url, "off", plan.costConversations, { small: [LOCAL_MODELS.small] }, log);
	// The realistic section needs its own servers (the profile is a startup variable); free the cores first.
	await Promise.all(servers.splice(0).map((server) => server.stop()));
	const realistic = await measureRealistic(lengths);
	await Promise.all(servers.splice(0).map((server) => server.stop()));
	const primed = await measurePrimed(servers, plan.primed, lengths, log);
	await Promise.all(servers.splice(0).map((server) => server.stop()));
	const cache = await measureCache();
	await Promise.all(servers.splice(0).map((server) => server.stop()));
	log("history and cost with routing on: starting the product (instant profile, AI_ROUTING=auto)");
	// Its console.log lines carry each summarize job's duration. Routing changes nothing the history section measures.
	const historyServer = await startProduct({ profile: "instant" }, { logLevel: "log", routing: true });
	servers.push(historyServer);
	const costOn = await measureCost(historyServer.url, "on", plan.costConversations, { small: [LOCAL_MODELS.small] }, log);
	const history = await measureHistory(historyServer, plan.history, log);
	// Full runs only: CI's quick run stays within its time budget.
	await Promise.all(servers.splice(0).map((server) => server.stop()));
	const metricsOverhead = quick ? null : await measureMetricsOverhead(servers, plan.turns, plan.sessions, log);

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
		primed,
		cache,
		history,
		cost: { off: costOff, on: costOn },
		metricsOverhead,
	};
	mkdirSync("bench/results", { recursive: true });
	const latest = "bench/results/latest.json";
	writeFileSync(latest, `${JSON.stringify(result, null, 2)}\n`);
	const dated = values.save ? `bench/results/${result.date.replaceAll(":", "-").slice(0, 19)}-${result.mode}.json` : undefined;
	if (dated) copyFileSync(latest, dated);
	printTable(result.runs, result.ratios);
	printCost(costOff, costOn);
	log(`wrote ${dated ? `${latest} and ${dated}` : latest} in ${result.durationSeconds} s`);
	// Outside the throughput steps (which push past the knee on purpose) every turn must be answered.
	if (runs.product.errors > 0) {
		console.error(`bench: the product failed ${runs.product.errors} requests or turns outside the throughput steps`);
		process.exitCode = 1;
	}
	if (costOff.errors > 0 || costOn.errors > 0) {
		console.error(`bench: cost: ${costOff.errors} failed turns with routing off, ${costOn.errors} with it on`);
		process.exitCode = 1;
	}
	if (history.errors > 0 || history.hotMessages > 100) {
		console.error(`bench: history: ${history.errors} errors, ${history.hotMessages} hot messages after ${history.messages}`);
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
async function measureRealistic(lengths: ReplyLengths) {
	log("realistic profile: starting the product and the baseline");
	const product = await startProduct({ profile: "realistic" });
	servers.push(product);
	const baseline = await startBaseline({ profile: "realistic" }, lengths);
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
	console.log(
		`${"rate".padEnd(10)}${"system".padEnd(10)}${"first delta p50/p95/p99".padEnd(26)}${"final p50/p95/p99".padEnd(26)}errors  busy sends`,
	);
	for (const rate of REALISTIC_RATES) {
		for (const system of ["product", "baseline"] as const) {
			const s = steps[system].find((x) => x.rate === rate);
			if (!s) continue;
			const p = (x: Percentiles) => `${x.p50} / ${x.p95} / ${x.p99}`;
			console.log(
				`${`${rate}/s`.padEnd(10)}${system.padEnd(10)}${p(s.firstDeltaMs).padEnd(26)}${p(s.finalMs).padEnd(26)}${String(s.errors).padEnd(8)}${s.busySends}`,
			);
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

/** Answer-cache lookups so far, by level and result, from the admin diagnostics route. */
async function answerLookups(url: string): Promise<Record<string, number>> {
	const response = await fetch(`${url}/api/admin/cache/stats`, { headers: ADMIN_HEADERS });
	const stats = cacheStatsSchema.parse(await response.json());
	const out: Record<string, number> = {};
	for (const s of stats.requests) if (s.labels.kind === "answer") out[`${s.labels.level}:${s.labels.result}`] = s.value;
	return out;
}

/** First deltas of `questions`, each the first message of a fresh session, `concurrency` at a time. */
/**
 * Each question in a fresh session, `concurrency` at a time: its first delta. A question that asks
 * for a person ("Escalate to a human agent?" is one of the sample articles' titles) is handed to
 * people, by design with no streamed reply: counted apart, not as an error (it was 7 "errors" of
 * 460 in every run since 12-04).
 */
async function firstDeltas(
	url: string,
	questions: string[],
	concurrency: number,
): Promise<{ latency: Latency; errors: number; handedOver: number }> {
	const latency = new Latency();
	let errors = 0;
	let handedOver = 0;
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (let i = next++; i < questions.length; i = next++) {
				try {
					const socket = await ChatSocket.connect(url, await createSession(url));
					const timing = await socket.send(`c${i}_${Date.now().toString(36)}`, questions[i] ?? "", 30_000);
					// A request for a person is answered whole, then the hub hands over: the notice can arrive after the reply.
					if (timing.firstDeltaMs === undefined && timing.finalMs !== undefined) await escalation(socket, 2_000);
					socket.close();
					if (timing.firstDeltaMs !== undefined) latency.record(timing.firstDeltaMs);
					else if (socket.escalated) handedOver++;
					else errors++;
				} catch {
					errors++;
				}
			}
		}),
	);
	return { latency, errors, handedOver };
}

/** Waits until the conversation was handed to people, or `timeoutMs`. */
async function escalation(socket: ChatSocket, timeoutMs: number): Promise<void> {
	const until = performance.now() + timeoutMs;
	while (!socket.escalated && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/**
 * The answer cache under a skewed workload: a warm job over 500 FAQ
 * questions (`--quick`: 100), then fresh sessions asking Zipf(1.1)-drawn questions (hits),
 * then questions never asked before (misses), with the realistic profile so
 * a miss pays the model's 400 ms to first token; then bursts of 8 sessions
 * asking one fresh question at once (the shared stream).
 */
async function measureCache() {
	log("cache: starting the product (realistic profile, answer cache on)");
	const server = await startProduct({ profile: "realistic" }, { answerCache: true });
	servers.push(server);
	const faq = faqQuestions(plan.cacheQuestions);
	const warmStarted = performance.now();
	const submitted = await fetch(`${server.url}/api/admin/cache/warm`, {
		method: "POST",
		headers: { ...ADMIN_HEADERS, "Content-Type": "application/json" },
		body: JSON.stringify({ questions: faq }),
	});
	const { jobId } = warmStartedSchema.parse(await submitted.json());
	let job = jobStatusSchema.parse(await (await fetch(`${server.url}/api/admin/jobs/${jobId}`, { headers: ADMIN_HEADERS })).json());
	while (job.state !== "done" && job.state !== "failed") {
		await new Promise((r) => setTimeout(r, 250));
		job = jobStatusSchema.parse(await (await fetch(`${server.url}/api/admin/jobs/${jobId}`, { headers: ADMIN_HEADERS })).json());
	}
	const warmJobSeconds = Math.round((performance.now() - warmStarted) / 100) / 10;
	log(`cache: warmed ${faq.length} questions in ${warmJobSeconds} s (${job.failed} failed)`);

	const draw = zipfSampler(faq.length, 1.1, seededRandom(11));
	const zipf = Array.from({ length: plan.cacheTurns }, () => faq[draw()] ?? "");
	const before = await answerLookups(server.url);
	const hits = await firstDeltas(server.url, zipf, 4);
	const after = await answerLookups(server.url);
	const tag = Date.now().toString(36);
	const unseen = Array.from({ length: plan.cacheMisses }, (_, i) => `${faq[i % faq.length]} (never asked ${tag} ${i})`);
	const misses = await firstDeltas(server.url, unseen, 4);
	// Identical fresh questions at once: one computation, streamed to every session (issue 19, item 1).
	const sharedStream = await measureSharedStream(server.url, quick ? 3 : 10, SHARED_STREAM_SESSIONS);
	const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
	const lookups = delta("memory:hit") + delta("memory:miss");
	const rate = (n: number) => (lookups > 0 ? Math.round((n / lookups) * 1000) / 1000 : null);
	const result = {
		questions: faq.length,
		turns: plan.cacheTurns,
		warmJobSeconds,
		lookups,
		hitRate: rate(delta("memory:hit") + delta("kv:hit") + delta("r2:hit")),
		hitRateByLevel: { memory: rate(delta("memory:hit")), kv: rate(delta("kv:hit")), r2: rate(delta("r2:hit")) },
		hitFirstDeltaMs: hits.latency.summary(),
		missFirstDeltaMs: misses.latency.summary(),
		sharedStream,
		handedOver: hits.handedOver + misses.handedOver,
		errors: hits.errors + misses.errors + sharedStream.errors,
	};
	console.log(`\ncache: ${JSON.stringify(result)}`);
	// A failed turn is worth its cause: the server logs it (turn-runner.ts), and the run would otherwise lose it.
	if (result.errors > 0) for (const line of failureLines(server.output())) console.error(`cache: server: ${line}`);
	return result;
}

/** The lines of a server's output that say why a turn failed or was given back. */
function failureLines(output: string): string[] {
	const failure = /"event":"(turn_permanent_failure|turn_failure_unhandled|turn_failed|turn_dead_lettered|turn_retry|turn_not_started)"/;
	return output
		.split("\n")
		.filter((line) => failure.test(line))
		.slice(0, 20);
}

function complete(m: Partial<RunMetrics> & { errors: number }): RunMetrics {
	const empty: Percentiles = { p50: 0, p95: 0, p99: 0, n: 0 };
	return {
		acceptMs: m.acceptMs ?? empty,
		firstDeltaMs: m.firstDeltaMs ?? empty,
		e2eFinalMs: m.e2eFinalMs ?? empty,
		firstDeltaP95ByPass: m.firstDeltaP95ByPass ?? [],
		throughputMsgsPerSec: m.throughputMsgsPerSec ?? 0,
		throughputKnees: m.throughputKnees ?? [],
		throughputSteps: m.throughputSteps ?? [],
		wsConnectMs: m.wsConnectMs ?? empty,
		replay100Ms: m.replay100Ms ?? empty,
		rssPeakMb: m.rssPeakMb ?? 0,
		errors: m.errors,
	};
}

/** The product's typical answer length on the bench questions, so the baseline streams as much. */
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
		["  first delta p95 by pass", runs.product.firstDeltaP95ByPass.join(", "), runs.baseline.firstDeltaP95ByPass.join(", ")],
		["e2e final p50/p95/p99 ms", p(runs.product.e2eFinalMs), p(runs.baseline.e2eFinalMs)],
		["throughput knee msgs/s", kneeCell(runs.product), kneeCell(runs.baseline)],
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

/** A knee with its repetitions when there were several: "65 (60, 70)". */
function kneeCell(run: RunMetrics): string {
	return run.throughputKnees.length > 1
		? `${run.throughputMsgsPerSec} (${run.throughputKnees.join(", ")})`
		: String(run.throughputMsgsPerSec);
}
