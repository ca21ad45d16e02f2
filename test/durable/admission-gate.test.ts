/**
 * The admission gate stores every grant it makes, spares included, so that a
 * gate that restarts still counts the window's grants (admission-gate.ts).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AdmissionGate } from "../../src/durable/admission-gate/admission-gate";
import { SPARE_MS } from "../../src/shared/ai/with-admission";

function storedGrants(state: DurableObjectState): number[] {
	return state.storage.sql
		.exec<{ at: number }>("SELECT at FROM grants ORDER BY at")
		.toArray()
		.map((row) => row.at);
}

describe("AdmissionGate storage", () => {
	it("stores a grant at its moment and each spare at its expiry", async () => {
		const stub = env.ADMISSION_GATE.get(env.ADMISSION_GATE.idFromName("grants-stored"));
		await runInDurableObject(stub, async (gate: AdmissionGate, state) => {
			const before = Date.now();
			const place = await gate.wait({ ticket: "t1", want: 4 });
			expect(place.granted).toBe(true);
			const spare = place.granted ? (place.spare ?? 0) : 0;
			expect(spare).toBe(3);
			const stored = storedGrants(state);
			expect(stored).toHaveLength(1 + spare);
			expect(stored[0]).toBeGreaterThanOrEqual(before);
			expect(stored[0]).toBeLessThan(before + SPARE_MS);
			for (const at of stored.slice(1)) expect(at).toBe((stored[0] ?? 0) + SPARE_MS);
		});
	});

	it("stores a restock's spares, each at its expiry", async () => {
		const stub = env.ADMISSION_GATE.get(env.ADMISSION_GATE.idFromName("spares-stored"));
		await runInDurableObject(stub, async (gate: AdmissionGate, state) => {
			const before = Date.now();
			const { spare } = gate.stock(5);
			expect(spare).toBe(5);
			const stored = storedGrants(state);
			expect(stored).toHaveLength(5);
			for (const at of stored) expect(at).toBeGreaterThanOrEqual(before + SPARE_MS);
			expect(new Set(stored).size).toBe(1);
		});
	});
});
