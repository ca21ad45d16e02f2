/** `GET /api/alerts` (CONTRACT §6): each rule that has fired, its state and since when, and the recommendations. */
import { Hono } from "hono";
import type { Alerts } from "../../shared/schemas/responses";
import { alertState } from "../../shared/stubs";
import type { IngressEnv } from "../env";

export const alerts = new Hono<IngressEnv>();

alerts.get("/", async (c) => {
	const state = alertState(c.env);
	return c.json((await state.list()) satisfies Alerts, 200, { "Cache-Control": "no-store" });
});
