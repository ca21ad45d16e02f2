/**
 * The development fault switch (CONTRACT §6): what the FaultSwitch Durable
 * Object holds for every consumer isolate to read, and what
 * `/api/admin/faults` answers. zod/mini like every wire shape (see
 * documented.ts); what `POST /api/admin/faults` accepts is in http.ts.
 */
import * as z from "zod/mini";
import type { Documented } from "./documented";

export const faultsSchema = z.object({
	aiDelayMs: z.int().check(z.gte(0), z.lte(60_000)),
	aiFailureRate: z.number().check(z.gte(0), z.lte(1)),
	aiFailureKind: z.enum(["transient", "permanent"]),
});
export type Faults = z.infer<typeof faultsSchema>;
export const faultsDocs = {
	schema: faultsSchema,
	id: "Faults",
	description: "The faults in force.",
	examples: [{ aiDelayMs: 3000, aiFailureRate: 0.5, aiFailureKind: "transient" }],
} satisfies Documented<typeof faultsSchema>;

export const NO_FAULTS: Faults = { aiDelayMs: 0, aiFailureRate: 0, aiFailureKind: "transient" };

/** What the provider wrapper did because of the faults, counted since they were last set. */
export const faultEffectSchema = z.enum(["delayed", "failed_transient", "failed_permanent"]);
export type FaultEffect = z.infer<typeof faultEffectSchema>;

export function faultsActive(faults: Faults): boolean {
	return faults.aiDelayMs > 0 || faults.aiFailureRate > 0;
}
