/**
 * Samples the Worker isolate's V8 heap (not the whole workerd process)
 * through the inspector `wrangler dev` exposes: the Chrome DevTools protocol's
 * `Runtime.getHeapUsage`, once a second, keeping the peak of `usedSize`.
 */
import WebSocket from "ws";
import { z } from "zod";

const targetsSchema = z.array(z.object({ title: z.string().optional(), webSocketDebuggerUrl: z.string() }));
const usageSchema = z.object({ id: z.number(), result: z.object({ usedSize: z.number(), totalSize: z.number() }) });

export interface HeapSampler {
	/** Peak used heap in MB, or "n/a" when the inspector could not be reached. */
	peak(): number | "n/a";
	stop(): void;
}

/**
 * @example const heap = await sampleIsolateHeap(server.inspectorPort); …; heap.stop(); heap.peak()
 */
export async function sampleIsolateHeap(inspectorPort: number, workerName = "support-chat", intervalMs = 1000): Promise<HeapSampler> {
	let peakBytes = -1;
	let socket: WebSocket | undefined;
	let timer: ReturnType<typeof setInterval> | undefined;
	try {
		const response = await fetch(`http://127.0.0.1:${inspectorPort}/json`, { signal: AbortSignal.timeout(5000) });
		const targets = targetsSchema.parse(await response.json());
		const target = targets.find((t) => t.title?.includes(workerName)) ?? targets[0];
		if (!target) throw new Error("no inspector target");
		const ws = new WebSocket(target.webSocketDebuggerUrl);
		socket = ws;
		await new Promise<void>((resolve, reject) => {
			ws.once("open", () => resolve());
			ws.once("error", reject);
		});
		ws.on("error", () => undefined);
		ws.on("message", (data) => {
			const usage = usageSchema.safeParse(JSON.parse(String(data)));
			if (usage.success) peakBytes = Math.max(peakBytes, usage.data.result.usedSize);
		});
		let id = 0;
		const ask = () => {
			if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: ++id, method: "Runtime.getHeapUsage" }));
		};
		ask();
		timer = setInterval(ask, intervalMs);
	} catch (error) {
		console.warn(`isolate heap: inspector unavailable (${error instanceof Error ? error.message : String(error)})`);
	}
	return {
		peak: () => (peakBytes < 0 ? "n/a" : Math.round((peakBytes / 1024 / 1024) * 10) / 10),
		stop: () => {
			clearInterval(timer);
			socket?.close();
		},
	};
}
