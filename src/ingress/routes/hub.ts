/** Addresses the SessionHub of one session: one Durable Object per session id. */
export function hubFor(env: Env, sessionId: string) {
	return env.SESSION_HUB.get(env.SESSION_HUB.idFromName(sessionId));
}
