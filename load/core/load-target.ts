/**
 * The system under load: the product started here with `wrangler dev
 * --local` (rate limits raised, peak workerd RSS sampled), or an external
 * target that passed the loopback guard. Either way `close()` is safe to
 * call more than once.
 */
import { sampleIsolateHeap } from "../lib/heap";
import { sampleRss } from "../lib/rss";
import { type Pacing, startProduct } from "../lib/servers";
import { checkTarget } from "../lib/target";
import type { Options } from "./cli";

export interface LoadTarget {
	url: string;
	/** "runner" when this process started the product. */
	startedBy: "runner" | "external";
	peakRssMb(): number | "n/a";
	peakIsolateHeapMb(): number | "n/a";
	/** The isolate's heap after a full collection, now (load/lib/heap.ts). */
	retainedIsolateHeapMb(): Promise<number | "n/a">;
	close(): Promise<void>;
}

async function openExternal(url: string, allowRemote: boolean): Promise<LoadTarget> {
	checkTarget(url, allowRemote);
	const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
	await health.body?.cancel();
	if (!health.ok) throw new Error(`target ${url} is not healthy: GET /api/health answered ${health.status}`);
	// Its memory is not ours to sample: another host, or a process we did not start.
	return {
		url,
		startedBy: "external",
		peakRssMb: () => "n/a",
		peakIsolateHeapMb: () => "n/a",
		retainedIsolateHeapMb: async () => "n/a",
		close: async () => {},
	};
}

async function startOwn(pacing: Pacing): Promise<LoadTarget> {
	const server = await startProduct(pacing);
	checkTarget(server.url, false);
	const rss = sampleRss(server.pid, 500);
	const heap = await sampleIsolateHeap(server.inspectorPort);
	// If this process dies without running `close()`, the dev server (its own process group) must not outlive it.
	const killOnExit = () => {
		try {
			process.kill(-server.pid, "SIGKILL");
		} catch {
			// Already gone.
		}
	};
	process.once("exit", killOnExit);
	let closed: Promise<void> | undefined;
	return {
		url: server.url,
		startedBy: "runner",
		peakRssMb: () => rss.peak(),
		peakIsolateHeapMb: () => heap.peak(),
		retainedIsolateHeapMb: () => heap.retained(),
		close: () => {
			closed ??= (async () => {
				rss.stop();
				heap.stop();
				await server.stop();
				process.off("exit", killOnExit);
			})();
			return closed;
		},
	};
}

export function openTarget(options: Options): Promise<LoadTarget> {
	return options.target
		? openExternal(options.target, options.allowRemote)
		: startOwn({ profile: options.profile, chunkDelayMs: options.chunkDelayMs });
}
