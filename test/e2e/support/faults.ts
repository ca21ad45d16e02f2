/** The development fault switch (CONTRACT §6), as fault tests drive it: through the SDK's admin calls. */
import type { FaultState as SdkFaultState } from "../../../src/sdk/node";
import { admin } from "./api";

export type FaultState = SdkFaultState;

export async function setFaults(
	baseUrl: string,
	faults: { aiDelayMs?: number; aiFailureRate?: number; aiFailureKind?: "transient" | "permanent" },
): Promise<void> {
	await admin(baseUrl).setFaults(faults);
}

export function clearFaults(baseUrl: string): Promise<void> {
	return admin(baseUrl).clearFaults();
}

export function faultState(baseUrl: string): Promise<FaultState> {
	return admin(baseUrl).getFaults();
}
