/**
 * The dashboard's charts: one uPlot per spec inside a <figure>, with its
 * title as the caption and a text alternative (each line's latest and worst
 * value) that screen readers read as the chart's description. A chart may
 * carry a second unit on a right-hand axis, so a rate can be drawn beside
 * the counts it was computed from.
 */
import uPlot from "uplot";

/** What a chart's values are in; counts are events per step. */
export type Unit = "s" | "min" | "/min" | "%" | "$/h" | "count";

export interface ChartLine {
	label: string;
	values: (number | null)[];
	color: string;
	dash?: number[];
	/** Drawn against the right-hand axis, in the chart's `rightUnit`. */
	right?: boolean;
	/** An objective to compare against, not a measurement: left out of the text alternative. */
	reference?: boolean;
	/** A low value is the bad one (a hit rate, a satisfied share): the text alternative reports the lowest. */
	lowIsWorse?: boolean;
}

export interface ChartSpec {
	id: string;
	title: string;
	unit: Unit;
	/** The unit of the lines marked `right`. */
	rightUnit?: Unit;
	/** A fixed left axis (a share is 0 to 100 %), instead of one fitted to the values. */
	range?: [number, number];
	lines: ChartLine[];
}

/**
 * The charts drawn so far, by id: a refresh updates their data in place.
 * @example const board = new ChartBoard(chartsBox); board.draw(spec, data.times);
 */
export class ChartBoard {
	readonly #box: HTMLElement;
	readonly #charts = new Map<string, { plot: uPlot; summary: HTMLParagraphElement; layout: string }>();

	constructor(box: HTMLElement) {
		this.#box = box;
	}

	/** Draws `spec` over `times` (seconds since the epoch), in place when a chart with its id and lines exists. */
	draw(spec: ChartSpec, times: number[]): void {
		const existing = this.#charts.get(spec.id);
		const values: uPlot.AlignedData = [times, ...spec.lines.map((l) => l.values)];
		const text = summarize(spec);
		// The spend chart's lines are the models that spent: a new one needs a new chart.
		const layout = spec.lines.map((l) => `${l.label}${l.right ? " (right)" : ""}`).join("\n");
		if (existing && existing.layout === layout) {
			existing.plot.setData(values);
			existing.summary.textContent = text;
			return;
		}
		existing?.plot.destroy();
		const { holder, summary } = this.#figure(spec, text);
		const plot = new uPlot(options(spec, this.size()), values, holder);
		this.#charts.set(spec.id, { plot, summary, layout });
	}

	/** Fits every chart to the page's width again. */
	resize(): void {
		for (const { plot } of this.#charts.values()) plot.setSize(this.size());
	}

	/** Two charts side by side on a wide screen, one a row on a phone. */
	size(): { width: number; height: number } {
		const width = Math.max(280, Math.min(this.#box.clientWidth || 600, 940));
		return { width: width >= 860 ? Math.min(460, Math.floor(width / 2) - 16) : width - 8, height: 200 };
	}

	/** A new figure for `spec`, in place of the old one if there was one: the caption, the plot's holder and the text alternative. */
	#figure(spec: ChartSpec, text: string): { holder: HTMLDivElement; summary: HTMLParagraphElement } {
		const figure = document.createElement("figure");
		figure.className = "chart";
		figure.id = `chart-${spec.id}`;
		const caption = document.createElement("figcaption");
		caption.textContent = spec.title;
		const summary = document.createElement("p");
		summary.className = "chart-summary";
		summary.id = `summary-${spec.id}`;
		summary.textContent = text;
		const holder = document.createElement("div");
		holder.setAttribute("role", "img");
		holder.setAttribute("aria-label", spec.title);
		holder.setAttribute("aria-describedby", summary.id);
		figure.append(caption, holder, summary);
		const old = document.getElementById(figure.id);
		if (old) old.replaceWith(figure);
		else this.#box.append(figure);
		return { holder, summary };
	}
}

function options(spec: ChartSpec, size: { width: number; height: number }): uPlot.Options {
	const right = spec.rightUnit;
	return {
		...size,
		series: [
			{},
			...spec.lines.map((l) => ({
				label: l.label,
				stroke: l.color,
				// Counts on the right axis are thinner, so the rate they stand behind reads first.
				width: l.right ? 1 : 2,
				...(l.dash ? { dash: l.dash } : {}),
				...(l.right ? { scale: "right" } : {}),
				points: { filter: lonePoint },
				spanGaps: true,
			})),
		],
		axes: [
			{},
			{ values: (_u, ticks) => ticks.map((t) => axisLabel(t, spec.unit)), size: 60 },
			...(right
				? [
						{
							scale: "right",
							side: 1,
							grid: { show: false },
							values: (_u: uPlot, ticks: number[]) => ticks.map((t) => axisLabel(t, right)),
							size: 50,
						},
					]
				: []),
		],
		scales: {
			x: { time: true },
			...(spec.range ? { y: { range: spec.range } } : spec.unit === "count" ? { y: { range: countRange } } : {}),
			...(right ? { right: right === "count" ? { range: countRange } : {} } : {}),
		},
	};
}

/**
 * uPlot draws a line between values, so a series with a single one in range (the first
 * handoff of the day) would show nothing: that value gets a dot. Null otherwise: uPlot's default.
 */
const lonePoint: uPlot.Series.Points.Filter = (u, seriesIdx) => {
	const values = u.data[seriesIdx] ?? [];
	let lone: number | null = null;
	for (let i = 0; i < values.length; i++) {
		if (values[i] === null || values[i] === undefined) continue;
		if (lone !== null) return null;
		lone = i;
	}
	return lone === null ? null : [lone];
};

/** Counts start at 0, and a quiet range still gets an axis up to 1 (uPlot would otherwise center a flat 0). */
const countRange: uPlot.Range.Function = (_u, _min, max) => [0, Math.max(1, max)];

/**
 * The chart's text alternative: each measured line's latest and worst value, and for counts the total.
 * @example summarize(spec) // "Answers marked (per minute): helpful latest 1, highest 2, 3 in all; unhelpful latest 0, highest 0, 0 in all."
 */
export function summarize(spec: ChartSpec): string {
	const parts = spec.lines
		.filter((l) => !l.reference)
		.map((l) => {
			const unit = l.right ? (spec.rightUnit ?? spec.unit) : spec.unit;
			const present = l.values.filter((v): v is number => v !== null);
			if (present.length === 0) return `${l.label}: no data`;
			const [worst, value] = l.lowIsWorse ? ["lowest", Math.min(...present)] : ["highest", Math.max(...present)];
			const latest = `${l.label} latest ${format(present.at(-1) ?? 0, unit)}, ${worst} ${format(value, unit)}`;
			return unit === "count" ? `${latest}, ${present.reduce((a, b) => a + b, 0)} in all` : latest;
		});
	return `${spec.title}: ${parts.join("; ")}.`;
}

/**
 * @example format(0.25, "s") // "250 ms"
 * @example format(4.5, "min") // "4.5 min"
 * @example format(0.5, "min") // "30 s"
 */
export function format(value: number, unit: Unit): string {
	if (unit === "s") return value < 1 ? `${Math.round(value * 1000)} ms` : `${Math.round(value * 100) / 100} s`;
	if (unit === "min") return value < 1 ? format(value * 60, "s") : `${Math.round(value * 10) / 10} min`;
	if (unit === "%") return `${Math.round(value * 10) / 10} %`;
	// Two significant digits below a dollar, never in exponent notation ($0.0027/h, not $2.7e-3/h).
	if (unit === "$/h") return `$${value < 1 ? value.toLocaleString("en-US", { maximumSignificantDigits: 2 }) : value.toFixed(2)}/h`;
	if (unit === "count") return String(Math.round(value * 10) / 10);
	return `${Math.round(value * 10) / 10}/min`;
}

function axisLabel(tick: number, unit: Unit): string {
	if (unit === "s") return `${tick} s`;
	if (unit === "min") return `${tick} min`;
	if (unit === "%") return `${tick} %`;
	if (unit === "$/h") return `$${tick}`;
	return String(tick);
}
