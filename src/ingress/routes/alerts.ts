/** `GET /api/alerts` (CONTRACT §6): each rule that has fired, its state and since when, and the recommendations. */
import { Hono } from "hono";
import { ALERT_STATE_NAME } from "../../durable/alert-state";
import type { Alerts } from "../../shared/schemas/responses";
import type { IngressEnv } from "../env";

export const alerts = new Hono<IngressEnv>();

alerts.get("/", async (c) => {
	const state = c.env.ALERT_STATE.get(c.env.ALERT_STATE.idFromName(ALERT_STATE_NAME));
	return c.json((await state.list()) satisfies Alerts, 200, { "Cache-Control": "no-store" });
});
