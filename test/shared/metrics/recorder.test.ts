/**
 * The recorder: events fold as they happen, and an isolate's shipments
 * within FLUSH_MS leave as one queue message with everything merged.
 */
import { describe, expect, it } from "vitest";
import { decodeMetricsBatch } from "../../../src/shared/metrics/batch";
import { FLUSH_MS, MetricsRecorder, shipMetrics } from "../../../src/shared/metrics/recorder";

describe("MetricsRecorder", () => {
	it("absorbs another recorder's counters and histograms", () => {
		const a = new MetricsRecorder();
		const b = new MetricsRecorder();
		a.count("chat_turns_total", { outcome: "answered", source: "model" }, 2);
		b.count("chat_turns_total", { outcome: "answered", source: "model" }, 3);
		a.observe("chat_ws_push_seconds", {}, 0.01);
		b.observe("chat_ws_push_seconds", {}, 0.3);
		expect(a.absorb(b)).toBe(true);
		expect(b.take()).toBeUndefined();
		const batch = a.take();
		expect(batch?.counters).toEqual([{ name: "chat_turns_total", labels: { outcome: "answered", source: "model" }, value: 5 }]);
		expect(batch?.histograms[0]).toMatchObject({ count: 2, sum: 0.31 });
		expect(a.absorb(new MetricsRecorder())).toBe(false);
	});

	it("folds one series whatever order its labels come in, and keeps series apart by every label's value", () => {
		const recorder = new MetricsRecorder();
		recorder.count("chat_tool_calls_total", { tool: "orders", status: "ok" });
		recorder.count("chat_tool_calls_total", { status: "ok", tool: "orders" });
		// Values that would run together if the key only joined them: "a,b" + "c" against "a" + "b,c".
		recorder.count("chat_tool_calls_total", { tool: "a,b", status: "c" });
		recorder.count("chat_tool_calls_total", { tool: "a", status: "b,c" });
		recorder.observe("chat_do_operation_seconds", { op: "hub.accept" }, 0.01);
		recorder.observe("chat_do_operation_seconds", { op: "hub.accept" }, 0.02);
		const batch = recorder.take();
		expect(batch?.counters.map((c) => [c.labels, c.value])).toEqual([
			[{ tool: "orders", status: "ok" }, 2],
			[{ tool: "a,b", status: "c" }, 1],
			[{ tool: "a", status: "b,c" }, 1],
		]);
		expect(batch?.histograms).toHaveLength(1);
		expect(batch?.histograms[0]?.count).toBe(2);
	});

	it("sends the shipments of one isolate within FLUSH_MS as one message", async () => {
		const sent: string[] = [];
		const queue = { send: async (body: string) => void sent.push(body) };
		const waits: Promise<unknown>[] = [];
		for (let i = 0; i < 50; i++) {
			const recorder = new MetricsRecorder();
			recorder.count("chat_messages_accepted_total", {});
			recorder.observe("chat_do_operation_seconds", { op: "hub.connect" }, 0.002);
			shipMetrics({ METRICS_QUEUE: queue }, recorder, (p) => waits.push(p));
		}
		await Promise.all(waits);
		expect(sent).toHaveLength(1);
		const batch = decodeMetricsBatch(sent[0]);
		expect(batch.counters.find((c) => c.name === "chat_messages_accepted_total")?.value).toBe(50);
		expect(batch.histograms.find((h) => h.name === "chat_do_operation_seconds")?.count).toBe(50);
		expect(FLUSH_MS).toBeLessThanOrEqual(1000);
	});

	it("holds one invocation per flush: the first shipper's waitUntil, not every caller's", async () => {
		const sent: string[] = [];
		const queue = { send: async (body: string) => void sent.push(body) };
		const waits: Promise<unknown>[] = [];
		for (let i = 0; i < 3; i++) {
			const recorder = new MetricsRecorder();
			recorder.count("chat_messages_accepted_total", {});
			shipMetrics({ METRICS_QUEUE: queue }, recorder, (p) => waits.push(p));
		}
		// A Durable Object passes none: its own timers keep it alive.
		const fromHub = new MetricsRecorder();
		fromHub.count("chat_messages_accepted_total", {});
		shipMetrics({ METRICS_QUEUE: queue }, fromHub, undefined);
		expect(waits).toHaveLength(1);
		await Promise.all(waits);
		expect(sent).toHaveLength(1);
		expect(decodeMetricsBatch(sent[0]).counters[0]?.value).toBe(4);
	});

	it("lets a queue consumer join a pending flush without waiting for it, or else send at once", async () => {
		const sent: string[] = [];
		const queue = { send: async (body: string) => void sent.push(body) };
		const held: Promise<unknown>[] = [];
		const ingress = new MetricsRecorder();
		ingress.count("chat_messages_accepted_total", {});
		shipMetrics({ METRICS_QUEUE: queue }, ingress, (p) => held.push(p));

		const consumerWaits: Promise<unknown>[] = [];
		const joined = new MetricsRecorder();
		joined.count("chat_dlq_messages_total", { queue: "chat-turns-dlq" });
		shipMetrics({ METRICS_QUEUE: queue }, joined, (p) => consumerWaits.push(p), { immediately: true });
		expect(consumerWaits).toEqual([]);
		await Promise.all(held);
		expect(sent).toHaveLength(1);
		expect(
			decodeMetricsBatch(sent[0])
				.counters.map((c) => c.name)
				.sort(),
		).toEqual(["chat_dlq_messages_total", "chat_messages_accepted_total"]);

		const alone = new MetricsRecorder();
		alone.count("chat_dlq_messages_total", { queue: "chat-turns-dlq" });
		shipMetrics({ METRICS_QUEUE: queue }, alone, (p) => consumerWaits.push(p), { immediately: true });
		expect(consumerWaits).toHaveLength(1);
		await Promise.all(consumerWaits);
		expect(sent).toHaveLength(2);
	});

	it("ships nothing with METRICS=off", async () => {
		const sent: unknown[] = [];
		const queue = { send: async (body: unknown) => void sent.push(body) };
		const recorder = new MetricsRecorder();
		recorder.count("chat_messages_accepted_total", {});
		const waits: Promise<unknown>[] = [];
		shipMetrics({ METRICS_QUEUE: queue, METRICS: "off" }, recorder, (p) => waits.push(p));
		await Promise.all(waits);
		expect(waits).toEqual([]);
		expect(sent).toEqual([]);
	});
});
