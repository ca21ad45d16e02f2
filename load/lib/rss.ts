/**
 * Samples the resident memory of a process tree (wrangler and the workerd
 * processes it starts) from /proc, to report the peak the runtime needed.
 */
import { readdirSync, readFileSync } from "node:fs";

function children(pid: number): number[] {
	try {
		return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
			readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
		);
	} catch {
		return [];
	}
}

export function descendants(pid: number): number[] {
	const out: number[] = [];
	const stack = [pid];
	while (stack.length > 0 && out.length < 1000) {
		const next = stack.pop();
		if (next === undefined) break;
		for (const child of children(next)) {
			out.push(child);
			stack.push(child);
		}
	}
	return out;
}

export function command(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, "utf8");
	} catch {
		return "";
	}
}

function rssKb(pid: number): number {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/** Total RSS, in MB, of the workerd processes under `rootPid`. */
export function workerdRssMb(rootPid: number): number {
	const kb = descendants(rootPid)
		.filter((pid) => command(pid).includes("workerd"))
		.reduce((sum, pid) => sum + rssKb(pid), 0);
	return Math.round((kb / 1024) * 10) / 10;
}

/** Samples every `intervalMs` until stopped; returns the peak seen. */
export function sampleRss(rootPid: number, intervalMs = 250): { stop(): number; peak(): number } {
	let peak = workerdRssMb(rootPid);
	const timer = setInterval(() => {
		peak = Math.max(peak, workerdRssMb(rootPid));
	}, intervalMs);
	return {
		peak: () => peak,
		stop: () => {
			clearInterval(timer);
			peak = Math.max(peak, workerdRssMb(rootPid));
			return peak;
		},
	};
}
