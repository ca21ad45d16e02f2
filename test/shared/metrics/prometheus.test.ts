/**
 * The exposition: every family described once, histograms cumulative with
 * `+Inf` equal to `_count`, labels escaped, no series twice (promtool does
 * not catch that; the live scrape is checked by promtool in test/e2e).
 */
import { describe, expect, it } from "vitest";
import { BUCKET_BOUNDS, bucketIndex, COUNTERS, HISTOGRAMS } from "../../../src/shared/metrics/families";
import { renderPrometheus } from "../../../src/shared/metrics/prometheus";
import { MetricsRecorder } from "../../../src/shared/metrics/recorder";

function series(text: string): string[] {
	return text
		.split("\n")
		.filter((line) => line && !line.startsWith("#"))
		.map((line) => line.slice(0, line.lastIndexOf(" ")));
}

describe("Prometheus exposition", () => {
	it("describes every family once and starts an unlabelled counter at 0", () => {
		const text = renderPrometheus([]);
		for (const name of [...Object.keys(COUNTERS), ...Object.keys(HISTOGRAMS)]) {
			expect(text.match(new RegExp(`^# TYPE ${name} `, "gm"))).toHaveLength(1);
		}
		expect(text).toContain("\nchat_messages_accepted_total 0\n");
	});

	it("renders histograms cumulatively, with +Inf equal to the count, and never a series twice", () => {
		const recorder = new MetricsRecorder();
		for (const seconds of [0.001, 0.2, 0.3, 4, 120]) recorder.observe("chat_ai_response_seconds", { source: "model" }, seconds);
		recorder.count("chat_errors_total", { category: 'quote"back\\slash\nline' });
		const batch = recorder.take();
		const text = renderPrometheus([
			...(batch?.histograms ?? []).map((h) => ({
				name: h.name,
				labels: h.labels,
				kind: "histogram" as const,
				value: h.count,
				counts: h.counts,
				sum: h.sum,
			})),
			...(batch?.counters ?? []).map((c) => ({
				name: c.name,
				labels: c.labels,
				kind: "counter" as const,
				value: c.value,
				counts: null,
				sum: 0,
			})),
		]);
		expect(text).toContain('chat_ai_response_seconds_bucket{source="model",le="0.005"} 1');
		expect(text).toContain('chat_ai_response_seconds_bucket{source="model",le="0.2"} 2');
		expect(text).toContain('chat_ai_response_seconds_bucket{source="model",le="5"} 4');
		expect(text).toContain('chat_ai_response_seconds_bucket{source="model",le="+Inf"} 5');
		expect(text).toContain('chat_ai_response_seconds_count{source="model"} 5');
		expect(text).toContain('chat_errors_total{category="quote\\"back\\\\slash\\nline"} 1');
		const all = series(text);
		expect(new Set(all).size).toBe(all.length);
	});

	it("shows spend, counted in whole nano-dollars, in dollars to the nano-dollar, beside the token counts", () => {
		const counter = (name: string, labels: Record<string, string>, value: number) => ({
			name,
			labels,
			kind: "counter" as const,
			value,
			counts: null,
			sum: 0,
		});
		const text = renderPrometheus([
			counter("chat_ai_cost_dollars_total", { model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" }, 1_234_567_891),
			counter("chat_ai_cost_dollars_total", { model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast" }, 86_580),
			counter("chat_ai_cost_dollars_total", { model: "local-8b/grounded-extractive-v2" }, 3_000_000_000),
			counter("chat_ai_tokens_total", { model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast", direction: "input" }, 900),
			counter("chat_ai_routing_total", { model: "small", reason: "first_turn" }, 2),
		]);
		expect(text).toContain("# TYPE chat_ai_cost_dollars_total counter\n");
		expect(text).toContain('chat_ai_cost_dollars_total{model="@cf/meta/llama-3.3-70b-instruct-fp8-fast"} 1.234567891\n');
		expect(text).toContain('chat_ai_cost_dollars_total{model="@cf/meta/llama-3.1-8b-instruct-fp8-fast"} 0.00008658\n');
		expect(text).toContain('chat_ai_cost_dollars_total{model="local-8b/grounded-extractive-v2"} 3\n');
		expect(text).toContain('chat_ai_tokens_total{model="@cf/meta/llama-3.1-8b-instruct-fp8-fast",direction="input"} 900\n');
		expect(text).toContain('chat_ai_routing_total{model="small",reason="first_turn"} 2\n');
		// Every sample line is `name{labels} number` with a plain decimal, as promtool reads it.
		for (const line of text.split("\n").filter((l) => l.startsWith("chat_ai_"))) expect(line).toMatch(/^\w+(\{.*\})? \d+(\.\d+)?$/);
	});

	it("puts an observation on a bound into that bound's bucket", () => {
		for (const [i, bound] of BUCKET_BOUNDS.entries()) {
			expect(bucketIndex(bound)).toBe(i);
			expect(bucketIndex(bound + 1e-9)).toBe(i + 1);
		}
		expect(bucketIndex(0)).toBe(0);
	});
});
