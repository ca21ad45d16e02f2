/**
 * The user's answer to a back-office write the assistant proposed (CONTRACT §8), over HTTP: the
 * same as a `confirm` frame. Mounted beside the session routes, with the session's token.
 */
import { Hono } from "hono";
import { HttpProblem } from "../../shared/problem";
import type { ConfirmationAnswered } from "../../shared/schemas/accounts";
import { idSchema } from "../../shared/schemas/inputs";
import { confirmationRequestSchema } from "../../shared/schemas/people-requests";
import { sessionHub } from "../../shared/stubs";
import { authorizeSession, bearerToken } from "../auth";
import type { IngressEnv } from "../env";
import { readJson } from "../json-body";

export const confirmations = new Hono<IngressEnv>();

confirmations.post("/:id/confirmations/:callId", async (c) => {
	const sessionId = c.req.param("id");
	await authorizeSession(c.get("config").sessionSecret, bearerToken(c.req.raw), sessionId);
	const callId = idSchema.safeParse(c.req.param("callId"));
	if (!callId.success) throw new HttpProblem(404, "No such confirmation in this session.");
	const { approve } = await readJson(c.req.raw, confirmationRequestSchema);
	const result = await c
		.get("metrics")
		.timeOperation("hub.confirm", sessionHub(c.env, sessionId).confirm({ callId: callId.data, approve }));
	if (!result.ok) throw new HttpProblem(404, "No such confirmation in this session.");
	return c.json({ callId: callId.data, status: result.status } satisfies ConfirmationAnswered);
});
