/**
 * CPU spent by a server under test: the user and system time of its workerd
 * processes from /proc (all isolates: ingress, consumers and every Durable
 * Object), and a sampling profile of its Worker isolate through the V8
 * inspector `wrangler dev` exposes (the Chrome DevTools protocol's Profiler).
 */
import { readdirSync, readFileSync } from "node:fs";
import WebSocket from "ws";
import { z } from "zod";
import { command, descendants } from "./rss";

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time, in ms, used so far by the workerd processes under `rootPid`. */
export function workerdCpuMs(rootPid: number): number {
	let ms = 0;
	for (const pid of workerdPids(rootPid)) ms += statCpuMs(`/proc/${pid}/stat`) ?? 0;
	return ms;
}

/** One thread's time so far, in ms: on a core (user plus system), and runnable but waiting for one. */
export interface ThreadTimes {
	cpuMs: number;
	waitMs: number;
}

/**
 * The times of each thread of the workerd processes under `rootPid`, by "pid/tid". workerd runs a
 * Worker's isolate, with all its Durable Objects, consumers and requests, on one thread, the
 * busiest by far: its time per turn is what bounds throughput on one machine. On a 2-core machine
 * that also runs the load, that thread, saturated, is on a core, waiting for one, or blocked
 * (SQLite's fsync on commit runs on it): CPU time alone misses the wait (docs/benchmarks.md).
 * The wait is schedstat's second field (ns); 0 where the kernel keeps none.
 */
export function workerdThreadTimes(rootPid: number): Map<string, ThreadTimes> {
	const threads = new Map<string, ThreadTimes>();
	for (const pid of workerdPids(rootPid)) {
		let tids: string[] = [];
		try {
			tids = readdirSync(`/proc/${pid}/task`);
		} catch {
			continue;
		}
		for (const tid of tids) {
			const cpuMs = statCpuMs(`/proc/${pid}/task/${tid}/stat`);
			if (cpuMs !== undefined) threads.set(`${pid}/${tid}`, { cpuMs, waitMs: waitedMs(`/proc/${pid}/task/${tid}/schedstat`) });
		}
	}
	return threads;
}

/**
 * What the thread whose CPU time grew most between two readings of workerdThreadTimes spent
 * meanwhile, and which it is ("pid/tid").
 */
export function busiestThread(before: Map<string, ThreadTimes>, after: Map<string, ThreadTimes>): ThreadTimes & { thread: string } {
	let most = { thread: "", cpuMs: 0, waitMs: 0 };
	for (const [thread, now] of after) {
		const then = before.get(thread) ?? { cpuMs: 0, waitMs: 0 };
		if (now.cpuMs - then.cpuMs > most.cpuMs) most = { thread, cpuMs: now.cpuMs - then.cpuMs, waitMs: now.waitMs - then.waitMs };
	}
	return most;
}

function workerdPids(rootPid: number): number[] {
	return descendants(rootPid).filter((pid) => command(pid).includes("workerd"));
}

/** A thread's time runnable but waiting for a core, in ms, from its /proc schedstat file; 0 once it has ended or without one. */
function waitedMs(path: string): number {
	try {
		const waitNs = Number(readFileSync(path, "utf8").split(" ")[1]);
		return Number.isFinite(waitNs) ? waitNs / 1e6 : 0;
	} catch {
		return 0;
	}
}

/** A process's or thread's user plus system CPU time in ms, from its /proc stat file; undefined once it has ended. */
function statCpuMs(path: string): number | undefined {
	try {
		const stat = readFileSync(path, "utf8");
		// The name is parenthesised (and may hold spaces); after it, state is the 3rd field of the line, utime the 14th and stime the 15th.
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
	} catch {
		return undefined;
	}
}

const targetsSchema = z.array(z.object({ title: z.string().optional(), webSocketDebuggerUrl: z.string() }));
const callFrameSchema = z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() });
const profileSchema = z.object({
	id: z.number(),
	result: z.object({
		profile: z.object({
			nodes: z.array(z.object({ id: z.number(), callFrame: callFrameSchema, children: z.array(z.number()).optional() })),
			samples: z.array(z.number()),
			timeDeltas: z.array(z.number()),
		}),
	}),
});

export interface FunctionTime {
	name: string;
	selfMs: number;
	totalMs: number;
	/**
	 * Samples with this function on top. Each sample's ms is the time since the one before, and in
	 * `wrangler dev` those gaps are uneven (median ~0.4 ms, p99 ~20 ms): what runs first after the
	 * isolate waited collects the wait. Counts are the steadier share (docs/benchmarks.md).
	 */
	selfSamples: number;
	/** Samples with this function anywhere on the stack: the share of the isolate's work done under it. */
	totalSamples: number;
	/** For runtime functions (no script of their own, like SQLite's `exec`): whose calls their self time came from. */
	callers?: { name: string; ms: number }[];
}

export interface CpuProfile {
	/** Sampled time, idle excluded. */
	busyMs: number;
	idleMs: number;
	/** Samples, idle excluded. */
	busySamples: number;
	/** Functions by self time, heaviest first. */
	functions: FunctionTime[];
}

/**
 * Starts sampling the Worker isolate; `stop()` returns the profile, or
 * undefined when the inspector could not be reached.
 * @example const profiling = await profileIsolate(server.inspectorPort); …; const profile = await profiling.stop();
 */
export async function profileIsolate(
	inspectorPort: number,
	workerName = "support-chat",
): Promise<{ stop(): Promise<CpuProfile | undefined> }> {
	try {
		const response = await fetch(`http://127.0.0.1:${inspectorPort}/json`, { signal: AbortSignal.timeout(5000) });
		const targets = targetsSchema.parse(await response.json());
		const target = targets.find((t) => t.title?.includes(workerName)) ?? targets[0];
		if (!target) throw new Error("no inspector target");
		const ws = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
		await new Promise<void>((resolve, reject) => {
			ws.once("open", () => resolve());
			ws.once("error", reject);
		});
		let id = 0;
		const call = (method: string, params: object = {}) =>
			new Promise<unknown>((resolve) => {
				const mine = ++id;
				const onMessage = (data: WebSocket.RawData) => {
					const reply = JSON.parse(String(data)) as { id?: number };
					if (reply.id !== mine) return;
					ws.off("message", onMessage);
					resolve(reply);
				};
				ws.on("message", onMessage);
				ws.send(JSON.stringify({ id: mine, method, params }));
			});
		await call("Profiler.enable");
		await call("Profiler.setSamplingInterval", { interval: 250 });
		await call("Profiler.start");
		return {
			async stop() {
				const parsed = profileSchema.safeParse(await call("Profiler.stop"));
				ws.close();
				return parsed.success ? summarize(parsed.data.result.profile) : undefined;
			},
		};
	} catch (error) {
		console.warn(`cpu profile: inspector unavailable (${error instanceof Error ? error.message : String(error)})`);
		return { stop: async () => undefined };
	}
}

type Profile = z.infer<typeof profileSchema>["result"]["profile"];

function summarize(profile: Profile): CpuProfile {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const name = (id: number) => {
		const frame = byId.get(id)?.callFrame;
		if (!frame) return "?";
		const file = frame.url.split("/").at(-1) ?? "";
		return frame.url ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}` : frame.functionName;
	};
	const self = new Map<string, number>();
	const selfSamples = new Map<string, number>();
	const total = new Map<string, number>();
	const totalSamples = new Map<string, number>();
	const callers = new Map<string, Map<string, number>>();
	let idleMs = 0;
	let busyMs = 0;
	profile.samples.forEach((sample, i) => {
		const ms = (profile.timeDeltas[i] ?? 0) / 1000;
		const own = name(sample);
		if (own === "(idle)") {
			idleMs += ms;
			return;
		}
		busyMs += ms;
		self.set(own, (self.get(own) ?? 0) + ms);
		selfSamples.set(own, (selfSamples.get(own) ?? 0) + 1);
		if (byId.get(sample)?.callFrame.url === "") {
			// The nearest caller with a script: the code that asked the runtime for this work.
			let up = parent.get(sample);
			while (up !== undefined && byId.get(up)?.callFrame.url === "") up = parent.get(up);
			const caller = up === undefined ? "(none)" : name(up);
			const mine = callers.get(own) ?? new Map<string, number>();
			mine.set(caller, (mine.get(caller) ?? 0) + ms);
			callers.set(own, mine);
		}
		// Each function on the stack once, however deep its recursion.
		const seen = new Set<string>();
		for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
			const n = name(id);
			if (seen.has(n)) continue;
			seen.add(n);
			total.set(n, (total.get(n) ?? 0) + ms);
			totalSamples.set(n, (totalSamples.get(n) ?? 0) + 1);
		}
	});
	const functions = [...total.entries()]
		.map(([n, totalMs]) => {
			const from = [...(callers.get(n) ?? [])]
				.sort((a, b) => b[1] - a[1])
				.slice(0, 8)
				.map(([caller, ms]) => ({ name: caller, ms: Math.round(ms * 10) / 10 }));
			const time = {
				name: n,
				selfMs: Math.round((self.get(n) ?? 0) * 10) / 10,
				totalMs: Math.round(totalMs * 10) / 10,
				selfSamples: selfSamples.get(n) ?? 0,
				totalSamples: totalSamples.get(n) ?? 0,
			};
			return from.length > 0 ? { ...time, callers: from } : time;
		})
		.sort((a, b) => b.selfMs - a.selfMs);
	const busySamples = [...selfSamples.values()].reduce((sum, n) => sum + n, 0);
	return { busyMs: Math.round(busyMs), idleMs: Math.round(idleMs), busySamples, functions };
}
