/**
 * The Prometheus text exposition format 0.0.4 for the store's cumulative
 * totals: HELP and TYPE for every family in families.ts (so a family with no
 * events yet is still described, and an unlabelled counter starts at 0),
 * histograms as cumulative `_bucket{le}` series with `_sum` and `_count`,
 * counters recorded in smaller units (money) in the unit their name says.
 */
import { BUCKET_BOUNDS, COUNTERS, counterScale, HISTOGRAMS } from "./families";
import type { SeriesTotal } from "./series";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * @example renderPrometheus([{ name: "chat_messages_accepted_total", labels: {}, kind: "counter", value: 3, counts: null, sum: 0 }])
 */
export function renderPrometheus(series: readonly SeriesTotal[]): string {
	const byName = new Map<string, SeriesTotal[]>();
	for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
	const lines: string[] = [];
	for (const [name, family] of Object.entries(COUNTERS)) {
		lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} counter`);
		const samples = byName.get(name) ?? [];
		if (samples.length === 0 && family.labels.length === 0) lines.push(`${name} 0`);
		// Money is counted in whole nano-dollars (families.ts) and shown in dollars, to the nano-dollar.
		const scale = counterScale(name);
		for (const s of sorted(samples))
			lines.push(`${name}${labelText(s.labels)} ${scale === 1 ? number(s.value) : number(s.value * scale, 9)}`);
	}
	for (const [name, family] of Object.entries(HISTOGRAMS)) {
		lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} histogram`);
		for (const s of sorted(byName.get(name) ?? [])) {
			let cumulative = 0;
			const counts = s.counts ?? [];
			for (const [i, bound] of [...BUCKET_BOUNDS, Number.POSITIVE_INFINITY].entries()) {
				cumulative += counts[i] ?? 0;
				lines.push(
					`${name}_bucket${labelText({ ...s.labels, le: bound === Number.POSITIVE_INFINITY ? "+Inf" : String(bound) })} ${cumulative}`,
				);
			}
			lines.push(`${name}_sum${labelText(s.labels)} ${number(s.sum)}`, `${name}_count${labelText(s.labels)} ${number(s.value)}`);
		}
	}
	return `${lines.join("\n")}\n`;
}

function sorted(samples: SeriesTotal[]): SeriesTotal[] {
	return [...samples].sort((a, b) => (labelText(a.labels) < labelText(b.labels) ? -1 : 1));
}

function labelText(labels: Record<string, string>): string {
	const entries = Object.entries(labels);
	if (entries.length === 0) return "";
	return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

function escapeLabel(value: string): string {
	return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function escapeHelp(text: string): string {
	return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function number(value: number, decimals = 6): string {
	return Number.isInteger(value) ? String(value) : value.toFixed(decimals).replace(/\.?0+$/, "");
}
