/**
 * AlertState: the alerts' memory, one object for the product. Each minute's
 * evaluation comes here; a rule whose condition changes makes a transition
 * (`firing` with its `since`, then `resolved`), and every transition goes
 * into an outbox that the alarm delivers to ALERT_WEBHOOK_URL in order,
 * retrying with backoff, so a webhook that is down loses nothing and gets
 * each transition once it is back.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Recommendation } from "../../shared/alerts/recommendations";
import { alertmanagerPayload, type Transition } from "../../shared/alerts/webhook";
import { configOf } from "../../shared/config";
import { describeError } from "../../shared/errors";
import type { AlertView } from "../../shared/schemas/responses";

/** Transitions kept for a webhook that is down; past this the oldest go, loudly. */
const OUTBOX_LIMIT = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
	rule TEXT PRIMARY KEY, severity TEXT NOT NULL, state TEXT NOT NULL, since TEXT NOT NULL,
	started_at TEXT NOT NULL, value REAL NOT NULL, threshold REAL NOT NULL, summary TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const evaluationSchema = z.object({
	rule: z.string().min(1).max(40),
	severity: z.enum(["page", "ticket"]),
	firing: z.boolean(),
	value: z.number(),
	threshold: z.number(),
	summary: z.string().max(500),
});
const applySchema = z.object({
	at: z.number().int().min(0),
	evaluations: z.array(evaluationSchema).max(20),
	recommendations: z.array(z.object({ id: z.string(), text: z.string(), evidence: z.string() })).max(20),
	externalUrl: z.string().max(200),
});

/** One rule's state, as GET /api/alerts shows it (CONTRACT §6). */
export type { AlertView };

type AlertRow = {
	rule: string;
	severity: string;
	state: string;
	since: string;
	started_at: string;
	value: number;
	threshold: number;
	summary: string;
};

export class AlertState extends DurableObject<Env> {
	readonly #sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	/** The rules firing now (for hysteresis in the next evaluation). */
	firing(): string[] {
		return this.#sql
			.exec<{ rule: string }>("SELECT rule FROM alerts WHERE state = 'firing'")
			.toArray()
			.map((r) => r.rule);
	}

	/** Records one evaluation; returns the transitions it made. */
	async apply(input: z.input<typeof applySchema>): Promise<Transition[]> {
		const { at, evaluations, recommendations, externalUrl } = applySchema.parse(input);
		const now = new Date(at).toISOString();
		const transitions: Transition[] = [];
		this.ctx.storage.transactionSync(() => {
			for (const e of evaluations) {
				const row = this.#sql.exec<AlertRow>("SELECT * FROM alerts WHERE rule = ?", e.rule).toArray()[0];
				const wasFiring = row?.state === "firing";
				if (e.firing === wasFiring || (!row && !e.firing)) {
					// No change: keep `since`, refresh the figures.
					if (row)
						this.#sql.exec(
							"UPDATE alerts SET severity = ?, value = ?, threshold = ?, summary = ? WHERE rule = ?",
							e.severity,
							e.value,
							e.threshold,
							e.summary,
							e.rule,
						);
					continue;
				}
				const state = e.firing ? "firing" : "resolved";
				const startedAt = e.firing ? now : (row?.started_at ?? now);
				this.#sql.exec(
					"INSERT OR REPLACE INTO alerts (rule, severity, state, since, started_at, value, threshold, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
					e.rule,
					e.severity,
					state,
					now,
					startedAt,
					e.value,
					e.threshold,
					e.summary,
				);
				const transition: Transition = {
					rule: e.rule,
					severity: e.severity,
					state,
					startsAt: startedAt,
					value: e.value,
					threshold: e.threshold,
					summary: e.summary,
				};
				if (state === "resolved") transition.endsAt = now;
				transitions.push(transition);
				console.warn(JSON.stringify({ event: `alert_${state}`, rule: e.rule, severity: e.severity, value: e.value, summary: e.summary }));
			}
			this.#sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('recommendations', ?)", JSON.stringify(recommendations));
			if (configOf(this.env).alertWebhookUrl) {
				for (const t of transitions)
					this.#sql.exec("INSERT INTO outbox (payload, next_at) VALUES (?, ?)", JSON.stringify(alertmanagerPayload(t, externalUrl)), at);
				this.#trimOutbox();
			}
		});
		if (transitions.length > 0 && configOf(this.env).alertWebhookUrl) await this.ctx.storage.setAlarm(Date.now());
		return transitions;
	}

	/** The alerts that have ever fired, firing first, and the latest recommendations. */
	list(): { alerts: AlertView[]; recommendations: Recommendation[] } {
		const alerts = this.#sql
			.exec<AlertRow>("SELECT * FROM alerts ORDER BY state = 'firing' DESC, since DESC")
			.toArray()
			.map((r) => ({
				id: `${r.rule}:${r.started_at}`,
				rule: r.rule,
				severity: r.severity,
				state: r.state === "firing" ? ("firing" as const) : ("resolved" as const),
				since: r.since,
				value: r.value,
				threshold: r.threshold,
				summary: r.summary,
			}));
		const raw = this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'recommendations'").toArray()[0]?.value;
		const parsed = z.array(z.object({ id: z.string(), text: z.string(), evidence: z.string() })).safeParse(raw ? JSON.parse(raw) : []);
		return { alerts, recommendations: parsed.success ? parsed.data : [] };
	}

	/** Transitions not yet delivered (operators and tests). */
	pending(): number {
		return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;
	}

	/** Delivers the outbox in order; the first failure stops the run and is retried with backoff. */
	override async alarm(): Promise<void> {
		const url = configOf(this.env).alertWebhookUrl;
		if (!url) return;
		for (;;) {
			const next = this.#sql
				.exec<{ id: number; payload: string; attempts: number; next_at: number }>("SELECT * FROM outbox ORDER BY id LIMIT 1")
				.toArray()[0];
			if (!next) return;
			if (next.next_at > Date.now()) {
				await this.ctx.storage.setAlarm(next.next_at);
				return;
			}
			if (await deliver(url, next.payload)) {
				this.#sql.exec("DELETE FROM outbox WHERE id = ?", next.id);
				continue;
			}
			const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** next.attempts);
			this.#sql.exec("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?", Date.now() + backoff, next.id);
			await this.ctx.storage.setAlarm(Date.now() + backoff);
			return;
		}
	}

	#trimOutbox(): void {
		const dropped = this.#sql
			.exec("DELETE FROM outbox WHERE id NOT IN (SELECT id FROM outbox ORDER BY id DESC LIMIT ?) RETURNING id", OUTBOX_LIMIT)
			.toArray().length;
		if (dropped > 0) console.error(JSON.stringify({ event: "alert_transitions_dropped", dropped }));
	}
}

async function deliver(url: string, payload: string): Promise<boolean> {
	try {
		const response = await fetch(url, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: payload,
			signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
		});
		await response.body?.cancel();
		return response.ok;
	} catch (error) {
		console.warn(JSON.stringify({ event: "alert_webhook_failed", error: describeError(error) }));
		return false;
	}
}
