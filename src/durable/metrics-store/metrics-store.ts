/**
 * MetricsStore: the rollups behind /api/metrics, the alerts and the
 * dashboard. Batches from the `metrics` queue are folded into cumulative
 * totals (what a scrape reads: one row per series, so it is fast however
 * long the store has run) and into per-minute rollups, which an hourly
 * alarm folds into hourly ones after 48 h and deletes after 30 days. Every
 * batch id is remembered for 48 h, so a redelivered batch counts once.
 * Histograms share one bucket scheme (metrics/families.ts) and merge by
 * adding bucket counts.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { configOf } from "../../shared/config";
import { type MetricsBatch, metricsBatchSchema, seriesKey } from "../../shared/metrics/batch";
import { BUCKET_BOUNDS } from "../../shared/metrics/families";
import { addCounts, type SeriesTotal } from "../../shared/metrics/series";
import { syntheticHistory } from "../../shared/metrics/synthetic-history";

export type { SeriesTotal } from "../../shared/metrics/series";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Minutes are kept this long, then folded into hours. */
export const MINUTE_RETENTION_MS = 48 * HOUR_MS;
/** Hours are kept this long. */
export const HOUR_RETENTION_MS = 30 * 24 * HOUR_MS;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seen_batches (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS seen_batches_at ON seen_batches(at);
CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, labels TEXT NOT NULL, kind TEXT NOT NULL);
-- value: a counter's total, or a histogram's count; counts: a histogram's per-bucket counts (JSON).
CREATE TABLE IF NOT EXISTS totals (series INTEGER PRIMARY KEY, value REAL NOT NULL, counts TEXT, sum REAL NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS rollups (
	resolution TEXT NOT NULL,
	start INTEGER NOT NULL,
	series INTEGER NOT NULL,
	value REAL NOT NULL,
	counts TEXT,
	sum REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (resolution, start, series)
) WITHOUT ROWID;
`;

/** A sample of one series in one interval, for alerts and the dashboard. */
export interface RollupPoint extends SeriesTotal {
	start: number;
}

const aggregateSchema = z.object({
	now: z.number().int().min(0),
	windowsMs: z.array(z.number().int().min(1)).min(1).max(20),
	names: z.array(z.string().min(1).max(100)).min(1).max(50),
});

/** Per window (in the order asked), every series' sums over the rollups that start inside it. */
export type WindowTotals = SeriesTotal[][];

const seriesSchema = z.object({
	from: z.number().int().min(0),
	to: z.number().int().min(0),
	stepMs: z.number().int().min(1000),
	names: z.array(z.string().min(1).max(100)).min(1).max(50),
});

const rangeSchema = z.object({
	from: z.number().int().min(0),
	to: z.number().int().min(0),
	names: z.array(z.string().min(1).max(100)).max(50).optional(),
});

/** Built once, not per call or per row (zod constructs a schema's internals when it is created). */
const ingestSchema = z.array(metricsBatchSchema).max(1000);
const labelsSchema = z.record(z.string(), z.string());

export class MetricsStore extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	/**
	 * The finest rollup's length: a minute, or shorter in development
	 * (METRICS_ROLLUP_SECONDS), so the alert test's scaled-down windows are
	 * not all one minute long.
	 */
	readonly #rollupMs: number;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
		const config = configOf(env);
		this.#rollupMs = config.environment === "development" ? config.metricsRollupSeconds * 1000 : MINUTE_MS;
	}

	/**
	 * Folds batches in; returns how many were new (a redelivered batch is
	 * skipped). Validated before anything async, so bad input is the caller's
	 * error and not an exception inside this object.
	 */
	ingest(input: MetricsBatch[]): Promise<{ ingested: number; duplicates: number }> {
		return this.#ingest(ingestSchema.parse(input));
	}

	async #ingest(batches: MetricsBatch[]): Promise<{ ingested: number; duplicates: number }> {
		let ingested = 0;
		try {
			this.ctx.storage.transactionSync(() => {
				// Folded in memory first: a delivery of 100 batches touches each
				// series' rows once, not once per batch.
				const totals = new Map<string, Sum>();
				const minutes = new Map<string, Sum>();
				for (const batch of batches) {
					const fresh = this.#sql
						.exec("INSERT OR IGNORE INTO seen_batches (id, at) VALUES (?, ?) RETURNING 1", batch.id, batch.at)
						.toArray();
					if (fresh.length === 0) continue;
					ingested++;
					const minute = Math.floor(batch.at / this.#rollupMs) * this.#rollupMs;
					const samples = [
						...batch.counters.map((c) => ({ series: this.#series(c.name, c.labels, "counter"), value: c.value, counts: null, sum: 0 })),
						...batch.histograms.map((h) => ({
							series: this.#series(h.name, h.labels, "histogram"),
							value: h.count,
							counts: h.counts,
							sum: h.sum,
						})),
					];
					for (const sample of samples) {
						fold(totals, String(sample.series), { ...sample, start: 0 });
						fold(minutes, `${minute}:${sample.series}`, { ...sample, start: minute });
					}
				}
				for (const t of totals.values()) this.#addTotal(t);
				for (const m of minutes.values()) this.#addRollup("m", m);
			});
		} catch (error) {
			// A rolled-back series insert may leave an id in the cache that is not in the table.
			this.#seriesIds.clear();
			throw error;
		}
		if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + HOUR_MS);
		return { ingested, duplicates: batches.length - ingested };
	}

	/** Every series' cumulative total since the store began (what /api/metrics exposes). */
	totals(): SeriesTotal[] {
		return this.#sql
			.exec<{ name: string; labels: string; kind: string; value: number; counts: string | null; sum: number }>(
				"SELECT s.name, s.labels, s.kind, t.value, t.counts, t.sum FROM totals t JOIN series s ON s.id = t.series ORDER BY s.name, s.key",
			)
			.toArray()
			.map(toTotal);
	}

	/** Rollup points with `from <= start < to`, minutes where kept, else hours. */
	range(input: { from: number; to: number; names?: string[] }): RollupPoint[] {
		const { from, to, names } = rangeSchema.parse(input);
		const filter = names?.length ? `AND s.name IN (${names.map(() => "?").join(", ")})` : "";
		return this.#sql
			.exec<{ start: number; name: string; labels: string; kind: string; value: number; counts: string | null; sum: number }>(
				`SELECT r.start, s.name, s.labels, s.kind, r.value, r.counts, r.sum FROM rollups r JOIN series s ON s.id = r.series
				 WHERE r.start >= ? AND r.start < ? ${filter} ORDER BY r.start`,
				from,
				to,
				...(names ?? []),
			)
			.toArray()
			.map((row) => ({ start: row.start, ...toTotal(row) }));
	}

	/**
	 * Sums each series over several windows ending at `now` in one pass, here
	 * beside the data: the alert rules read 5 minutes to 3 days every minute,
	 * and shipping the rows out would cost more than adding them up. A rollup
	 * counts in a window when it overlaps it, so the minute in progress is
	 * always seen (a window is at most one rollup longer than asked).
	 */
	aggregate(input: { now: number; windowsMs: number[]; names: string[] }): WindowTotals {
		const { now, windowsMs, names } = aggregateSchema.parse(input);
		const longest = Math.max(...windowsMs);
		const sums = windowsMs.map(() => new Map<string, SeriesTotal>());
		const rows = this.#sql.exec<{
			resolution: string;
			start: number;
			name: string;
			labels: string;
			kind: string;
			value: number;
			counts: string | null;
			sum: number;
		}>(
			`SELECT r.resolution, r.start, s.name, s.labels, s.kind, r.value, r.counts, r.sum FROM rollups r JOIN series s ON s.id = r.series
			 WHERE r.start > ? AND s.name IN (${names.map(() => "?").join(", ")})`,
			now - longest - HOUR_MS,
			...names,
		);
		for (const row of rows) {
			const point = toTotal(row);
			const key = `${row.name}${row.labels}`;
			const end = row.start + (row.resolution === "h" ? HOUR_MS : this.#rollupMs);
			windowsMs.forEach((window, i) => {
				if (end <= now - window) return;
				const into = sums[i];
				const found = into?.get(key);
				if (!found) into?.set(key, { ...point, counts: point.counts ? [...point.counts] : null });
				else {
					found.value += point.value;
					found.sum += point.sum;
					if (found.counts && point.counts) found.counts = addCounts(found.counts, point.counts);
				}
			});
		}
		return sums.map((m) => [...m.values()]);
	}

	/**
	 * The rollups from `from` to `to` summed into steps of `stepMs` (minutes
	 * where kept, else hours), per series: the dashboard's charts.
	 */
	series(input: { from: number; to: number; stepMs: number; names: string[] }): { start: number; series: SeriesTotal[] }[] {
		const { from, to, stepMs, names } = seriesSchema.parse(input);
		const steps = new Map<number, Map<string, SeriesTotal>>();
		for (const { start: at, ...point } of this.range({ from, to, names })) {
			const start = from + Math.floor((at - from) / stepMs) * stepMs;
			const step = steps.get(start) ?? new Map<string, SeriesTotal>();
			steps.set(start, step);
			const key = seriesKey(point.name, point.labels);
			const found = step.get(key);
			if (!found) step.set(key, { ...point, counts: point.counts ? [...point.counts] : null });
			else {
				found.value += point.value;
				found.sum += point.sum;
				if (found.counts && point.counts) found.counts = addCounts(found.counts, point.counts);
			}
		}
		return [...steps].sort(([a], [b]) => a - b).map(([start, step]) => ({ start, series: [...step.values()] }));
	}

	/**
	 * Development only (the bench's scrape measurement): `days` of history
	 * for every series seen so far, shaped like real traffic, through the
	 * real ingest and retention paths: one batch a minute for the last 48 h
	 * and one an hour before that, then a prune, so the store holds what 30
	 * days of running would leave.
	 */
	synthesizeHistory(input: { days: number; now: number }): Promise<{ batches: number; minutes: number; hours: number }> {
		const { days, now } = z.object({ days: z.number().int().min(3).max(30), now: z.number().int().min(0) }).parse(input);
		if (configOf(this.env).environment !== "development") throw new Error("synthesizeHistory is for development only");
		return this.#synthesize(days, now);
	}

	async #synthesize(days: number, now: number): Promise<{ batches: number; minutes: number; hours: number }> {
		const batches = syntheticHistory(this.totals(), { days, now, minuteRetentionMs: MINUTE_RETENTION_MS });
		for (let i = 0; i < batches.length; i += 500) await this.#ingest(batches.slice(i, i + 500));
		this.prune(now);
		const { minutes, hours } = this.sizes();
		return { batches: batches.length, minutes, hours };
	}

	/** Rows held, for the retention test and operators. */
	sizes(): { minutes: number; hours: number; series: number; seenBatches: number } {
		const count = (query: string) => this.#sql.exec<{ n: number }>(query).one().n;
		return {
			minutes: count("SELECT COUNT(*) AS n FROM rollups WHERE resolution = 'm'"),
			hours: count("SELECT COUNT(*) AS n FROM rollups WHERE resolution = 'h'"),
			series: count("SELECT COUNT(*) AS n FROM series"),
			seenBatches: count("SELECT COUNT(*) AS n FROM seen_batches"),
		};
	}

	/**
	 * The health check's probe: reads nothing. An answer means the object is
	 * constructed (its schema in place) and taking calls; since it queues
	 * behind ingests and scrapes like any call, its latency shows a backlog.
	 */
	ping(): true {
		return true;
	}

	/** Hourly: minutes past 48 h fold into hours, hours past 30 days and old batch ids go. */
	override async alarm(): Promise<void> {
		this.prune(Date.now());
		await this.ctx.storage.setAlarm(Date.now() + HOUR_MS);
	}

	/** The retention step, at `now` (public for the retention test). */
	prune(now: number): { folded: number; deleted: number } {
		let folded = 0;
		let deleted = 0;
		this.ctx.storage.transactionSync(() => {
			const old = this.#sql
				.exec<{ start: number; series: number; value: number; counts: string | null; sum: number }>(
					"SELECT start, series, value, counts, sum FROM rollups WHERE resolution = 'm' AND start < ?",
					now - MINUTE_RETENTION_MS,
				)
				.toArray();
			const hours = new Map<string, Sum>();
			for (const row of old) {
				const start = Math.floor(row.start / HOUR_MS) * HOUR_MS;
				fold(hours, `${start}:${row.series}`, { ...row, start, counts: parseCounts(row.counts) });
			}
			for (const hour of hours.values()) this.#addRollup("h", hour);
			folded = old.length;
			this.#sql.exec("DELETE FROM rollups WHERE resolution = 'm' AND start < ?", now - MINUTE_RETENTION_MS);
			deleted = this.#sql
				.exec("DELETE FROM rollups WHERE resolution = 'h' AND start < ? RETURNING 1", now - HOUR_RETENTION_MS)
				.toArray().length;
			this.#sql.exec("DELETE FROM seen_batches WHERE at < ?", now - MINUTE_RETENTION_MS);
		});
		return { folded, deleted };
	}

	/** Series ids by key, so a known series costs no query (the table only grows, and ids never change). */
	readonly #seriesIds = new Map<string, number>();

	#series(name: string, labels: Record<string, string>, kind: "counter" | "histogram"): number {
		const key = seriesKey(name, labels);
		const cached = this.#seriesIds.get(key);
		if (cached !== undefined) return cached;
		const id =
			this.#sql.exec<{ id: number }>("SELECT id FROM series WHERE key = ?", key).toArray()[0]?.id ??
			this.#sql
				.exec<{ id: number }>(
					"INSERT INTO series (key, name, labels, kind) VALUES (?, ?, ?, ?) RETURNING id",
					key,
					name,
					JSON.stringify(labels),
					kind,
				)
				.one().id;
		this.#seriesIds.set(key, id);
		return id;
	}

	#addTotal(add: Sum): void {
		if (!add.counts) {
			// A counter adds in one statement.
			this.#sql.exec(
				"INSERT INTO totals (series, value, counts, sum) VALUES (?, ?, NULL, 0) ON CONFLICT (series) DO UPDATE SET value = value + excluded.value",
				add.series,
				add.value,
			);
			return;
		}
		const row = this.#sql
			.exec<{ value: number; counts: string | null; sum: number }>("SELECT value, counts, sum FROM totals WHERE series = ?", add.series)
			.toArray()[0];
		this.#sql.exec(
			"INSERT OR REPLACE INTO totals (series, value, counts, sum) VALUES (?, ?, ?, ?)",
			add.series,
			(row?.value ?? 0) + add.value,
			JSON.stringify(addCounts(parseCounts(row?.counts ?? null), add.counts)),
			(row?.sum ?? 0) + add.sum,
		);
	}

	#addRollup(resolution: "m" | "h", add: Sum): void {
		if (!add.counts) {
			this.#sql.exec(
				`INSERT INTO rollups (resolution, start, series, value, counts, sum) VALUES (?, ?, ?, ?, NULL, 0)
				 ON CONFLICT (resolution, start, series) DO UPDATE SET value = value + excluded.value`,
				resolution,
				add.start,
				add.series,
				add.value,
			);
			return;
		}
		const row = this.#sql
			.exec<{ value: number; counts: string | null; sum: number }>(
				"SELECT value, counts, sum FROM rollups WHERE resolution = ? AND start = ? AND series = ?",
				resolution,
				add.start,
				add.series,
			)
			.toArray()[0];
		this.#sql.exec(
			"INSERT OR REPLACE INTO rollups (resolution, start, series, value, counts, sum) VALUES (?, ?, ?, ?, ?, ?)",
			resolution,
			add.start,
			add.series,
			(row?.value ?? 0) + add.value,
			JSON.stringify(addCounts(parseCounts(row?.counts ?? null), add.counts)),
			(row?.sum ?? 0) + add.sum,
		);
	}
}

/** One series' sums in one interval (`start`; 0 for the totals), while a delivery is folded. */
interface Sum {
	series: number;
	start: number;
	value: number;
	/** A histogram's bucket counts; null for a counter. */
	counts: number[] | null;
	sum: number;
}

/** Adds `add` into `into` under `key`. */
function fold(into: Map<string, Sum>, key: string, add: Sum): void {
	const found = into.get(key);
	if (!found) {
		into.set(key, { ...add, counts: add.counts ? [...add.counts] : null });
		return;
	}
	found.value += add.value;
	found.sum += add.sum;
	if (found.counts && add.counts) found.counts = addCounts(found.counts, add.counts);
}

/** Built once: a histogram's stored counts are parsed twice per series in every delivery, and building a schema costs more than using it. */
const countsSchema = z.array(z.number()).length(BUCKET_BOUNDS.length + 1);

function parseCounts(json: string | null): number[] | null {
	if (!json) return null;
	const parsed = countsSchema.safeParse(JSON.parse(json));
	return parsed.success ? parsed.data : null;
}

function toTotal(row: { name: string; labels: string; kind: string; value: number; counts: string | null; sum: number }): SeriesTotal {
	return {
		name: row.name,
		labels: labelsSchema.parse(JSON.parse(row.labels)),
		kind: row.kind === "histogram" ? "histogram" : "counter",
		value: row.value,
		counts: parseCounts(row.counts),
		sum: row.sum,
	};
}
