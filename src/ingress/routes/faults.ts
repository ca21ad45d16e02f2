/**
 * `/api/admin/faults` (CONTRACT §6): the development fault switch. In
 * production the route does not exist (404, before any credential check, so
 * it cannot even be probed); in development it takes the admin token.
 */
import { Hono } from "hono";
import type { Faults } from "../../shared/schemas/faults";
import { faultsInputSchema } from "../../shared/schemas/http";
import type { FaultState } from "../../shared/schemas/responses";
import { faultSwitch } from "../../shared/stubs";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

export const faults = new Hono<IngressEnv>();

/** The faults in force and what they did since they were set (not in the contract; for fault tests). */
faults.get("/", async (c) => c.json((await faultSwitch(c.env).state()) satisfies FaultState));

faults.post("/", async (c) => {
	const input = await readJson(c.req.raw, faultsInputSchema);
	return c.json((await faultSwitch(c.env).set(input)) satisfies Faults);
});

faults.delete("/", async (c) => {
	await faultSwitch(c.env).clear();
	return c.body(null, 204);
});
