/** The development fault switch (CONTRACT §6), as fault tests drive it. */
import { z } from "zod";
import { ADMIN_TOKEN, bearer, JSON_HEADERS, parseJson, request } from "./api";

const faultsSchema = z.object({
	aiDelayMs: z.number(),
	aiFailureRate: z.number(),
	aiFailureKind: z.enum(["transient", "permanent"]),
});

const faultStateSchema = z.object({
	faults: faultsSchema,
	calls: z.number(),
	injected: z.object({ delayed: z.number(), failed_transient: z.number(), failed_permanent: z.number() }),
});
export type FaultState = z.infer<typeof faultStateSchema>;

export async function setFaults(
	baseUrl: string,
	faults: { aiDelayMs?: number; aiFailureRate?: number; aiFailureKind?: "transient" | "permanent" },
): Promise<void> {
	const result = await request(`${baseUrl}/api/admin/faults`, {
		method: "POST",
		headers: { ...JSON_HEADERS, ...bearer(ADMIN_TOKEN) },
		body: JSON.stringify(faults),
	});
	if (result.status !== 200) throw new Error(`POST /api/admin/faults: HTTP ${result.status}: ${result.body}`);
}

export async function clearFaults(baseUrl: string): Promise<void> {
	const result = await request(`${baseUrl}/api/admin/faults`, { method: "DELETE", headers: bearer(ADMIN_TOKEN) });
	if (result.status !== 204) throw new Error(`DELETE /api/admin/faults: HTTP ${result.status}: ${result.body}`);
}

export async function faultState(baseUrl: string): Promise<FaultState> {
	return parseJson(faultStateSchema, await request(`${baseUrl}/api/admin/faults`, { headers: bearer(ADMIN_TOKEN) }));
}
