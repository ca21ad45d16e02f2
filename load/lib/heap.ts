/**
 * Samples the Worker isolate's V8 heap (not the whole workerd process)
 * through the inspector `wrangler dev` exposes: the Chrome DevTools protocol's
 * `Runtime.getHeapUsage`, once a second, keeping the peak of `usedSize`.
 *
 * The peak counts garbage not yet collected, so it moves with V8's collection
 * schedule as much as with what the product keeps: after a 4-minute `stress`
 * run the heap read 41.9 MB used and 16.1 MB once collected. `retained()` says
 * what is kept: it asks for a heap snapshot, which V8 begins with a full
 * collection (workerd's inspector does not answer `HeapProfiler.collectGarbage`),
 * and reads the usage after it.
 */
import WebSocket from "ws";
import { z } from "zod";

const targetsSchema = z.array(z.object({ title: z.string().optional(), webSocketDebuggerUrl: z.string() }));
const usageSchema = z.object({ id: z.number(), result: z.object({ usedSize: z.number(), totalSize: z.number() }) });
const replySchema = z.object({ id: z.number() });

/** A snapshot of a 64 MB heap streams in a few seconds; this bounds a stuck inspector. */
const RETAINED_TIMEOUT_MS = 60_000;

const toMb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export interface HeapSampler {
	/** Peak used heap in MB, or "n/a" when the inspector could not be reached. */
	peak(): number | "n/a";
	/** Used heap in MB after a full collection, now; "n/a" without the inspector or when it does not answer in time. */
	retained(): Promise<number | "n/a">;
	stop(): void;
}

/**
 * @example const heap = await sampleIsolateHeap(server.inspectorPort); …; heap.stop(); heap.peak()
 */
export async function sampleIsolateHeap(inspectorPort: number, workerName = "support-chat", intervalMs = 1000): Promise<HeapSampler> {
	let peakBytes = -1;
	let socket: WebSocket | undefined;
	let timer: ReturnType<typeof setInterval> | undefined;
	let id = 0;
	/** Replies awaited by `call`, by request id: the used bytes when the reply carries a heap usage. */
	const answered = new Map<number, (usedBytes: number | undefined) => void>();
	let call: ((method: string) => Promise<number | undefined>) | undefined;
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
			const message: unknown = JSON.parse(String(data));
			const usage = usageSchema.safeParse(message);
			if (usage.success) peakBytes = Math.max(peakBytes, usage.data.result.usedSize);
			const reply = replySchema.safeParse(message);
			if (reply.success) answered.get(reply.data.id)?.(usage.success ? usage.data.result.usedSize : undefined);
		});
		const ask = () => {
			if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: ++id, method: "Runtime.getHeapUsage" }));
		};
		call = (method) =>
			new Promise((resolve) => {
				const callId = ++id;
				answered.set(callId, (usedBytes) => {
					answered.delete(callId);
					resolve(usedBytes);
				});
				ws.send(JSON.stringify({ id: callId, method }));
			});
		ask();
		timer = setInterval(ask, intervalMs);
	} catch (error) {
		console.warn(`isolate heap: inspector unavailable (${error instanceof Error ? error.message : String(error)})`);
	}
	return {
		peak: () => (peakBytes < 0 ? "n/a" : toMb(peakBytes)),
		retained: async () => {
			if (!call || socket?.readyState !== WebSocket.OPEN) return "n/a";
			const ask = call;
			const measured = (async () => {
				// The snapshot's chunks arrive as events and are not kept: only the collection before them matters.
				await ask("HeapProfiler.takeHeapSnapshot");
				return ask("Runtime.getHeapUsage");
			})();
			let timeout: ReturnType<typeof setTimeout> | undefined;
			const late = new Promise<undefined>((resolve) => {
				timeout = setTimeout(() => resolve(undefined), RETAINED_TIMEOUT_MS);
			});
			const usedBytes = await Promise.race([measured, late]);
			clearTimeout(timeout);
			return usedBytes === undefined ? "n/a" : toMb(usedBytes);
		},
		stop: () => {
			clearInterval(timer);
			socket?.close();
		},
	};
}
