/**
 * FaultSwitch: the faults injected into the AI provider during development
 * (CONTRACT §6), held in one Durable Object so that every consumer isolate
 * sees the same switch (module memory would be per isolate). It also counts
 * what the faults did, so fault tests can prove, say, that a permanent
 * failure spent no retries. The ingress exposes it only in development.
 */
import { DurableObject } from "cloudflare:workers";
import { FAULT_SETTLE_MS } from "../../shared/ai/with-faults";
import { type FaultEffect, type Faults, faultEffectSchema, faultsActive, faultsSchema, NO_FAULTS } from "../../shared/schemas/faults";
import { type FaultsInput, faultsInputSchema } from "../../shared/schemas/http";
import type { FaultState } from "../../shared/schemas/responses";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY CHECK (id = 1), faults TEXT NOT NULL, calls INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS injected (effect TEXT PRIMARY KEY, count INTEGER NOT NULL);
`;

export class FaultSwitch extends DurableObject<Env> {
	readonly #sql: SqlStorage;
	/** The faults in force as last read or written (every write is here): every model call in development asks. */
	#faults: Faults | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(SCHEMA);
	}

	faults(): Faults {
		this.#faults ??= this.#readFaults();
		return this.#faults;
	}

	#readFaults(): Faults {
		const row = this.#sql.exec<{ faults: string }>("SELECT faults FROM faults WHERE id = 1").toArray()[0];
		if (!row) return NO_FAULTS;
		const stored = faultsSchema.safeParse(JSON.parse(row.faults));
		return stored.success ? stored.data : NO_FAULTS;
	}

	state(): FaultState {
		const injected: Record<FaultEffect, number> = { delayed: 0, failed_transient: 0, failed_permanent: 0 };
		for (const row of this.#sql.exec<{ effect: string; count: number }>("SELECT effect, count FROM injected")) {
			const effect = faultEffectSchema.safeParse(row.effect);
			if (effect.success) injected[effect.data] = row.count;
		}
		const calls = this.#sql.exec<{ calls: number }>("SELECT calls FROM faults WHERE id = 1").toArray()[0]?.calls ?? 0;
		return { faults: this.faults(), injected, calls };
	}

	/**
	 * Replaces the faults in force (unset fields take their harmless defaults) and resets the counts.
	 * A change returns only once every isolate's lease on the old faults has run out (FAULT_SETTLE_MS).
	 */
	async set(input: FaultsInput): Promise<Faults> {
		const faults = faultsSchema.parse({ ...NO_FAULTS, ...faultsInputSchema.parse(input) });
		const changed = JSON.stringify(faults) !== JSON.stringify(this.faults());
		this.#sql.exec("INSERT OR REPLACE INTO faults (id, faults, calls) VALUES (1, ?, 0)", JSON.stringify(faults));
		this.#faults = faults;
		this.#sql.exec("DELETE FROM injected");
		if (changed) await scheduler.wait(FAULT_SETTLE_MS);
		return faults;
	}

	async clear(): Promise<void> {
		const changed = faultsActive(this.faults());
		this.#sql.exec("DELETE FROM faults");
		this.#sql.exec("DELETE FROM injected");
		this.#faults = NO_FAULTS;
		if (changed) await scheduler.wait(FAULT_SETTLE_MS);
	}

	/** Called by the provider wrapper for each call made while faults were in force. */
	record(effects: FaultEffect[]): void {
		this.#sql.exec("UPDATE faults SET calls = calls + 1 WHERE id = 1");
		for (const effect of effects) {
			this.#sql.exec("INSERT INTO injected (effect, count) VALUES (?, 1) ON CONFLICT (effect) DO UPDATE SET count = count + 1", effect);
		}
	}
}
