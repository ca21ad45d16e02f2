/**
 * The development fault switch (CONTRACT §6): what `POST /api/admin/faults`
 * accepts, and what the FaultSwitch Durable Object holds for every consumer
 * isolate to read.
 */
import { z } from "zod";
import { documented } from "./documented";

export const faultsInputSchema = documented(
	z
		.object({
			aiDelayMs: z.number().int().min(0).max(60_000).optional(),
			aiFailureRate: z.number().min(0).max(1).optional(),
			aiFailureKind: z.enum(["transient", "permanent"]).optional(),
		})
		.strict(),
	{
		id: "FaultsInput",
		description: "Faults to inject into the AI provider until they are cleared; a field left out is reset to no fault.",
		examples: [{ aiDelayMs: 3000, aiFailureRate: 0.5, aiFailureKind: "transient" }],
	},
);
export type FaultsInput = z.infer<typeof faultsInputSchema>;

export const faultsSchema = documented(
	z.object({
		aiDelayMs: z.number().int().min(0).max(60_000),
		aiFailureRate: z.number().min(0).max(1),
		aiFailureKind: z.enum(["transient", "permanent"]),
	}),
	{ id: "Faults", description: "The faults in force.", examples: [{ aiDelayMs: 3000, aiFailureRate: 0.5, aiFailureKind: "transient" }] },
);
export type Faults = z.infer<typeof faultsSchema>;

export const NO_FAULTS: Faults = { aiDelayMs: 0, aiFailureRate: 0, aiFailureKind: "transient" };

/** What the provider wrapper did because of the faults, counted since they were last set. */
export const faultEffectSchema = z.enum(["delayed", "failed_transient", "failed_permanent"]);
export type FaultEffect = z.infer<typeof faultEffectSchema>;

export function faultsActive(faults: Faults): boolean {
	return faults.aiDelayMs > 0 || faults.aiFailureRate > 0;
}
