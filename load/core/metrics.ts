/**
 * The run's measurements, k6-style: trends (latency histograms from
 * lib/histogram), counters, and the error rate over every request.
 */
import { Latency } from "../lib/histogram";

export class Metrics {
	readonly #trends = new Map<string, Latency>();
	readonly #counters = new Map<string, number>();
	readonly #errors = new Map<string, number>();
	#requests = 0;
	#failures = 0;
	#frozen = false;

	/** Ignores everything recorded from now on: results of abandoned iterations trickle in late and would skew a finished run. */
	freeze(): void {
		this.#frozen = true;
	}

	record(trend: string, ms: number | undefined): void {
		if (this.#frozen || ms === undefined) return;
		let latency = this.#trends.get(trend);
		if (!latency) {
			latency = new Latency();
			this.#trends.set(trend, latency);
		}
		latency.record(ms);
	}

	add(counter: string, n = 1): void {
		if (this.#frozen) return;
		this.#counters.set(counter, (this.#counters.get(counter) ?? 0) + n);
	}

	/** A result computed after the load phase (the audit); set even when frozen. */
	setResult(counter: string, value: number): void {
		this.#counters.set(counter, value);
	}

	/** A request that succeeded. */
	ok(): void {
		if (!this.#frozen) this.#requests++;
	}

	/** A request that failed (non-2xx, timeout, socket failure), counted by reason. */
	fail(reason: string): void {
		if (this.#frozen) return;
		this.#requests++;
		this.#failures++;
		this.#errors.set(reason, (this.#errors.get(reason) ?? 0) + 1);
	}

	trend(name: string): Latency | undefined {
		return this.#trends.get(name);
	}

	get trendNames(): string[] {
		return [...this.#trends.keys()];
	}

	counter(name: string): number {
		return this.#counters.get(name) ?? 0;
	}

	get counters(): Record<string, number> {
		return Object.fromEntries(this.#counters);
	}

	get requests(): number {
		return this.#requests;
	}

	get failures(): number {
		return this.#failures;
	}

	get errorRate(): number {
		return this.#requests === 0 ? 0 : this.#failures / this.#requests;
	}

	/** Failure reasons, most frequent first. */
	get errorReasons(): [string, number][] {
		return [...this.#errors].sort((a, b) => b[1] - a[1]);
	}
}
