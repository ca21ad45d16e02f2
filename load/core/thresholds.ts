/**
 * k6-style thresholds: "p(95)<200" on a trend (ms), "rate<0.05" on the error
 * rate, "count==0" on a counter. A trend without samples fails: a run that
 * measured nothing proves nothing.
 */
import type { Metrics } from "./metrics";

type Statistic = { kind: "percentile"; p: number } | { kind: "rate" } | { kind: "count" };
export type Operator = "<" | "<=" | "==";

export interface Threshold {
	metric: string;
	expression: string;
	statistic: Statistic;
	operator: Operator;
	limit: number;
}

export interface ThresholdResult {
	metric: string;
	expression: string;
	/** null when there was nothing to observe. */
	observed: number | null;
	operator: Operator;
	limit: number;
	unit: "ms" | "ratio" | "count";
	pass: boolean;
}

const EXPRESSION = /^(?:p\((\d{1,2}(?:\.\d+)?)\)|(rate)|(count))\s*(<=|<|==)\s*(\d+(?:\.\d+)?)$/;

export function parseThresholds(thresholds: Record<string, string[]>): Threshold[] {
	return Object.entries(thresholds).flatMap(([metric, expressions]) =>
		expressions.map((expression) => {
			const match = EXPRESSION.exec(expression.trim());
			if (!match) throw new Error(`threshold "${metric}: ${expression}" is not of the form p(95)<200, rate<0.05 or count==0`);
			const [, p, rate, , operator, limit] = match;
			const statistic: Statistic = p !== undefined ? { kind: "percentile", p: Number(p) } : rate ? { kind: "rate" } : { kind: "count" };
			if (statistic.kind === "rate" && metric !== "errors")
				throw new Error(`threshold "${metric}: ${expression}": rate applies to "errors" only`);
			return { metric, expression, statistic, operator: operator as Operator, limit: Number(limit) };
		}),
	);
}

function compare(observed: number, operator: Operator, limit: number): boolean {
	if (operator === "<") return observed < limit;
	if (operator === "<=") return observed <= limit;
	return observed === limit;
}

function observe(threshold: Threshold, metrics: Metrics): { observed: number | null; unit: ThresholdResult["unit"] } {
	const { statistic } = threshold;
	if (statistic.kind === "rate") return { observed: metrics.requests === 0 ? null : metrics.errorRate, unit: "ratio" };
	if (statistic.kind === "count") return { observed: metrics.counter(threshold.metric), unit: "count" };
	const trend = metrics.trend(threshold.metric);
	return { observed: trend && trend.count > 0 ? trend.percentile(statistic.p) : null, unit: "ms" };
}

export function evaluateThresholds(thresholds: readonly Threshold[], metrics: Metrics): ThresholdResult[] {
	return thresholds.map((threshold) => {
		const { observed, unit } = observe(threshold, metrics);
		return {
			metric: threshold.metric,
			expression: threshold.expression,
			observed,
			operator: threshold.operator,
			limit: threshold.limit,
			unit,
			pass: observed !== null && compare(observed, threshold.operator, threshold.limit),
		};
	});
}
