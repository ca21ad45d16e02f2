/**
 * `npm run bench:perf [-- --rate 60] [-- --seconds 10] [-- --top 30]`: where
 * the busiest workerd thread's time goes, per timed turn, product against the
 * bare baseline, native time included. Needs Linux `perf` (Debian: `apt-get
 * install -y linux-perf`); not part of `npm run bench`.
 *
 * Each system runs with V8 writing its perf map (MINIFLARE_WORKERD_V8_FLAGS),
 * so JavaScript frames are named. After 80 sessions are primed with one turn
 * each, a short step finds the thread that bounds throughput (the isolate's),
 * and `perf record` samples it during the timed step of follow-ups at `rate`
 * msg/s. The report splits the thread's milliseconds per turn by the
 * outermost script on the stack (the Worker's bundle, Miniflare's services
 * sharing the thread, or no JavaScript at all), with garbage collections apart
 * wherever they ran (an allocation in any script can start one), then lists
 * the Worker's own functions by the time spent in them and in what they call
 * outside the bundle (load/lib/perf-stacks.ts). Sampling and the perf map cost
 * both systems some time: compare them with each other, not with
 * bench:overhead.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { busiestThread, workerdThreadTimes } from "../load/lib/cpu";
import { byInnermostFunction, byOutermostScript, parseStacks } from "../load/lib/perf-stacks";
import { startBaseline, startProduct } from "../load/lib/servers";
import type { DevServer } from "../test/support/dev-server";
import { answerLengths, connectSessions, drain, openLoop } from "./measure";

const { values } = parseArgs({
	options: {
		rate: { type: "string", default: "60" },
		seconds: { type: "string", default: "10" },
		top: { type: "string", default: "30" },
	},
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const FREQUENCY = 1999;

if (spawnSync("perf", ["--version"]).status !== 0) {
	console.error("bench:perf needs Linux perf on the PATH (Debian: apt-get install -y linux-perf).");
	process.exit(2);
}
// Read by Miniflare when it starts workerd: V8 names JavaScript frames for perf, interpreted ones too.
process.env.MINIFLARE_WORKERD_V8_FLAGS = "--perf-basic-prof --interpreted-frames-native-stack";

interface Attribution {
	turns: number;
	msPerTurn: number;
	scripts: Map<string, number>;
	functions: Map<string, number>;
	/** The bundle's script name on the stacks (index.js, worker.js). */
	bundle: string;
	modules: (line: number) => string | undefined;
}

const servers: DevServer[] = [];
const results = new Map<string, Attribution>();
try {
	const product = await startProduct({ profile: "instant" }, { answerCache: true });
	servers.push(product);
	const productModules = bundleModules(".");
	const baseline = await startBaseline({ profile: "instant" }, await answerLengths(product.url));
	servers.push(baseline);
	results.set("product", await attribute(product, "index.js", productModules));
	results.set("baseline", await attribute(baseline, "worker.js", () => undefined));
} finally {
	for (const server of servers) await server.stop();
}

const product = results.get("product");
const baseline = results.get("baseline");
if (product && baseline) {
	console.log(`\nbusiest workerd thread, ms per timed turn (${rate} msg/s for ${seconds} s, 80 primed sessions)`);
	console.log(`${"".padEnd(40)}${"product".padStart(9)}${"baseline".padStart(10)}`);
	console.log(`${"the whole thread".padEnd(40)}${fixed(product.msPerTurn)}${fixed(baseline.msPerTurn, 10)}`);
	const keys = new Set([...product.scripts.keys(), ...baseline.scripts.keys()]);
	const bundleOf = (a: Attribution, key: string) => (key === a.bundle ? "the Worker's bundle" : key);
	const rows = new Map<string, [number, number]>();
	for (const key of keys) {
		const label = bundleOf(product, key) === key ? bundleOf(baseline, key) : bundleOf(product, key);
		const [p, b] = rows.get(label) ?? [0, 0];
		rows.set(label, [p + (product.scripts.get(key) ?? 0), b + (baseline.scripts.get(key) ?? 0)]);
	}
	for (const [label, [p, b]] of [...rows].sort((x, y) => y[1][0] - x[1][0])) console.log(`${label.padEnd(40)}${fixed(p)}${fixed(b, 10)}`);
	console.log("\nproduct: the bundle's time by source module (its functions' time summed), ms per turn");
	for (const [module, ms] of byModule(product).slice(0, Number(values.top))) console.log(`${fixed(ms, 7)}  ${module}`);
	for (const [label, a] of [
		["product", product],
		["baseline", baseline],
	] as const) {
		console.log(`\n${label}: its own functions, with what they call outside the bundle, ms per turn`);
		for (const [fn, ms] of [...a.functions].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) {
			const module = a.modules(Number(fn.slice(fn.lastIndexOf(":") + 1)));
			console.log(`${fixed(ms, 7)}  ${fn}${module ? `  (${module})` : ""}`);
		}
	}
}

async function attribute(server: DevServer, bundle: string, modules: (line: number) => string | undefined): Promise<Attribution> {
	const sockets = await connectSessions(server.url, 80);
	await openLoop(sockets, 40, 2);
	await drain(server.url);
	const before = workerdThreadTimes(server.pid);
	await openLoop(sockets, rate, 2);
	const tid = busiestThread(before, workerdThreadTimes(server.pid)).thread.split("/")[1] ?? "";
	await drain(server.url);
	const file = `/tmp/bench-perf-${tid}.data`;
	const perf = spawn("perf", ["record", "-F", String(FREQUENCY), "-g", "-t", tid, "-o", file], { stdio: "ignore" });
	await new Promise((r) => setTimeout(r, 1000));
	const start = workerdThreadTimes(server.pid);
	const step = await openLoop(sockets, rate, seconds);
	const end = workerdThreadTimes(server.pid);
	const stopped = new Promise((r) => perf.once("exit", r));
	perf.kill("SIGINT");
	await stopped;
	for (const socket of sockets) socket.close();
	const script = spawnSync("perf", ["script", "-i", file, "-F", "ip,sym"], { maxBuffer: 1 << 30, encoding: "utf8" });
	rmSync(file, { force: true });
	// V8's perf maps (one per workerd process, megabytes each) are read by `perf script` only.
	for (const pid of new Set([...end.keys()].map((thread) => thread.split("/")[0]))) rmSync(`/tmp/perf-${pid}.map`, { force: true });
	const stacks = parseStacks(script.stdout);
	const perTurn = (samples: number) => (samples / FREQUENCY / step.sent) * 1000;
	const scale = (counts: Map<string, number>) => new Map([...counts].map(([k, n]) => [k, perTurn(n)]));
	return {
		turns: step.sent,
		msPerTurn: busiestThread(start, end).cpuMs / step.sent,
		scripts: scale(byOutermostScript(stacks)),
		functions: scale(byInnermostFunction(stacks, bundle)),
		bundle,
		modules,
	};
}

/** The bundle's functions' time summed by the source module each is in, largest first; "(unknown)" where no module marks the line. */
function byModule(a: Attribution): [string, number][] {
	const totals = new Map<string, number>();
	for (const [fn, ms] of a.functions) {
		const module = a.modules(Number(fn.slice(fn.lastIndexOf(":") + 1))) ?? "(unknown)";
		totals.set(module, (totals.get(module) ?? 0) + ms);
	}
	return [...totals].sort((x, y) => y[1] - x[1]);
}

/** The source module of each line of the newest dev bundle under `root` (esbuild marks each with `// src/…`). */
function bundleModules(root: string): (line: number) => string | undefined {
	const dir = join(root, ".wrangler", "tmp");
	if (!existsSync(dir)) return () => undefined;
	const newest = readdirSync(dir)
		.filter((d) => d.startsWith("dev-") && existsSync(join(dir, d, "index.js")))
		.map((d) => join(dir, d, "index.js"))
		.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
	if (!newest) return () => undefined;
	const byLine: string[] = [];
	let module = "";
	for (const line of readFileSync(newest, "utf8").split("\n")) {
		const marked = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
		if (marked) module = marked[1] ?? module;
		byLine.push(module);
	}
	return (line) => byLine[line - 1] || undefined;
}

function fixed(ms: number, width = 9): string {
	return ms.toFixed(2).padStart(width);
}
